package io.switchboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.deploy.MonitoringQueries.Query;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link MonitoringContract} and {@link PrometheusScrape} on small scrapes written the way Micrometer writes
 * them, so each kind of mismatch is shown to be reported without starting a service
 * ({@link MonitoringContractIT} runs the same check against the real ones).
 */
class MonitoringContractTest {

    private static final PrometheusScrape GATEWAY = PrometheusScrape.parse("""
            # HELP switchboard_gateway_connections
            # TYPE switchboard_gateway_connections gauge
            switchboard_gateway_connections 3.0
            # TYPE switchboard_gateway_frames_sent_total counter
            switchboard_gateway_frames_sent_total{transport="sse",} 2.0
            switchboard_gateway_frames_sent_total{transport="websocket",} 7.0
            # TYPE switchboard_gateway_delivery_lag_seconds histogram
            switchboard_gateway_delivery_lag_seconds_bucket{le="0.001",} 0.0
            switchboard_gateway_delivery_lag_seconds_bucket{le="+Inf",} 1.0
            switchboard_gateway_delivery_lag_seconds_count 1.0
            switchboard_gateway_delivery_lag_seconds_sum 0.012
            # TYPE switchboard_eventlog_held_back_seconds gauge
            switchboard_eventlog_held_back_seconds{consumer="gateway",} 0.0
            # TYPE agroal_awaiting_count gauge
            agroal_awaiting_count{datasource="default",} 0.0
            """);

    private static final PrometheusScrape CONVERSATIONS = PrometheusScrape.parse("""
            # TYPE http_server_requests_seconds summary
            http_server_requests_seconds_count{method="POST",outcome="SUCCESS",status="201",uri="/api/v1/conversations/{conversationId}/messages",} 1.0
            http_server_requests_seconds_sum{method="POST",outcome="SUCCESS",status="201",uri="/api/v1/conversations/{conversationId}/messages",} 0.06
            # TYPE http_server_connections_seconds summary
            http_server_connections_seconds_active_count{server_port="8081",} 3.0
            http_server_connections_seconds_duration_sum{server_port="8081",} 13.3
            # TYPE agroal_awaiting_count gauge
            agroal_awaiting_count{datasource="default",} 0.0
            agroal_awaiting_count{datasource="eventlog",} 0.0
            """);

    private final MonitoringContract contract = new MonitoringContract(Map.of(
            "realtime-gateway", GATEWAY, "conversations-service", CONVERSATIONS));

    @Test
    void queriesOfExportedMetricsPass() {
        assertThat(contract.violations(List.of(
                query("sum by (pod, transport) (rate(switchboard_gateway_frames_sent_total{job=\"realtime-gateway\"}[5m]))"),
                query("histogram_quantile(0.99, sum by (namespace, le) (rate(switchboard_gateway_delivery_lag_seconds_bucket[5m])))"),
                query("max by (job, consumer) (switchboard_eventlog_held_back_seconds{consumer=\"gateway\"})"),
                query("max by (datasource) (agroal_awaiting_count{job=~\".*-service|realtime-.*\"}) > 0"),
                query("sum(rate(http_server_requests_seconds_count{method=\"POST\", uri=\"/api/v1/conversations/{conversationId}/messages\"}[5m]))"),
                query("kube_deployment_spec_replicas > on (namespace, deployment) kube_deployment_status_replicas_available"))))
                .isEmpty();
    }

    @Test
    void aMadeUpMetricIsReported() {
        assertThat(contract.violations(List.of(query("sum(rate(switchboard_gateway_frames_total[5m])) > 1"))))
                .singleElement().satisfies(v -> assertThat(v)
                        .startsWith("test: switchboard_gateway_frames_total: no service exports it")
                        .contains("realtime-gateway does not export switchboard_gateway_frames_total"));
    }

    @Test
    void aLabelTheMetricDoesNotCarryIsReported() {
        assertThat(contract.violations(List.of(query("sum by (transport, reason) (switchboard_gateway_frames_sent_total)"))))
                .singleElement().satisfies(v -> assertThat(v).contains("has no label [reason]").contains("it has [transport]"));
        // le exists on the buckets only
        assertThat(contract.violations(List.of(query("sum by (le) (switchboard_gateway_delivery_lag_seconds_count)"))))
                .singleElement().satisfies(v -> assertThat(v).contains("has no label [le]"));
    }

    @Test
    void aHistogramIsSelectedThroughItsSamples() {
        assertThat(GATEWAY.family("switchboard_gateway_delivery_lag_seconds_bucket"))
                .isEqualTo(new PrometheusScrape.Family("switchboard_gateway_delivery_lag_seconds", "histogram"));
        assertThat(GATEWAY.labelNames("switchboard_gateway_delivery_lag_seconds_bucket")).containsExactly("le");
        assertThat(contract.violations(List.of(query("rate(switchboard_gateway_delivery_lag_seconds[5m])"))))
                .singleElement().satisfies(v -> assertThat(v).contains("exports switchboard_gateway_delivery_lag_seconds as a histogram")
                        .contains("switchboard_gateway_delivery_lag_seconds_bucket"));
    }

    @Test
    void anExactLabelValueNoSeriesCarriesIsReported() {
        assertThat(contract.violations(List.of(query("switchboard_eventlog_held_back_seconds{consumer=\"realtime-gateway\"}"))))
                .singleElement().satisfies(v -> assertThat(v).contains("no series").contains("consumer in [gateway]"));
        assertThat(contract.violations(List.of(query(
                "http_server_requests_seconds_count{method=\"POST\", uri=\"/api/v1/conversations/{id}/messages\"}"))))
                .singleElement().satisfies(v -> assertThat(v).contains("no series"));
    }

    @Test
    void aJobThatDoesNotExportTheMetricIsReported() {
        assertThat(contract.violations(List.of(query("switchboard_gateway_connections{job=\"conversations-service\"}"))))
                .singleElement().satisfies(v -> assertThat(v).contains("conversations-service does not export switchboard_gateway_connections"));
        assertThat(contract.violations(List.of(query("switchboard_gateway_connections{job=\"gateway\"}"))))
                .singleElement().satisfies(v -> assertThat(v).contains("select none of the services"));
    }

    @Test
    void kubernetesMetricsNeedTheAllowListAndItsLabels() {
        assertThat(contract.violations(List.of(query("kube_pod_status_ready{condition=\"true\"} == 0"))))
                .singleElement().satisfies(v -> assertThat(v).contains("no service exports it"));
        assertThat(contract.violations(List.of(query("kube_deployment_spec_replicas{pod=\"x\"}"))))
                .singleElement().satisfies(v -> assertThat(v).contains("kube-state-metrics' kube_deployment_spec_replicas has no label [pod]"));
    }

    @Test
    void anExpressionThatDoesNotParseIsReported() {
        assertThat(contract.violations(List.of(query("sum(rate(switchboard_gateway_connections[5m])"))))
                .singleElement().satisfies(v -> assertThat(v).startsWith("test: expected ')'"));
    }

    @Test
    void aSampleOutsideItsFamilysSuffixesIsRejected() {
        assertThatThrownBy(() -> PrometheusScrape.parse("""
                # TYPE x histogram
                x_bucket{le="+Inf"} 1
                x_total 1
                """)).hasMessageContaining("sample x_total does not belong to histogram x");
        assertThatThrownBy(() -> PrometheusScrape.parse("x{a=b} 1")).hasMessageContaining("no quoted value");
    }

    @Test
    void readsOpenMetricsAndEscapedLabelValues() {
        PrometheusScrape scrape = PrometheusScrape.parse("""
                # TYPE x counter
                # UNIT x bytes
                x_total{path="/a \\"b\\"\\\\c"} 1.0 1700000000.000 # {trace_id="abc"} 1.0
                x_created 1.7e9
                # EOF
                """);

        assertThat(scrape.family("x_total")).isEqualTo(new PrometheusScrape.Family("x", "counter"));
        assertThat(scrape.hasSeries("x_total", Map.of("path", "/a \"b\"\\c"))).isTrue();
    }

    private static Query query(String expression) {
        return new Query("test", expression);
    }
}
