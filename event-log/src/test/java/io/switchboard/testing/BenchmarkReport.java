package io.switchboard.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.stream.Stream;

/**
 * Writes a benchmark's figures into its own section of docs/benchmarks.md (between
 * {@code <!-- bench:NAME -->} and {@code <!-- /bench:NAME -->}), so the committed file always holds the
 * latest run next to the command that reproduces it.
 */
public final class BenchmarkReport {

    private BenchmarkReport() {
    }

    public static Path write(String name, String markdown) {
        Path file = ServiceProcess.repositoryRoot().resolve("docs/benchmarks.md");
        String start = "<!-- bench:" + name + " -->";
        String end = "<!-- /bench:" + name + " -->";
        String section = start + "\n" + markdown.strip() + "\n" + end;
        try {
            String text = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "# Benchmarks\n";
            int from = text.indexOf(start);
            int to = text.indexOf(end);
            String updated = from >= 0 && to > from
                    ? text.substring(0, from) + section + text.substring(to + end.length())
                    : text.stripTrailing() + "\n\n" + section + "\n";
            Files.createDirectories(file.getParent());
            Files.writeString(file, updated, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line describing where the figures were measured. */
    public static String machine() {
        String cpu = "unknown CPU";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException | UncheckedIOException e) {
            // not Linux
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB max heap in the harness, Java "
                + System.getProperty("java.version") + ", measured "
                + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
    }
}
