package io.switchboard.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.RuleGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every PromQL expression an overlay ships: each PrometheusRule's rules and each Grafana dashboard's panel
 * queries and query variables, named by where they come from.
 */
final class MonitoringQueries {

    /** The label the Grafana sidecar looks for (kube-prometheus-stack's default). */
    static final String DASHBOARD_LABEL = "grafana_dashboard";

    /** Grafana's {@code label_values(selector, label)}: the same as {@code group by (label) (selector)}. */
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)\\s*$",
            Pattern.DOTALL);
    private static final Pattern QUERY_RESULT = Pattern.compile("^\\s*query_result\\((.*)\\)\\s*$", Pattern.DOTALL);

    private static final ObjectMapper JSON = new ObjectMapper();

    record Query(String origin, String expression) {

        List<MetricReference> references() {
            return PromQlParser.references(expression);
        }
    }

    private MonitoringQueries() {
    }

    static List<Query> of(RenderedOverlay rendered) {
        List<Query> queries = new ArrayList<>(alerts(rendered));
        for (Map.Entry<String, JsonNode> dashboard : dashboards(rendered).entrySet()) {
            queries.addAll(ofDashboard(dashboard.getKey(), dashboard.getValue()));
        }
        return queries;
    }

    static List<Query> alerts(RenderedOverlay rendered) {
        List<Query> queries = new ArrayList<>();
        for (PrometheusRule rules : rendered.all(PrometheusRule.class)) {
            for (RuleGroup group : rules.getSpec().getGroups()) {
                for (Rule rule : group.getRules()) {
                    String name = rule.getAlert() != null ? "alert " + rule.getAlert() : "record " + rule.getRecord();
                    queries.add(new Query("PrometheusRule " + rules.getMetadata().getName() + " " + name, expression(rule)));
                }
            }
        }
        return queries;
    }

    static String expression(Rule rule) {
        return rule.getExpr().getStrVal() != null ? rule.getExpr().getStrVal() : String.valueOf(rule.getExpr().getIntVal());
    }

    /** Each dashboard of the overlay's sidecar ConfigMaps, by "ConfigMap/key". */
    static Map<String, JsonNode> dashboards(RenderedOverlay rendered) {
        Map<String, JsonNode> dashboards = new java.util.LinkedHashMap<>();
        for (ConfigMap map : rendered.all(ConfigMap.class)) {
            Map<String, String> labels = map.getMetadata().getLabels();
            if (labels == null || !labels.containsKey(DASHBOARD_LABEL)) {
                continue;
            }
            map.getData().forEach((key, json) -> {
                try {
                    dashboards.put(map.getMetadata().getName() + "/" + key, JSON.readTree(json));
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException("ConfigMap " + map.getMetadata().getName() + " key " + key
                            + " is not JSON: " + e.getOriginalMessage(), e);
                }
            });
        }
        return dashboards;
    }

    static List<Query> ofDashboard(String name, JsonNode dashboard) {
        List<Query> queries = new ArrayList<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                JsonNode query = variable.path("query");
                String text = query.isObject() ? query.path("query").asText() : query.asText();
                queries.add(new Query(name + " variable $" + variable.path("name").asText(), variableQuery(text)));
            }
        }
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query(name + " panel \"" + panel.path("title").asText() + "\" " + target.path("refId").asText(),
                        target.path("expr").asText()));
            }
        }
        return queries;
    }

    /** Every panel, those inside collapsed rows included. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    /** A Grafana Prometheus variable query as the PromQL it stands for. */
    static String variableQuery(String query) {
        Matcher labelValues = LABEL_VALUES.matcher(query);
        if (labelValues.matches()) {
            return "group by (" + labelValues.group(2) + ") (" + labelValues.group(1) + ")";
        }
        Matcher queryResult = QUERY_RESULT.matcher(query);
        if (queryResult.matches()) {
            return queryResult.group(1);
        }
        throw new IllegalArgumentException("variable query " + query + " is neither label_values(selector, label)"
                + " nor query_result(expression); one that names no metric cannot be checked");
    }
}
