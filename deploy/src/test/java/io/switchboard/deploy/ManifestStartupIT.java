package io.switchboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.switchboard.testing.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Starts each packaged service (JVM, or native with -Pnative) with exactly the environment an overlay
 * gives its container — Secrets replaced by test values, mounted Secret files by local copies — and checks
 * that it becomes ready, answers every probe the manifest declares, and that Quarkus logged no
 * "Unrecognized configuration key" (every key of application.properties, to which
 * {@link ManifestConfigurationTest} ties each variable, is one Quarkus knows).
 */
class ManifestStartupIT {

    /** Conversations first: it migrates the event_log schema the other two read. */
    private static final List<String> START_ORDER = List.of("conversations-service", "metrics-service", "realtime-gateway");

    private static final String UNRECOGNIZED = "Unrecognized configuration key";

    private final HttpClient http = HttpClient.newHttpClient();

    @ParameterizedTest
    @FieldSource("io.switchboard.deploy.RenderedOverlay#OVERLAYS")
    void everyServiceStartsWithTheManifestsSettings(String overlay) throws Exception {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        for (String module : START_ORDER) {
            Deployment deployment = rendered.deployment(module);
            Map<String, String> environment = LocalContainerEnvironment.of(DeploymentEnvironment.of(rendered, deployment));
            try (ServiceProcess service = ServiceProcess.start(module, environment, List.of("-Xmx256m"))) {
                Container container = ManifestPolicyTest.container(deployment, module);
                for (Probe probe : List.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe())) {
                    assertThat(get(service, probe.getHttpGet().getPath()))
                            .as("%s %s: %s", overlay, module, probe.getHttpGet().getPath()).isEqualTo(200);
                }
                assertThat(Files.readAllLines(service.log())).as("%s %s: %s", overlay, module, service.log())
                        .noneMatch(line -> line.contains(UNRECOGNIZED));
            }
        }
    }

    /** The log check above can fail: a property Quarkus does not know is reported. */
    @Test
    void aMistypedQuarkusPropertyIsReported() throws Exception {
        RenderedOverlay rendered = RenderedOverlay.render("dev");
        Map<String, String> environment = LocalContainerEnvironment.of(DeploymentEnvironment.of(rendered, rendered.deployment("conversations-service")));
        try (ServiceProcess service = ServiceProcess.start("conversations-service", environment,
                List.of("-Xmx256m", "-Dquarkus.shutdown.timout=20s"))) {
            assertThat(Files.readAllLines(service.log()))
                    .anyMatch(line -> line.contains(UNRECOGNIZED) && line.contains("quarkus.shutdown.timout"));
        }
    }

    private int get(ServiceProcess service, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
