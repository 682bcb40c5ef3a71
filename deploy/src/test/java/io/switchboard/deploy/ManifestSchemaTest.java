package io.switchboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Every overlay renders with kubectl kustomize, and every object it yields is valid Kubernetes API. */
class ManifestSchemaTest {

    @ParameterizedTest
    @FieldSource("io.switchboard.deploy.RenderedOverlay#OVERLAYS")
    void everyRenderedObjectMatchesTheKubernetesApi(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);

        assertThat(rendered.all(Deployment.class)).extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder("conversations-service", "realtime-gateway", "metrics-service");
        Set<String> seen = new HashSet<>();
        for (HasMetadata object : rendered.objects()) {
            assertThat(seen.add(object.getKind() + "/" + object.getMetadata().getName()))
                    .as("%s: %s %s appears once", overlay, object.getKind(), object.getMetadata().getName()).isTrue();
            assertThat(object.getMetadata().getNamespace()).as("%s: namespace of %s", overlay, object.getMetadata().getName())
                    .isNotBlank();
            assertThat(object.getMetadata().getLabels()).as("%s: labels of %s %s", overlay, object.getKind(), object.getMetadata().getName())
                    .containsEntry("app.kubernetes.io/part-of", "switchboard");
        }
    }

    @Test
    void aFieldTheApiDoesNotDefineIsRejected() {
        assertThatThrownBy(() -> new StrictManifestParser().parseAll("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: typo
                spec:
                  template:
                    spec:
                      containers:
                        - name: app
                          image: app
                          containerPorts:
                            - containerPort: 8080
                """))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Deployment typo")
                .hasMessageContaining("containerPorts");
    }

    @Test
    void aValueOfTheWrongTypeIsRejected() {
        assertThatThrownBy(() -> new StrictManifestParser().parseAll("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: quoted-port
                spec:
                  ports:
                    - port: "8080"
                """))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Service quoted-port");
    }

    @Test
    void anApiVersionThatIsNotServedIsRejected() {
        assertThatThrownBy(() -> new StrictManifestParser().parseAll("""
                apiVersion: policy/v1beta1
                kind: PodDisruptionBudget
                metadata:
                  name: old
                spec:
                  maxUnavailable: 1
                """))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("policy/v1beta1/PodDisruptionBudget");
    }

    @Test
    void aValidObjectParses() {
        List<HasMetadata> objects = new StrictManifestParser().parseAll("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: fine
                spec:
                  ports:
                    - name: http
                      port: 8080
                      targetPort: http
                """);
        assertThat(objects).singleElement().extracting(o -> o.getMetadata().getName()).isEqualTo("fine");
    }

    @Test
    void aServiceMonitorIsHeldToItsCrd() {
        assertThatThrownBy(() -> new StrictManifestParser().parseAll("""
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata:
                  name: typo
                spec:
                  selector: {}
                  endpoints:
                    - port: http
                      metricsPath: /q/metrics
                """))
                .hasMessageContaining("ServiceMonitor typo does not match the Kubernetes API").hasMessageContaining("metricsPath");
        assertThatThrownBy(() -> new StrictManifestParser().parseAll("""
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata:
                  name: unselective
                spec:
                  endpoints:
                    - port: http
                """))
                .hasMessageContaining("ServiceMonitor unselective does not match its CRD: spec.selector is required");
        assertThatThrownBy(() -> new StrictManifestParser().parseAll("""
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata:
                  name: slow
                spec:
                  selector: {}
                  endpoints:
                    - port: http
                      interval: 15s
                      scrapeTimeout: 30s
                """))
                .hasMessageContaining("scrapeTimeout 30s exceeds the interval 15s");
        assertThatThrownBy(() -> new StrictManifestParser().parseAll("""
                apiVersion: monitoring.coreos.com/v1alpha1
                kind: ServiceMonitor
                metadata:
                  name: old
                spec:
                  selector: {}
                """))
                .hasMessageContaining("monitoring.coreos.com/v1alpha1/ServiceMonitor");
    }

    @Test
    void aPrometheusRuleIsHeldToItsCrdAndPrometheusRuleFiles() {
        assertThatThrownBy(() -> new StrictManifestParser().parseAll("""
                apiVersion: monitoring.coreos.com/v1
                kind: PrometheusRule
                metadata:
                  name: sloppy
                spec:
                  groups:
                    - name: a
                      rules:
                        - alert: Both
                          record: both:sum
                          expr: sum(x)
                        - alert: Slowly
                          expr: rate(x[5m]) > 1
                          for: 5 minutes
                        - alert: Broken
                          expr: sum(rate(x[5m]) > 1
                        - alert: Empty
                    - name: a
                      rules: []
                """))
                .hasMessageContaining("PrometheusRule sloppy does not match its CRD")
                .hasMessageContaining("rules[0] needs exactly one of alert and record")
                .hasMessageContaining("rules[1].for 5 minutes is not a duration")
                .hasMessageContaining("rules[2].expr does not parse: expected ')'")
                .hasMessageContaining("rules[3].expr is required")
                .hasMessageContaining("spec.groups[1].name a is repeated");
        assertThatThrownBy(() -> new StrictManifestParser().parseAll("""
                apiVersion: monitoring.coreos.com/v1
                kind: PrometheusRule
                metadata:
                  name: typo
                spec:
                  groups:
                    - name: a
                      rules:
                        - alert: A
                          expr: up == 0
                          severity: critical
                """))
                .hasMessageContaining("PrometheusRule typo does not match the Kubernetes API").hasMessageContaining("severity");
    }
}
