package io.switchboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.RuleGroup;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The monitoring objects of every overlay against the rest of it: each ServiceMonitor scrapes one Service's
 * named port, which routes to the container port the pods' scrape annotations name and the Prometheus
 * NetworkPolicy admits; each alert has what an on-call reader needs and is explained in docs/deploy.md; the
 * dashboard is one the Grafana sidecar loads. {@link MonitoringContractIT} checks the queries' metrics.
 */
class ManifestMonitoringTest {

    private static final Set<String> SEVERITIES = Set.of("critical", "warning");
    private static final Pattern MONITORING_HEADING = Pattern.compile("^## (\\d+\\. )?Monitoring$", Pattern.MULTILINE);

    @ParameterizedTest
    @FieldSource("io.switchboard.deploy.RenderedOverlay#OVERLAYS")
    void eachServiceIsScrapedOnItsHttpPortAtQuarkusMetricsPath(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        List<ScrapeTarget> targets = ScrapeTarget.of(rendered);

        assertThat(targets).extracting(t -> t.service().getMetadata().getName())
                .containsExactlyInAnyOrder(ServiceCode.ALL.stream().map(ServiceCode::module).toArray(String[]::new));
        for (ScrapeTarget target : targets) {
            String module = target.service().getMetadata().getName();
            Deployment deployment = rendered.deployment(module);
            assertThat(target.job()).as("%s: job label of %s", overlay, module).isEqualTo(module);
            assertThat(target.monitor().getSpec().getEndpoints()).as("%s: endpoints of %s", overlay, module).singleElement()
                    .satisfies(endpoint -> {
                        ServicePort port = target.port(endpoint);
                        int containerPort = ManifestPolicyTest.container(deployment, module).getPorts().stream()
                                .filter(p -> p.getName().equals(port.getTargetPort().getStrVal())).findFirst().orElseThrow()
                                .getContainerPort();
                        Map<String, String> annotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
                        assertThat(endpoint.getPath()).isEqualTo(annotations.get("prometheus.io/path")).isEqualTo("/q/metrics");
                        assertThat(containerPort).isEqualTo(Integer.parseInt(annotations.get("prometheus.io/port")))
                                .isEqualTo(ServiceCode.of(module).httpPort());
                        assertThat(admitsPrometheus(rendered, deployment, containerPort))
                                .as("%s: a NetworkPolicy lets namespace monitoring reach %s:%d", overlay, module, containerPort).isTrue();
                        assertScrapeTiming(endpoint);
                    });
        }
    }

    @ParameterizedTest
    @FieldSource("io.switchboard.deploy.RenderedOverlay#OVERLAYS")
    void everyAlertSaysHowBadWhatAndWhatToDo(String overlay) throws Exception {
        String deployDoc = Files.readString(RenderedOverlay.deployDirectory().resolveSibling("docs").resolve("deploy.md"));
        Matcher heading = MONITORING_HEADING.matcher(deployDoc);
        assertThat(heading.find()).as("docs/deploy.md has a section Monitoring").isTrue();
        int next = deployDoc.indexOf("\n## ", heading.end());
        String monitoringSection = deployDoc.substring(heading.start(), next < 0 ? deployDoc.length() : next);
        List<Rule> alerts = alerts(RenderedOverlay.render(overlay));
        Set<String> names = new HashSet<>();

        assertThat(alerts).as("%s: alerts", overlay).hasSizeGreaterThanOrEqualTo(7);
        for (Rule alert : alerts) {
            String name = alert.getAlert();
            assertThat(names.add(name)).as("%s: %s is unique", overlay, name).isTrue();
            assertThat(name).startsWith("Switchboard");
            assertThat(alert.getFor()).as("%s: for of %s", overlay, name).isNotNull();
            assertThat(MonitoringResourceRules.parse(alert.getFor())).as("%s: for of %s", overlay, name)
                    .isGreaterThanOrEqualTo(Duration.ofMinutes(1));
            assertThat(alert.getLabels()).as("%s: labels of %s", overlay, name).containsKey("severity");
            assertThat(SEVERITIES).as("%s: severity of %s", overlay, name).contains(alert.getLabels().get("severity"));
            assertThat(alert.getAnnotations()).as("%s: annotations of %s", overlay, name)
                    .containsKeys("summary", "description", "runbook");
            assertThat(alert.getAnnotations().get("runbook")).as("%s: runbook of %s", overlay, name)
                    .startsWith("docs/deploy.md, Monitoring, " + name + ":");
            assertThat(monitoringSection).as("docs/deploy.md, Monitoring, explains %s", name).contains("**" + name + "**");
        }
    }

    @ParameterizedTest
    @FieldSource("io.switchboard.deploy.RenderedOverlay#OVERLAYS")
    void theDashboardIsOneTheGrafanaSidecarLoads(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        List<ConfigMap> sidecarMaps = rendered.all(ConfigMap.class).stream()
                .filter(m -> m.getMetadata().getLabels().containsKey(MonitoringQueries.DASHBOARD_LABEL)).toList();

        assertThat(sidecarMaps).singleElement().satisfies(map -> {
            assertThat(map.getMetadata().getLabels()).containsEntry(MonitoringQueries.DASHBOARD_LABEL, "1");
            assertThat(map.getData()).allSatisfy((key, json) -> assertThat(key).endsWith(".json"));
        });
        Map<String, JsonNode> dashboards = MonitoringQueries.dashboards(rendered);
        assertThat(dashboards).hasSize(1);
        JsonNode dashboard = dashboards.values().iterator().next();
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        assertThat(dashboard.path("title").asText()).isNotBlank();
        assertThat(dashboard.path("templating").path("list")).anySatisfy(v -> {
            assertThat(v.path("name").asText()).isEqualTo("datasource");
            assertThat(v.path("type").asText()).isEqualTo("datasource");
            assertThat(v.path("query").asText()).isEqualTo("prometheus");
        });

        Set<Integer> ids = new HashSet<>();
        List<String> titles = new ArrayList<>();
        for (JsonNode panel : MonitoringQueries.panels(dashboard)) {
            String title = panel.path("title").asText();
            assertThat(ids.add(panel.path("id").asInt())).as("panel id of %s is unique", title).isTrue();
            for (String field : List.of("h", "w", "x", "y")) {
                assertThat(panel.path("gridPos").path(field).isInt()).as("gridPos.%s of %s", field, title).isTrue();
            }
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            titles.add(title);
            assertThat(panel.path("datasource").path("uid").asText()).as("data source of %s", title).isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as("queries of %s", title).isNotEmpty().allSatisfy(target -> {
                assertThat(target.path("refId").asText()).isNotBlank();
                assertThat(PromQlParser.references(target.path("expr").asText())).as("metrics of %s", title).isNotEmpty();
            });
        }
        assertThat(titles).contains("Open connections", "Frames sent / s", "Commit → frame latency",
                "Commit → frame latency p50 / p99", "Resumes / s", "Resets / s", "Replayed events / s", "Events held back (age)",
                "Fold lag", "Events folded / s", "Message writes / s", "HTTP 4xx / 5xx per service", "Gateway refusals / s",
                "Pool connections", "Waiting for a connection");
    }

    @Test
    void theDashboardsHeatmapReadsHistogramBuckets() {
        JsonNode dashboard = MonitoringQueries.dashboards(RenderedOverlay.render("prod")).values().iterator().next();

        assertThat(MonitoringQueries.panels(dashboard)).filteredOn(p -> p.path("type").asText().equals("heatmap"))
                .singleElement().satisfies(heatmap -> assertThat(heatmap.path("targets")).singleElement().satisfies(target -> {
                    assertThat(target.path("format").asText()).isEqualTo("heatmap");
                    assertThat(PromQlParser.references(target.path("expr").asText())).singleElement().satisfies(reference -> {
                        assertThat(reference.metric()).endsWith("_bucket");
                        assertThat(reference.groupingLabels()).containsExactly("le");
                    });
                }));
    }

    private static void assertScrapeTiming(Endpoint endpoint) {
        List<String> violations = new ArrayList<>();
        Duration interval = MonitoringResourceRules.duration(endpoint.getInterval(), "interval", violations);
        assertThat(violations).isEmpty();
        // rate(...[5m]) in the alerts needs several samples per window
        assertThat(interval).isNotNull().isLessThanOrEqualTo(Duration.ofMinutes(1));
    }

    private static boolean admitsPrometheus(RenderedOverlay rendered, Deployment deployment, int port) {
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        return rendered.all(NetworkPolicy.class).stream()
                .filter(p -> ManifestPolicyTest.selects(p.getSpec().getPodSelector(), podLabels))
                .filter(p -> p.getSpec().getIngress() != null)
                .flatMap(p -> p.getSpec().getIngress().stream())
                .filter(rule -> rule.getFrom().stream().anyMatch(peer -> peer.getNamespaceSelector() != null
                        && "monitoring".equals(peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"))))
                .anyMatch(rule -> rule.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == port));
    }

    private static List<Rule> alerts(RenderedOverlay rendered) {
        List<Rule> alerts = new ArrayList<>();
        for (PrometheusRule rules : rendered.all(PrometheusRule.class)) {
            for (RuleGroup group : rules.getSpec().getGroups()) {
                group.getRules().stream().filter(r -> r.getAlert() != null).forEach(alerts::add);
            }
        }
        return alerts;
    }

    /** Every ServiceMonitor of every overlay is one {@link ScrapeTarget} accepts (exactly one Service, a known port). */
    @ParameterizedTest
    @FieldSource("io.switchboard.deploy.RenderedOverlay#OVERLAYS")
    void serviceMonitorsSelectOnlyTheirService(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);

        assertThat(rendered.all(ServiceMonitor.class)).hasSize(ServiceCode.ALL.size()).allSatisfy(monitor -> {
            ScrapeTarget target = ScrapeTarget.of(rendered, monitor);
            assertThat(target.service().getMetadata().getName()).isEqualTo(monitor.getMetadata().getName());
            monitor.getSpec().getEndpoints().forEach(target::port);
        });
    }

    @Test
    void aServiceMonitorThatMissesItsServiceOrPortIsReported() {
        RenderedOverlay broken = new RenderedOverlay("broken", new StrictManifestParser().parseAll("""
                apiVersion: v1
                kind: Service
                metadata: {name: api, namespace: ns, labels: {app.kubernetes.io/name: api}}
                spec:
                  selector: {app.kubernetes.io/name: api}
                  ports: [{name: http, port: 8080, targetPort: http}]
                ---
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: misspelt, namespace: ns}
                spec:
                  selector: {matchLabels: {app.kubernetes.io/name: apy}}
                  endpoints: [{port: http}]
                ---
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: other-port, namespace: ns}
                spec:
                  jobLabel: app.kubernetes.io/name
                  selector: {matchLabels: {app.kubernetes.io/name: api}}
                  endpoints: [{port: metrics}]
                """));

        assertThatThrownBy(() -> ScrapeTarget.of(broken, broken.get(ServiceMonitor.class, "misspelt")))
                .hasMessageContaining("selects 0 Services");
        ScrapeTarget otherPort = ScrapeTarget.of(broken, broken.get(ServiceMonitor.class, "other-port"));
        assertThat(otherPort.job()).isEqualTo("api");
        assertThatThrownBy(() -> otherPort.port(otherPort.monitor().getSpec().getEndpoints().getFirst()))
                .hasMessageContaining("scrapes port metrics, which Service api does not name");
    }
}
