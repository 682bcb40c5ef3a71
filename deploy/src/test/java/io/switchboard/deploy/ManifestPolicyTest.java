package io.switchboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

/** What every overlay must guarantee for each service, checked on the rendered objects. */
class ManifestPolicyTest {

    /** Secrets the manifests read but do not create in production: docs/deploy.md says how to create each. */
    static final Set<String> EXTERNAL_SECRETS = Set.of("switchboard-db-app", "switchboard-jwt", "switchboard-gateway-token",
            "switchboard-tls");

    static Stream<Arguments> overlayAndService() {
        return RenderedOverlay.OVERLAYS.stream().flatMap(o -> ServiceCode.ALL.stream().map(s -> Arguments.of(o, s.module())));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlayAndService")
    void containerPortAndScrapeTargetAreTheServicesHttpPort(String overlay, String module) {
        Deployment deployment = RenderedOverlay.render(overlay).deployment(module);
        Container container = container(deployment, module);
        int port = ServiceCode.of(module).httpPort();

        assertThat(container.getPorts()).extracting(ContainerPort::getName, ContainerPort::getContainerPort)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("http", port));
        Map<String, String> annotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
        assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/path", "/q/metrics")
                .containsEntry("prometheus.io/port", Integer.toString(port));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlayAndService")
    void probesUseSmallRyeHealth(String overlay, String module) {
        Container container = container(RenderedOverlay.render(overlay).deployment(module), module);

        assertProbe(container.getStartupProbe(), "/q/health/started");
        assertProbe(container.getLivenessProbe(), "/q/health/live");
        assertProbe(container.getReadinessProbe(), "/q/health/ready");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlayAndService")
    void runsLockedDown(String overlay, String module) {
        PodSpec pod = RenderedOverlay.render(overlay).deployment(module).getSpec().getTemplate().getSpec();
        Container container = container(pod, module);

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getPrivileged()).isFalse();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        // read-only root: Vert.x needs a writable /tmp for its file cache
        assertThat(container.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlayAndService")
    void hasBoundedResources(String overlay, String module) {
        var resources = container(RenderedOverlay.render(overlay).deployment(module), module).getResources();

        for (String resource : List.of("cpu", "memory")) {
            Quantity request = resources.getRequests().get(resource);
            Quantity limit = resources.getLimits().get(resource);
            assertThat(request).as("%s request", resource).isNotNull();
            assertThat(limit).as("%s limit", resource).isNotNull();
            assertThat(limit.getNumericalAmount()).as("%s limit >= request", resource)
                    .isGreaterThanOrEqualTo(request.getNumericalAmount());
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlayAndService")
    void spreadsAndSurvivesDisruptions(String overlay, String module) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        Deployment deployment = rendered.deployment(module);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();

        assertThat(deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints())
                .extracting(TopologySpreadConstraint::getTopologyKey)
                .contains("topology.kubernetes.io/zone", "kubernetes.io/hostname");
        assertThat(deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints())
                .allSatisfy(c -> assertThat(selects(c.getLabelSelector(), podLabels)).isTrue());
        assertThat(rendered.all(PodDisruptionBudget.class))
                .filteredOn(pdb -> selects(pdb.getSpec().getSelector(), podLabels))
                .singleElement()
                .satisfies(pdb -> assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1));
        assertThat(selects(deployment.getSpec().getSelector(), podLabels)).isTrue();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlayAndService")
    void serviceRoutesToTheNamedPort(String overlay, String module) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        Deployment deployment = rendered.deployment(module);
        Service service = rendered.get(Service.class, module);

        assertThat(service.getSpec().getSelector()).isNotEmpty();
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts()).extracting(ServicePort::getName, p -> p.getTargetPort().getStrVal(), ServicePort::getPort)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("http", "http", ServiceCode.of(module).httpPort()));
    }

    @ParameterizedTest
    @FieldSource("io.switchboard.deploy.RenderedOverlay#OVERLAYS")
    void gatewayScalesAndDrainsWithinTheGracePeriod(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        Deployment gateway = rendered.deployment("realtime-gateway");
        PodSpec pod = gateway.getSpec().getTemplate().getSpec();
        HorizontalPodAutoscaler hpa = rendered.get(HorizontalPodAutoscaler.class, "realtime-gateway");

        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("realtime-gateway");
        assertThat(hpa.getSpec().getMinReplicas()).isPositive().isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
        assertThat(gateway.getSpec().getReplicas()).as("the autoscaler owns the replica count").isNull();

        List<String> preStop = container(pod, "realtime-gateway").getLifecycle().getPreStop().getExec().getCommand();
        assertThat(preStop).hasSize(2).first().isEqualTo("sleep");
        Duration sleep = Duration.ofSeconds(Long.parseLong(preStop.get(1)));
        Map<String, String> env = DeploymentEnvironment.of(rendered, gateway).configured();
        ServiceCode code = ServiceCode.of("realtime-gateway");
        Duration drain = duration(env.getOrDefault("GATEWAY_SHUTDOWN_DRAIN_WINDOW", code.productionValue("gateway.shutdown.drain-window").orElseThrow()));
        // the drain closes what is left 2 s after its window (lifecycle/Drain); no request timeout follows it
        Duration closeGrace = Duration.ofSeconds(2);
        assertThat(env).as("the gateway sets no request timeout (docs/deploy.md)").doesNotContainKey("QUARKUS_SHUTDOWN_TIMEOUT");
        assertThat(Duration.ofSeconds(pod.getTerminationGracePeriodSeconds()))
                .as("grace period covers preStop %s + drain %s + close grace %s", sleep, drain, closeGrace)
                .isGreaterThan(sleep.plus(drain).plus(closeGrace));
    }

    @ParameterizedTest
    @FieldSource("io.switchboard.deploy.RenderedOverlay#OVERLAYS")
    void onlyTheGatewayAndTheConversationsApiArePublic(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        Ingress ingress = rendered.get(Ingress.class, "switchboard");

        var backends = ingress.getSpec().getRules().stream().flatMap(r -> r.getHttp().getPaths().stream())
                .map(p -> p.getBackend().getService()).toList();
        assertThat(backends).extracting(b -> b.getName()).containsOnly("realtime-gateway", "conversations-service");
        for (var backend : backends) {
            assertThat(rendered.get(Service.class, backend.getName()).getSpec().getPorts())
                    .extracting(ServicePort::getName).contains(backend.getPort().getName());
        }
        assertThat(Integer.parseInt(ingress.getMetadata().getAnnotations().get("nginx.ingress.kubernetes.io/proxy-read-timeout")))
                .as("idle WebSockets outlive the proxy timeout").isGreaterThanOrEqualTo(600);

        List<NetworkPolicy> policies = rendered.all(NetworkPolicy.class);
        assertThat(policies).anySatisfy(p -> {
            assertThat(p.getSpec().getIngress()).isNullOrEmpty();
            assertThat(p.getSpec().getPolicyTypes()).containsExactly("Ingress");
        });
        for (NetworkPolicy policy : policies) {
            boolean fromIngressController = policy.getSpec().getIngress() != null && policy.getSpec().getIngress().stream()
                    .flatMap(rule -> rule.getFrom().stream())
                    .map(NetworkPolicyPeer::getNamespaceSelector).filter(Objects::nonNull)
                    .anyMatch(ns -> "ingress-nginx".equals(ns.getMatchLabels().get("kubernetes.io/metadata.name")));
            if (fromIngressController) {
                assertThat(selects(policy.getSpec().getPodSelector(), podLabels(rendered, "metrics-service")))
                        .as("%s lets the ingress reach the metrics service", policy.getMetadata().getName()).isFalse();
                assertThat(selects(policy.getSpec().getPodSelector(), podLabels(rendered, "realtime-gateway"))).isTrue();
                assertThat(selects(policy.getSpec().getPodSelector(), podLabels(rendered, "conversations-service"))).isTrue();
            }
        }
    }

    @ParameterizedTest
    @FieldSource("io.switchboard.deploy.RenderedOverlay#OVERLAYS")
    void everyServiceMayReachTheDatabase(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        NetworkPolicy database = rendered.get(NetworkPolicy.class, "allow-database-clients");
        Map<String, String> clientSelector = database.getSpec().getIngress().get(0).getFrom().get(0).getPodSelector().getMatchLabels();

        assertThat(database.getSpec().getIngress().get(0).getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(5432);
        for (ServiceCode service : ServiceCode.ALL) {
            assertThat(podLabels(rendered, service.module())).as(service.module()).containsAllEntriesOf(clientSelector);
        }
    }

    @Test
    void devRunsItsOwnDatabaseOnAPersistentVolume() {
        RenderedOverlay dev = RenderedOverlay.render("dev");
        StatefulSet postgres = dev.get(StatefulSet.class, "postgres");
        Service service = dev.get(Service.class, "postgres");
        Secret credentials = dev.all(Secret.class).stream()
                .filter(s -> s.getMetadata().getName().startsWith("switchboard-db-app")).findFirst().orElseThrow();

        assertThat(postgres.getSpec().getVolumeClaimTemplates()).singleElement()
                .satisfies(pvc -> assertThat(pvc.getSpec().getResources().getRequests()).containsKey("storage"));
        assertThat(selects(dev.get(NetworkPolicy.class, "allow-database-clients").getSpec().getPodSelector(),
                postgres.getSpec().getTemplate().getMetadata().getLabels())).isTrue();
        String jdbcUri = new String(Base64.getDecoder().decode(credentials.getData().get("jdbc-uri")), StandardCharsets.UTF_8);
        assertThat(jdbcUri).isEqualTo("jdbc:postgresql://" + service.getMetadata().getName() + ":"
                + service.getSpec().getPorts().get(0).getPort() + "/switchboard");
        assertThat(postgres.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .as("a session left idle in a transaction is ended (docs/deploy.md)")
                .containsSubsequence("-c", "idle_in_transaction_session_timeout=30s");
    }

    @Test
    void prodReadsOnlyDocumentedSecretsAndKeepsAStandbyMetricsReplica() throws Exception {
        RenderedOverlay prod = RenderedOverlay.render("prod");
        String deployDoc = Files.readString(RenderedOverlay.deployDirectory().resolveSibling("docs").resolve("deploy.md"));

        assertThat(prod.all(Secret.class)).as("production Secrets are created outside the manifests").isEmpty();
        Set<String> referenced = new java.util.TreeSet<>();
        for (Deployment deployment : prod.all(Deployment.class)) {
            referenced.addAll(DeploymentEnvironment.of(prod, deployment).secretNames());
        }
        referenced.add(prod.get(Ingress.class, "switchboard").getSpec().getTls().get(0).getSecretName());
        assertThat(EXTERNAL_SECRETS).containsAll(referenced);
        assertThat(referenced).allSatisfy(name -> assertThat(deployDoc).as("docs/deploy.md explains " + name).contains(name));
        assertThat(prod.deployment("metrics-service").getSpec().getReplicas()).isGreaterThan(1);
    }

    @Test
    void theJvmOverlayDiffersFromProdOnlyInImageTagAndMemory() {
        var prod = OverlayShape.of(RenderedOverlay.render("prod"));
        var jvm = OverlayShape.of(RenderedOverlay.render("prod-jvm"));

        assertThat(jvm.withoutImagesAndMemory()).isEqualTo(prod.withoutImagesAndMemory());
        assertThat(jvm.images()).allSatisfy((service, image) -> assertThat(image).isEqualTo(prod.images().get(service) + "-jvm"));
    }

    private static void assertProbe(Probe probe, String path) {
        assertThat(probe).as("probe on %s", path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }

    static Container container(Deployment deployment, String name) {
        return container(deployment.getSpec().getTemplate().getSpec(), name);
    }

    static Container container(PodSpec pod, String name) {
        return pod.getContainers().stream().filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    private static Map<String, String> podLabels(RenderedOverlay rendered, String module) {
        return rendered.deployment(module).getSpec().getTemplate().getMetadata().getLabels();
    }

    /** Whether a label selector (matchLabels and matchExpressions In/NotIn/Exists) selects these labels. */
    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector.getMatchLabels() != null && !labels.entrySet().containsAll(selector.getMatchLabels().entrySet())) {
            return false;
        }
        if (selector.getMatchExpressions() == null) {
            return true;
        }
        return selector.getMatchExpressions().stream().allMatch(e -> switch (e.getOperator()) {
            case "In" -> e.getValues().contains(labels.get(e.getKey()));
            case "NotIn" -> !e.getValues().contains(labels.get(e.getKey()));
            case "Exists" -> labels.containsKey(e.getKey());
            case "DoesNotExist" -> !labels.containsKey(e.getKey());
            default -> throw new AssertionError("unknown operator " + e.getOperator());
        });
    }

    /** Quarkus/MicroProfile duration syntax as the manifests use it: "10s", "5m", or ISO-8601. */
    static Duration duration(String value) {
        if (value.startsWith("P") || value.startsWith("p")) {
            return Duration.parse(value);
        }
        return Duration.parse("PT" + value.toUpperCase(java.util.Locale.ROOT));
    }
}
