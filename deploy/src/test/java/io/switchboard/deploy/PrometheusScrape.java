package io.switchboard.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One scrape of {@code /q/metrics} in the Prometheus text format (0.0.4) or OpenMetrics 1.0, read into
 * series by sample name. A histogram family {@code x} yields the samples {@code x_bucket}, {@code x_count} and
 * {@code x_sum} that PromQL selects; each sample is tied to its family and checked to carry a suffix its
 * family's type allows, so a query naming {@code x_bucket} is known to read histogram {@code x}.
 */
final class PrometheusScrape {

    /** The family a sample belongs to, with its type from the family's TYPE line ("untyped" without one). */
    record Family(String name, String type) {
    }

    /** The sample names each family type produces: the family's name plus one of these suffixes. */
    private static final Map<String, Set<String>> SUFFIXES = Map.of(
            "counter", Set.of("_total", "_created", ""),
            "gauge", Set.of(""),
            "histogram", Set.of("_bucket", "_count", "_sum", "_created", "_gcount", "_gsum"),
            "gaugehistogram", Set.of("_bucket", "_gcount", "_gsum"),
            // Micrometer writes a LongTaskTimer (http_server_connections_seconds) as a summary of these two
            "summary", Set.of("", "_count", "_sum", "_created", "_active_count", "_duration_sum"),
            "info", Set.of("_info"),
            "stateset", Set.of(""),
            "unknown", Set.of(""),
            "untyped", Set.of(""));

    private final Map<String, Family> familyOfSample = new LinkedHashMap<>();
    private final Map<String, List<Map<String, String>>> seriesBySample = new LinkedHashMap<>();

    private PrometheusScrape() {
    }

    static PrometheusScrape parse(String text) {
        PrometheusScrape scrape = new PrometheusScrape();
        Family current = null;
        int lineNumber = 0;
        for (String line : text.split("\n")) {
            lineNumber++;
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.startsWith("#")) {
                String[] parts = trimmed.split("\\s+", 4);
                if (parts.length >= 4 && parts[1].equals("TYPE")) {
                    if (!SUFFIXES.containsKey(parts[3])) {
                        throw new IllegalArgumentException("line " + lineNumber + ": unknown metric type " + parts[3]);
                    }
                    current = new Family(parts[2], parts[3]);
                }
                continue;
            }
            SampleLine sample = SampleLine.parse(trimmed, lineNumber);
            Family family = current != null && sample.name().startsWith(current.name()) ? current
                    : new Family(sample.name(), "untyped");
            String suffix = sample.name().substring(family.name().length());
            if (!SUFFIXES.get(family.type()).contains(suffix)) {
                throw new IllegalArgumentException("line " + lineNumber + ": sample " + sample.name()
                        + " does not belong to " + family.type() + " " + family.name());
            }
            scrape.familyOfSample.put(sample.name(), family);
            scrape.seriesBySample.computeIfAbsent(sample.name(), n -> new ArrayList<>()).add(sample.labels());
        }
        return scrape;
    }

    boolean hasSample(String name) {
        return seriesBySample.containsKey(name);
    }

    Family family(String sampleName) {
        return familyOfSample.get(sampleName);
    }

    /** The sample names of a family, for a query that named the family of a histogram instead of a sample. */
    Set<String> samplesOfFamily(String familyName) {
        Set<String> samples = new TreeSet<>();
        familyOfSample.forEach((sample, family) -> {
            if (family.name().equals(familyName)) {
                samples.add(sample);
            }
        });
        return samples;
    }

    /** Every label name any series of this sample carries. */
    Set<String> labelNames(String sampleName) {
        Set<String> names = new TreeSet<>();
        seriesBySample.getOrDefault(sampleName, List.of()).forEach(series -> names.addAll(series.keySet()));
        return names;
    }

    /** Whether a series of this sample carries all these label values. */
    boolean hasSeries(String sampleName, Map<String, String> labelValues) {
        return seriesBySample.getOrDefault(sampleName, List.of()).stream()
                .anyMatch(series -> series.entrySet().containsAll(labelValues.entrySet()));
    }

    /** The values a label takes on a sample's series (for failure messages). */
    Set<String> labelValues(String sampleName, String label) {
        Set<String> values = new TreeSet<>();
        seriesBySample.getOrDefault(sampleName, List.of()).forEach(series -> {
            if (series.containsKey(label)) {
                values.add(series.get(label));
            }
        });
        return values;
    }

    Set<String> sampleNames() {
        return new TreeSet<>(seriesBySample.keySet());
    }

    /** {@code name{label="value",...} value [timestamp] [# exemplar]}. */
    private record SampleLine(String name, Map<String, String> labels) {

        static SampleLine parse(String line, int lineNumber) {
            int at = 0;
            while (at < line.length() && line.charAt(at) != '{' && !Character.isWhitespace(line.charAt(at))) {
                at++;
            }
            String name = line.substring(0, at);
            if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
                throw new IllegalArgumentException("line " + lineNumber + ": not a metric name: " + name);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (at < line.length() && line.charAt(at) == '{') {
                at = labels(line, at + 1, labels, lineNumber);
            }
            String rest = line.substring(at).strip();
            String value = rest.split("\\s+")[0];
            if (value.isEmpty()) {
                throw new IllegalArgumentException("line " + lineNumber + ": sample " + name + " has no value");
            }
            return new SampleLine(name, labels);
        }

        /** Reads {@code a="x",b="y"} up to the closing brace; returns the index after it. */
        private static int labels(String line, int at, Map<String, String> labels, int lineNumber) {
            while (true) {
                while (at < line.length() && (line.charAt(at) == ',' || line.charAt(at) == ' ')) {
                    at++;
                }
                if (at < line.length() && line.charAt(at) == '}') {
                    return at + 1;
                }
                int nameStart = at;
                while (at < line.length() && line.charAt(at) != '=') {
                    at++;
                }
                String label = line.substring(nameStart, at).strip();
                if (at + 1 >= line.length() || line.charAt(at + 1) != '"') {
                    throw new IllegalArgumentException("line " + lineNumber + ": label " + label + " has no quoted value");
                }
                at += 2;
                StringBuilder value = new StringBuilder();
                while (at < line.length() && line.charAt(at) != '"') {
                    char c = line.charAt(at++);
                    if (c == '\\' && at < line.length()) {
                        char escaped = line.charAt(at++);
                        value.append(escaped == 'n' ? '\n' : escaped);
                    } else {
                        value.append(c);
                    }
                }
                if (at >= line.length()) {
                    throw new IllegalArgumentException("line " + lineNumber + ": unterminated value of label " + label);
                }
                labels.put(label, value.toString());
                at++;
            }
        }
    }
}
