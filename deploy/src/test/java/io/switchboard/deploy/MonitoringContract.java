package io.switchboard.deploy;

import io.switchboard.deploy.MetricReference.LabelMatcher;
import io.switchboard.deploy.MonitoringQueries.Query;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The alerts' and the dashboard's queries against what the services really export. For every metric a query
 * selects: the services its {@code job} matchers pick (all of them without one) must export the sample with a
 * series carrying the query's exact label values ({@code consumer="gateway"}, {@code uri="/api/..."}), and
 * every label the query filters, groups or matches by must be a label of that sample — or one Prometheus adds
 * to every scraped series ({@link ExternalMetrics#TARGET_LABELS}). Metrics that no service exports must be on
 * {@link ExternalMetrics#KUBE_STATE_METRICS}, with the labels listed there.
 */
final class MonitoringContract {

    private static final String JOB = "job";

    /** The services' scrapes by the job label Prometheus gives them. */
    private final Map<String, PrometheusScrape> scrapesByJob;

    MonitoringContract(Map<String, PrometheusScrape> scrapesByJob) {
        this.scrapesByJob = new LinkedHashMap<>(scrapesByJob);
    }

    /** Every mismatch, each naming the query it comes from; empty when all queries read what exists. */
    List<String> violations(List<Query> queries) {
        List<String> violations = new ArrayList<>();
        for (Query query : queries) {
            List<MetricReference> references;
            try {
                references = query.references();
            } catch (IllegalArgumentException e) {
                violations.add(query.origin() + ": " + e.getMessage());
                continue;
            }
            for (MetricReference reference : references) {
                check(reference).forEach(problem -> violations.add(query.origin() + ": " + problem));
            }
        }
        return violations;
    }

    List<String> check(MetricReference reference) {
        Set<String> kubernetesLabels = ExternalMetrics.KUBE_STATE_METRICS.get(reference.metric());
        if (kubernetesLabels != null) {
            Set<String> missing = missing(reference.labelNames(), kubernetesLabels);
            return missing.isEmpty() ? List.of() : List.of(reference + ": kube-state-metrics' " + reference.metric()
                    + " has no label " + missing + " (it has " + new TreeSet<>(kubernetesLabels) + ")");
        }
        List<String> jobs = jobsSelected(reference);
        if (jobs.isEmpty()) {
            return List.of(reference + ": its job matchers select none of the services " + scrapesByJob.keySet());
        }
        Map<String, String> exactValues = new LinkedHashMap<>();
        reference.matchers().stream().filter(m -> !m.label().equals(JOB) && m.isLiteralEquality())
                .forEach(m -> exactValues.put(m.label(), m.value()));
        List<String> owners = jobs.stream().filter(job -> exports(job, reference.metric(), exactValues)).toList();

        List<String> problems = new ArrayList<>();
        boolean namesJobs = !reference.matchersOn(JOB).isEmpty();
        if (namesJobs) {
            jobs.stream().filter(job -> !owners.contains(job))
                    .forEach(job -> problems.add(reference + ": " + whyNot(job, reference.metric(), exactValues)));
        } else if (owners.isEmpty()) {
            List<String> reasons = jobs.stream().map(job -> whyNot(job, reference.metric(), exactValues)).toList();
            problems.add(reference + ": no service exports it (" + String.join("; ", reasons) + ")");
        }
        for (String job : owners) {
            PrometheusScrape scrape = scrapesByJob.get(job);
            Set<String> missing = missing(reference.labelNames(), scrape.labelNames(reference.metric()));
            missing.removeAll(ExternalMetrics.TARGET_LABELS);
            if (!missing.isEmpty()) {
                problems.add(reference + ": " + reference.metric() + " of " + job + " has no label " + missing
                        + " (it has " + scrape.labelNames(reference.metric()) + ")");
            }
        }
        return problems;
    }

    private boolean exports(String job, String sample, Map<String, String> exactValues) {
        PrometheusScrape scrape = scrapesByJob.get(job);
        return scrape.hasSample(sample) && scrape.hasSeries(sample, exactValues);
    }

    private String whyNot(String job, String sample, Map<String, String> exactValues) {
        PrometheusScrape scrape = scrapesByJob.get(job);
        if (!scrape.hasSample(sample)) {
            Set<String> samples = scrape.samplesOfFamily(sample);
            if (!samples.isEmpty()) {
                return job + " exports " + sample + " as a " + scrape.family(samples.iterator().next()).type()
                        + ", whose samples are " + samples;
            }
            return job + " does not export " + sample;
        }
        List<String> values = new ArrayList<>();
        exactValues.keySet().forEach(label -> values.add(label + " in " + scrape.labelValues(sample, label)));
        return job + " has no series of " + sample + " with " + exactValues + " (" + String.join(", ", values) + ")";
    }

    /** The jobs (services) the reference's job matchers select; all of them when it has none. */
    private List<String> jobsSelected(MetricReference reference) {
        List<LabelMatcher> matchers = reference.matchersOn(JOB);
        return scrapesByJob.keySet().stream().filter(job -> matchers.stream().allMatch(m -> matches(m, job))).toList();
    }

    /** Prometheus anchors regular expressions; a Grafana variable may stand for any service. */
    private static boolean matches(LabelMatcher matcher, String value) {
        if (matcher.value().contains("$")) {
            return true;
        }
        return switch (matcher.operator()) {
            case "=" -> matcher.value().equals(value);
            case "!=" -> !matcher.value().equals(value);
            case "=~" -> Pattern.compile(matcher.value()).matcher(value).matches();
            case "!~" -> !Pattern.compile(matcher.value()).matcher(value).matches();
            default -> throw new IllegalArgumentException("matcher " + matcher);
        };
    }

    private static Set<String> missing(Set<String> wanted, Set<String> present) {
        Set<String> missing = new TreeSet<>(wanted);
        missing.removeAll(present);
        return missing;
    }
}
