package io.switchboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The manifests' environment against the services' code: every variable is a property the service's code
 * names (its application.properties or its @ConfigMapping), and every property without a production value
 * is set. Quarkus does not reliably report an environment variable it does not know (a mistyped
 * QUARKUS_DATASOURCE_JDBC_MAXSIZE reads as a datasource named "jdbc" and is ignored without a word), so this
 * is where such a variable is caught; {@link ManifestStartupIT} checks that Quarkus recognises every key of
 * application.properties.
 */
class ManifestConfigurationTest {

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("io.switchboard.deploy.ManifestPolicyTest#overlayAndService")
    void everyVariableIsAPropertyOfTheService(String overlay, String module) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        ServiceCode code = ServiceCode.of(module);
        Set<String> variables = DeploymentEnvironment.of(rendered, rendered.deployment(module)).names();

        assertThat(unknownVariables(code, variables)).as("%s sets variables %s reads no property for", overlay, module).isEmpty();
    }

    @Test
    void aMistypedVariableIsCaught() {
        ServiceCode gateway = ServiceCode.of("realtime-gateway");

        assertThat(unknownVariables(gateway, Set.of("GATEWAY_SHUTDOWN_DRAIN_WINDOW", "QUARKUS_SHUTDOWN_DELAY",
                "QUARKUS_DATASOURCE_JDBC_MAXSIZE", "GATEWAY_DRAIN_WINDOW")))
                .containsExactly("GATEWAY_DRAIN_WINDOW", "QUARKUS_DATASOURCE_JDBC_MAXSIZE");
    }

    private static Set<String> unknownVariables(ServiceCode code, Set<String> variables) {
        Set<String> known = new TreeSet<>();
        code.knownProperties().forEach(p -> known.add(ServiceCode.environmentName(p)));
        Set<String> unknown = new TreeSet<>(variables);
        unknown.removeAll(known);
        return unknown;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("io.switchboard.deploy.ManifestPolicyTest#overlayAndService")
    void everyPropertyWithoutAProductionValueIsSet(String overlay, String module) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);
        Set<String> set = DeploymentEnvironment.of(rendered, rendered.deployment(module)).names();

        assertThat(ServiceCode.of(module).requiredInProduction())
                .as("%s: properties of %s without a production value", overlay, module)
                .allSatisfy(property -> assertThat(set).contains(ServiceCode.environmentName(property)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("io.switchboard.deploy.ManifestPolicyTest#overlayAndService")
    void theHttpPortIsTheOneTheCodeConfigures(String overlay, String module) {
        RenderedOverlay rendered = RenderedOverlay.render(overlay);

        assertThat(DeploymentEnvironment.of(rendered, rendered.deployment(module)).names())
                .as("the container port is checked against quarkus.http.port in application.properties")
                .doesNotContain("QUARKUS_HTTP_PORT");
    }

    @Test
    void theCatalogueKnowsTheServicesOwnSettings() {
        assertThat(ServiceCode.of("realtime-gateway").knownProperties())
                .contains("gateway.shutdown.drain-window", "gateway.service-token-file", "quarkus.shutdown.delay");
        assertThat(ServiceCode.of("conversations-service").requiredInProduction())
                .containsExactlyInAnyOrder("quarkus.datasource.jdbc.url", "quarkus.datasource.username",
                        "quarkus.datasource.password", "mp.jwt.verify.publickey.location");
        assertThat(ServiceCode.environmentName("quarkus.rest-client.conversations.url"))
                .isEqualTo("QUARKUS_REST_CLIENT_CONVERSATIONS_URL");
    }
}
