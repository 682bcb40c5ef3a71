package io.switchboard.deploy;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.util.List;
import java.util.Map;

/**
 * What Prometheus scrapes for one ServiceMonitor of an overlay: the one Service it selects (in its own
 * namespace), that Service's port each endpoint names, and the job label the series get — the value of the
 * Service's {@code jobLabel} label, or the Service's name without one (the Prometheus Operator's rule).
 */
record ScrapeTarget(ServiceMonitor monitor, Service service, String job) {

    static List<ScrapeTarget> of(RenderedOverlay rendered) {
        return rendered.all(ServiceMonitor.class).stream().map(monitor -> of(rendered, monitor)).toList();
    }

    static ScrapeTarget of(RenderedOverlay rendered, ServiceMonitor monitor) {
        String name = monitor.getMetadata().getName();
        if (monitor.getSpec().getNamespaceSelector() != null) {
            throw new AssertionError(rendered + ": ServiceMonitor " + name + " must watch its own namespace only");
        }
        List<Service> selected = rendered.all(Service.class).stream()
                .filter(s -> s.getMetadata().getNamespace().equals(monitor.getMetadata().getNamespace()))
                .filter(s -> ManifestPolicyTest.selects(monitor.getSpec().getSelector(), labels(s)))
                .toList();
        if (selected.size() != 1) {
            throw new AssertionError(rendered + ": ServiceMonitor " + name + " selects " + selected.size()
                    + " Services " + selected.stream().map(s -> s.getMetadata().getName()).toList() + ", not exactly one");
        }
        Service service = selected.getFirst();
        String jobLabel = monitor.getSpec().getJobLabel();
        String job = jobLabel == null ? service.getMetadata().getName() : labels(service).get(jobLabel);
        if (job == null) {
            throw new AssertionError(rendered + ": Service " + service.getMetadata().getName() + " has no label " + jobLabel
                    + " (ServiceMonitor " + name + "'s jobLabel): the job would fall back to the Service's name");
        }
        return new ScrapeTarget(monitor, service, job);
    }

    /** The Service port an endpoint scrapes, by the name it gives. */
    ServicePort port(Endpoint endpoint) {
        return service.getSpec().getPorts().stream().filter(p -> p.getName().equals(endpoint.getPort())).findFirst()
                .orElseThrow(() -> new AssertionError("ServiceMonitor " + monitor.getMetadata().getName() + " scrapes port "
                        + endpoint.getPort() + ", which Service " + service.getMetadata().getName() + " does not name"));
    }

    private static Map<String, String> labels(Service service) {
        return service.getMetadata().getLabels() == null ? Map.of() : service.getMetadata().getLabels();
    }
}
