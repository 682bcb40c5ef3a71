package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testing.ConversationsServiceResource;
import io.switchboard.testing.ServiceProcess;
import io.switchboard.testing.TestTokens;
import io.switchboard.testing.Tenant;
import io.switchboard.testing.WsClient;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several packaged gateway instances on one database, the way a Deployment runs them: each delivers
 * everything, a client resumes on another instance without a gap, typing crosses instances, a killed
 * instance leaves no ghost presence, and SIGTERM drains clients with a reconnect hint.
 */
class MultiInstanceIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static ServiceProcess first;
    private static ServiceProcess second;
    private static String conversations;

    @BeforeAll
    static void start() {
        conversations = ConversationsServiceResource.baseUrl();
        first = startGateway();
        second = startGateway();
    }

    @AfterAll
    static void stop() {
        first.close();
        second.close();
    }

    static ServiceProcess startGateway() {
        return startGateway(Map.of());
    }

    static ServiceProcess startGateway(Map<String, String> settings) {
        Map<String, String> env = ServiceProcess.testEnvironment();
        env.putAll(settings);
        env.put("QUARKUS_REST_CLIENT_CONVERSATIONS_URL", conversations);
        env.put("GATEWAY_SERVICE_TOKEN", TestTokens.service());
        env.put("GATEWAY_PRESENCE_HEARTBEAT", "1s");
        env.put("GATEWAY_PRESENCE_INSTANCE_TTL", "4s");
        env.put("GATEWAY_SHUTDOWN_DRAIN_WINDOW", "3s");
        return ServiceProcess.start("realtime-gateway", env, List.of("-Xmx384m"));
    }

    private static WsClient connect(ServiceProcess gateway, String token) {
        WsClient client = WsClient.connect("ws://localhost:" + gateway.port() + "/ws", token);
        client.await("authenticated", WAIT);
        return client;
    }

    @Test
    void bothInstancesDeliverEverythingAndAClientResumesOnTheOtherWithoutAGap() {
        Tenant tenant = Tenant.create(conversations);
        Tenant.Member agent = tenant.inboxAgent();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID id = tenant.startConversation(customer, "hi");
        String resumeFrom;
        try (WsClient onFirst = connect(first, agent.token()); WsClient onSecond = connect(second, agent.token())) {
            onFirst.subscribe("c", "conversation:" + id, null, null);
            onSecond.subscribe("c", "conversation:" + id, null, null);
            String message = tenant.sendMessage(customer, id, Map.of("content", "both")).extract().path("id");
            resumeFrom = onFirst.awaitEvent("message.created", message, WAIT).path("cursor").asText();
            assertThat(onSecond.awaitEvent("message.created", message, WAIT).path("cursor").asText()).isEqualTo(resumeFrom);
        }
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            missed.add(tenant.sendMessage(customer, id, Map.of("content", "while away " + i)).extract().path("id"));
        }
        try (WsClient migrated = connect(second, agent.token())) {
            migrated.subscribe("c", "conversation:" + id, null, resumeFrom);
            migrated.awaitEvent("message.created", missed.get(3), WAIT);
            String live = tenant.sendMessage(customer, id, Map.of("content", "live")).extract().path("id");
            migrated.awaitEvent("message.created", live, WAIT);
            List<String> received = migrated.frames("event").stream().filter(f -> f.path("event").asText().equals("message.created"))
                    .map(f -> f.path("id").asText()).toList();
            List<String> expected = new ArrayList<>(missed);
            expected.add(live);
            assertThat(received).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void typingCrossesInstances() {
        Tenant tenant = Tenant.create(conversations);
        Tenant.Member alice = tenant.inboxAgent();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID id = tenant.startConversation(customer, "hi");
        try (WsClient agentSocket = connect(first, alice.token()); WsClient customerSocket = connect(second, customer)) {
            agentSocket.subscribe("c", "conversation:" + id, null, null);
            customerSocket.subscribe("c", "conversation:" + id, null, null);
            agentSocket.send(Map.of("type", "typing", "conversationId", id.toString(), "typing", true));
            JsonNode typing = customerSocket.await("typing", WAIT);
            assertThat(typing.path("sender").path("id").asText()).isEqualTo(alice.id().toString());
        }
    }

    @Test
    void aKilledInstanceLeavesNoGhostPresence() {
        Tenant tenant = Tenant.create(conversations);
        Tenant.Member watcher = tenant.agent("supervisor", List.of(), List.of());
        Tenant.Member agent = tenant.inboxAgent();
        ServiceProcess doomed = startGateway();
        try (WsClient team = connect(first, watcher.token())) {
            team.subscribe("team", "agents", null, null);
            WsClient onDoomed = connect(doomed, agent.token());
            team.await(f -> "presence".equals(f.path("type").asText()) && agent.id().toString().equals(f.path("agentId").asText())
                    && f.path("online").asBoolean(), WAIT);
            doomed.kill();
            team.await(f -> "presence".equals(f.path("type").asText()) && agent.id().toString().equals(f.path("agentId").asText())
                    && !f.path("online").asBoolean(), Duration.ofSeconds(30));
            await().atMost(WAIT).untilAsserted(() -> assertThat((String) tenant.api(tenant.adminToken())
                    .get("/api/v1/agents/{id}", agent.id()).then().extract().path("status")).isEqualTo("offline"));
            onDoomed.close();
        } finally {
            doomed.kill();
        }
    }

    @Test
    void sigtermClosesEachClientAtItsOwnMomentWithinTheWindowAndExitsOnceTheLastIsGone() throws Exception {
        Tenant tenant = Tenant.create(conversations);
        ServiceProcess draining = startGateway();
        List<WsClient> clients = new ArrayList<>();
        try {
            // one that came and went: Quarkus' request tracking would count its upgrade as open for good
            connect(draining, tenant.adminToken()).close();
            for (int i = 0; i < 6; i++) {
                clients.add(connect(draining, tenant.adminToken()));
            }
            Duration exit = draining.terminate(Duration.ofSeconds(40));
            List<Long> closedAt = new ArrayList<>();
            for (WsClient client : clients) {
                JsonNode reconnect = client.await("reconnect", WAIT);
                assertThat(reconnect.path("retryAfterMs").asLong()).isBetween(0L, 1000L);
                WsClient.Closed closed = client.awaitClose(WAIT);
                assertThat(closed.code()).isEqualTo(1012);
                assertThat(closed.reason()).startsWith("service_restart; retry_after_ms=");
                closedAt.add(client.closedAtMillis());
            }
            long spread = closedAt.stream().mapToLong(Long::longValue).max().orElseThrow() - closedAt.stream().mapToLong(Long::longValue).min().orElseThrow();
            assertThat(spread).as("closes spread over the 3 s window, not all at once").isGreaterThan(500);
            assertThat(exit).as("the process exited").isNotNull();
            assertThat(exit).as("exits once the last client is gone: window 3 s + close grace").isLessThan(Duration.ofSeconds(7));
            assertThat(Files.readString(draining.log())).doesNotContain("Timed out waiting for graceful shutdown");
        } finally {
            clients.forEach(WsClient::close);
            draining.kill();
        }
    }

    @Test
    void sigtermWithoutClientsExitsAtOnce() {
        Tenant tenant = Tenant.create(conversations);
        ServiceProcess idle = startGateway();
        try {
            connect(idle, tenant.adminToken()).close();
            Duration exit = idle.terminate(Duration.ofSeconds(40));
            assertThat(exit).as("the process exited").isNotNull();
            assertThat(exit).isLessThan(Duration.ofSeconds(3));
        } finally {
            idle.kill();
        }
    }

    @Test
    void aFreshlyStartedInstanceServesResumesFromMemoryAndEmptyWindowsReadTheDatabase() {
        Tenant tenant = Tenant.create(conversations);
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID id = tenant.startConversation(customer, "hi");
        String resumeFrom;
        try (WsClient before = connect(first, tenant.adminToken())) {
            before.subscribe("c", "conversation:" + id, null, null);
            String message = tenant.sendMessage(customer, id, Map.of("content", "seen")).extract().path("id");
            resumeFrom = before.awaitEvent("message.created", message, WAIT).path("cursor").asText();
        }
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            missed.add(tenant.sendMessage(customer, id, Map.of("content", "while restarting " + i)).extract().path("id"));
        }
        // a restart: the warm instance read the log's newest events before it became ready; the cold one did not
        for (boolean warm : new boolean[] {true, false}) {
            ServiceProcess restarted = startGateway(Map.of("GATEWAY_LOG_WARM_START", Boolean.toString(warm)));
            try (WsClient resumed = connect(restarted, tenant.adminToken())) {
                resumed.subscribe("c", "conversation:" + id, null, resumeFrom);
                resumed.awaitEvent("message.created", missed.get(2), WAIT);
                assertThat(resumed.frames("event").stream().filter(f -> f.path("event").asText().equals("message.created"))
                        .map(f -> f.path("id").asText()).toList()).containsExactlyElementsOf(missed);
                String metrics = io.restassured.RestAssured.get(restarted.baseUrl() + "/q/metrics").asString();
                assertThat(metrics).as("warm start " + warm)
                        .contains("switchboard_gateway_resumes_total{source=\"" + (warm ? "window" : "database") + "\"} 1.0")
                        .contains("switchboard_gateway_replay_reads_total{answer=\"database\"} " + (warm ? "0.0" : "1.0"));
            } finally {
                restarted.close();
            }
        }
    }
}
