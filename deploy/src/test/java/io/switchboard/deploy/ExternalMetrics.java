package io.switchboard.deploy;

import java.util.Map;
import java.util.Set;

/**
 * What the alerts and the dashboard may use that no Switchboard service exports, listed here on purpose
 * so that {@link MonitoringContract} checks everything else against the services' own scrapes.
 */
final class ExternalMetrics {

    /**
     * Metrics of kube-state-metrics (STABLE in its docs/metrics/workload/deployment-metrics.md), with their
     * labels. Add one here only with its documented labels.
     */
    static final Map<String, Set<String>> KUBE_STATE_METRICS = Map.of(
            "kube_deployment_spec_replicas", Set.of("namespace", "deployment"),
            "kube_deployment_status_replicas_available", Set.of("namespace", "deployment"));

    /**
     * Labels Prometheus adds to every series it scrapes through a ServiceMonitor (the Prometheus Operator's
     * target labels): not in a service's own output, but on every stored series of it.
     */
    static final Set<String> TARGET_LABELS = Set.of("job", "namespace", "pod", "instance", "service", "endpoint", "container");

    private ExternalMetrics() {
    }
}
