package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.testing.ConversationsServiceResource;
import io.switchboard.testing.ServiceProcess;
import io.switchboard.testing.Tenant;
import io.switchboard.testing.TestTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent console and the customer widget in headless Chromium against the packaged services: the
 * scenarios live in src/test/browser (node --test with playwright-core); this test starts the system,
 * creates the people, hands them over as a fixture file and fails when a scenario fails. Screenshots and
 * the browser log land in target/browser-artifacts.
 */
class BrowserIT {

    private static final Path BROWSER_TESTS = ServiceProcess.repositoryRoot().resolve("realtime-gateway/src/test/browser");
    private static ServiceProcess metrics;
    private static ServiceProcess gateway;

    @BeforeAll
    static void start() {
        String conversations = ConversationsServiceResource.baseUrl();
        Map<String, String> metricsEnvironment = ServiceProcess.testEnvironment();
        metricsEnvironment.put("METRICS_FOLD_INTERVAL", "500ms");
        metricsEnvironment.put("METRICS_QUEUE_INTERVAL", "1s");
        metrics = ServiceProcess.start("metrics-service", metricsEnvironment, List.of("-Xmx256m"));
        Map<String, String> gatewayEnvironment = ServiceProcess.testEnvironment();
        gatewayEnvironment.put("QUARKUS_REST_CLIENT_CONVERSATIONS_URL", conversations);
        gatewayEnvironment.put("QUARKUS_REST_CLIENT_METRICS_URL", metrics.baseUrl());
        gatewayEnvironment.put("GATEWAY_SERVICE_TOKEN", TestTokens.service());
        gatewayEnvironment.put("GATEWAY_CONSOLE_API_URL", conversations);
        gateway = ServiceProcess.start("realtime-gateway", gatewayEnvironment, List.of("-Xmx384m"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    @Test
    void consoleAndWidgetScenariosPassInChromium() throws Exception {
        String conversations = ConversationsServiceResource.baseUrl();
        Tenant tenant = Tenant.create(conversations);
        Tenant.Member supervisor = tenant.agent("supervisor", List.of(tenant.inboxId()), List.of(tenant.teamId()));
        Tenant.Member agent = tenant.agent("agent", List.of(tenant.inboxId()), List.of(tenant.teamId()));
        // readable names: the screenshots double as the README's pictures
        rename(tenant, supervisor, "Sam Supervisor");
        rename(tenant, agent, "Alex Agent");
        String customerToken = TestTokens.customer(tenant.accountId(), "browser-" + UUID.randomUUID(), "Robin Customer");
        Path artifacts = Path.of("target", "browser-artifacts").toAbsolutePath();
        Files.createDirectories(artifacts);
        Path fixture = artifacts.resolve("fixture.json");
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(fixture.toFile(), Map.of(
                "gatewayUrl", gateway.baseUrl(),
                "apiUrl", conversations,
                "adminToken", tenant.adminToken(),
                "inboxId", tenant.inboxId().toString(),
                "agentA", Map.of("id", supervisor.id().toString(), "token", supervisor.token()),
                "agentB", Map.of("id", agent.id().toString(), "token", agent.token()),
                "customer", Map.of("token", customerToken)));

        installDependencies();
        Path log = artifacts.resolve("node-test.log");
        ProcessBuilder node = new ProcessBuilder("node", "--test", "--test-reporter=spec", "console.test.mjs")
                .directory(BROWSER_TESTS.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        node.environment().put("SWITCHBOARD_FIXTURE", fixture.toString());
        node.environment().put("SWITCHBOARD_ARTIFACTS", artifacts.toString());
        node.environment().putIfAbsent("CHROMIUM", "/usr/bin/chromium");
        Process run = node.start();
        boolean finished = run.waitFor(8, TimeUnit.MINUTES);
        if (!finished) {
            run.destroyForcibly();
        }
        String output = Files.readString(log);
        System.out.println(output);
        assertThat(finished).as("browser tests finished within 8 minutes").isTrue();
        assertThat(run.exitValue()).as("browser tests (output above, also in %s)", log).isZero();
        assertThat(artifacts.resolve("console.png")).exists();
        assertThat(artifacts.resolve("widget.png")).exists();
    }

    private static void rename(Tenant tenant, Tenant.Member member, String name) {
        tenant.api(tenant.adminToken()).body(Map.of("name", name)).patch("/api/v1/agents/{id}", member.id()).then().statusCode(200);
    }

    /** npm ci from the committed lock file when node_modules is missing (playwright-core only; no browser download). */
    private static void installDependencies() throws IOException, InterruptedException {
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        assertThat(Path.of(chromium)).as("Chromium for the browser tests (Debian: apt-get install chromium; or set CHROMIUM)")
                .isExecutable();
        if (Files.isDirectory(BROWSER_TESTS.resolve("node_modules/playwright-core"))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(BROWSER_TESTS.toFile()).inheritIO().start();
        assertThat(npm.waitFor(5, TimeUnit.MINUTES) && npm.exitValue() == 0).as("npm ci in %s", BROWSER_TESTS).isTrue();
    }
}
