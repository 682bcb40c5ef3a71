package io.switchboard.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.RuleGroup;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the Prometheus Operator's CRDs and the operator itself require of a ServiceMonitor or PrometheusRule
 * beyond field names and types (which fabric8's model and {@link StrictManifestParser} check): required fields,
 * the Duration pattern, a scrape timeout within the interval, and Prometheus' rule-file rules (unique group
 * names, exactly one of alert and record, {@code for} only on alerts, an expression that parses).
 */
final class MonitoringResourceRules {

    /** monitoring.coreos.com's Duration: Prometheus' model.Duration, largest unit first, each at most once. */
    private static final Pattern DURATION = Pattern.compile(
            "^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$");
    private static final Pattern METRIC_NAME = Pattern.compile("^[a-zA-Z_:][a-zA-Z0-9_:]*$");
    private static final Pattern LABEL_NAME = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_]*$");
    private static final Set<String> SCHEMES = Set.of("http", "https", "HTTP", "HTTPS");

    private MonitoringResourceRules() {
    }

    /** Empty for any object that is not one of the operator's kinds. */
    static List<String> violations(HasMetadata object) {
        if (object instanceof ServiceMonitor monitor) {
            return serviceMonitor(monitor);
        }
        if (object instanceof PrometheusRule rule) {
            return prometheusRule(rule);
        }
        return List.of();
    }

    private static List<String> serviceMonitor(ServiceMonitor monitor) {
        List<String> violations = new ArrayList<>();
        if (monitor.getSpec() == null || monitor.getSpec().getSelector() == null) {
            violations.add("spec.selector is required");
            return violations;
        }
        List<Endpoint> endpoints = monitor.getSpec().getEndpoints() == null ? List.of() : monitor.getSpec().getEndpoints();
        for (int i = 0; i < endpoints.size(); i++) {
            Endpoint endpoint = endpoints.get(i);
            String at = "spec.endpoints[" + i + "]";
            if (endpoint.getPort() == null && endpoint.getTargetPort() == null) {
                violations.add(at + " names neither port nor targetPort");
            }
            if (endpoint.getScheme() != null && !SCHEMES.contains(endpoint.getScheme())) {
                violations.add(at + ".scheme must be http or https");
            }
            Duration interval = duration(endpoint.getInterval(), at + ".interval", violations);
            Duration timeout = duration(endpoint.getScrapeTimeout(), at + ".scrapeTimeout", violations);
            if (interval != null && timeout != null && timeout.compareTo(interval) > 0) {
                violations.add(at + ".scrapeTimeout " + endpoint.getScrapeTimeout() + " exceeds the interval " + endpoint.getInterval());
            }
        }
        return violations;
    }

    private static List<String> prometheusRule(PrometheusRule rules) {
        List<String> violations = new ArrayList<>();
        if (rules.getSpec() == null || rules.getSpec().getGroups() == null) {
            return violations;
        }
        Set<String> groupNames = new HashSet<>();
        for (int g = 0; g < rules.getSpec().getGroups().size(); g++) {
            RuleGroup group = rules.getSpec().getGroups().get(g);
            String at = "spec.groups[" + g + "]";
            if (group.getName() == null || group.getName().isEmpty()) {
                violations.add(at + ".name is required");
            } else if (!groupNames.add(group.getName())) {
                violations.add(at + ".name " + group.getName() + " is repeated");
            }
            duration(group.getInterval(), at + ".interval", violations);
            List<Rule> list = group.getRules() == null ? List.of() : group.getRules();
            for (int r = 0; r < list.size(); r++) {
                rule(list.get(r), at + ".rules[" + r + "]", violations);
            }
        }
        return violations;
    }

    private static void rule(Rule rule, String at, List<String> violations) {
        boolean alert = rule.getAlert() != null && !rule.getAlert().isEmpty();
        boolean record = rule.getRecord() != null && !rule.getRecord().isEmpty();
        if (alert == record) {
            violations.add(at + " needs exactly one of alert and record");
        }
        if (record && !METRIC_NAME.matcher(rule.getRecord()).matches()) {
            violations.add(at + ".record " + rule.getRecord() + " is not a metric name");
        }
        if (!alert && (rule.getFor() != null || rule.getKeepFiringFor() != null || rule.getAnnotations() != null)) {
            violations.add(at + ": for, keep_firing_for and annotations belong to alerts");
        }
        duration(rule.getFor(), at + ".for", violations);
        duration(rule.getKeepFiringFor(), at + ".keep_firing_for", violations);
        for (Set<String> names : List.of(keys(rule.getLabels()), keys(rule.getAnnotations()))) {
            names.stream().filter(n -> !LABEL_NAME.matcher(n).matches())
                    .forEach(n -> violations.add(at + ": " + n + " is not a valid label or annotation name"));
        }
        if (rule.getExpr() == null) {
            violations.add(at + ".expr is required");
            return;
        }
        try {
            PromQlParser.references(MonitoringQueries.expression(rule));
        } catch (IllegalArgumentException e) {
            violations.add(at + ".expr does not parse: " + e.getMessage());
        }
    }

    private static Set<String> keys(Map<String, String> map) {
        return map == null ? Set.of() : map.keySet();
    }

    /** The Duration a field holds (null when unset), recording a violation when it is not one. */
    static Duration duration(String value, String field, List<String> violations) {
        if (value == null) {
            return null;
        }
        Matcher matcher = DURATION.matcher(value);
        if (value.isEmpty() || !matcher.matches()) {
            violations.add(field + " " + value + " is not a duration like 30s, 5m or 1h30m");
            return null;
        }
        return parse(value);
    }

    /** A valid Prometheus duration ("1h30m", "250ms", "0") as a java.time.Duration. */
    static Duration parse(String value) {
        Duration total = Duration.ZERO;
        Matcher part = Pattern.compile("([0-9]+)(ms|y|w|d|h|m|s)").matcher(value);
        while (part.find()) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "y" -> Duration.ofDays(365 * amount);
                case "w" -> Duration.ofDays(7 * amount);
                case "d" -> Duration.ofDays(amount);
                case "h" -> Duration.ofHours(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMillis(amount);
            });
        }
        return total;
    }
}
