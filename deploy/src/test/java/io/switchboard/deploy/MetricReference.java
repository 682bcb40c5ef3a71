package io.switchboard.deploy;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One metric selector of a PromQL expression, {@code name{label op "value", ...}}, with the label names the
 * expression around it groups or matches by ({@code by}, {@code without}, {@code on}, {@code ignoring},
 * {@code group_left}, {@code group_right}): every one of them must be a label of the metric.
 */
record MetricReference(String metric, List<LabelMatcher> matchers, Set<String> groupingLabels) {

    record LabelMatcher(String label, String operator, String value) {

        /** An exact value the series must carry: "=" with no Grafana variable in it. */
        boolean isLiteralEquality() {
            return operator.equals("=") && !value.contains("$");
        }

        @Override
        public String toString() {
            return label + operator + '"' + value + '"';
        }
    }

    /** Every label name the expression relies on for this metric. */
    Set<String> labelNames() {
        Set<String> names = new TreeSet<>(groupingLabels);
        matchers.forEach(m -> names.add(m.label()));
        return names;
    }

    List<LabelMatcher> matchersOn(String label) {
        return matchers.stream().filter(m -> m.label().equals(label)).toList();
    }

    @Override
    public String toString() {
        String selector = metric + (matchers.isEmpty() ? "" : matchers.toString().replace('[', '{').replace(']', '}'));
        return groupingLabels.isEmpty() ? selector : selector + " grouped by " + groupingLabels;
    }
}
