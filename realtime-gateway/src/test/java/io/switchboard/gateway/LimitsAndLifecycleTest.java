package io.switchboard.gateway;

import static io.switchboard.gateway.Gateway.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.switchboard.testing.Tenant;
import io.switchboard.testing.TestTokens;
import io.switchboard.testing.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Authentication deadlines, token expiry, bad input, floods, slow consumers and database replays. */
@QuarkusTest
@TestProfile(StrictProfile.class)
class LimitsAndLifecycleTest {

    @Test
    void aConnectionThatDoesNotAuthenticateInTimeIsClosedWith4001() {
        WsClient silent = WsClient.connect(Gateway.wsUrl(), null);
        assertThat(silent.await("hello", WAIT).path("authTimeoutMs").asLong()).isEqualTo(1000);
        assertThat(silent.awaitClose(WAIT).code()).isEqualTo(4001);

        WsClient wrong = WsClient.connect(Gateway.wsUrl(), null);
        wrong.send(Map.of("type", "auth", "token", "not-a-token"));
        WsClient.Closed closed = wrong.awaitClose(WAIT);
        assertThat(closed.code()).isEqualTo(4001);
        assertThat(closed.reason()).isEqualTo("invalid_token");
    }

    @Test
    void browsersAuthenticateThroughTheSubprotocolHeader() {
        Tenant tenant = Gateway.tenant();
        WsClient browser = WsClient.connect(Gateway.wsUrl(), null, "switchboard.v1", "bearer." + tenant.adminToken());
        assertThat(browser.await("authenticated", WAIT).path("role").asText()).isEqualTo("admin");
        browser.close();
    }

    @Test
    void anExpiringTokenIsWarnedRefreshedWithoutLosingSubscriptionsAndClosedAtExpiry() {
        Tenant tenant = Gateway.tenant();
        Tenant.Member agent = tenant.inboxAgent();
        String shortLived = TestTokens.agent(tenant.accountId(), agent.id(), "agent", Duration.ofSeconds(6));
        try (WsClient socket = WsClient.connect(Gateway.wsUrl(), null)) {
            socket.authenticate(shortLived);
            socket.subscribe("list", "conversations", null, null);
            JsonNode warning = socket.await("token_expiring", Duration.ofSeconds(8));
            assertThat(warning.path("secondsLeft").asLong()).isBetween(0L, 4L);
            // a token for someone else is refused, the connection stays
            socket.send(Map.of("type", "auth", "token", tenant.adminToken(), "ref", "r1"));
            assertThat(socket.await(f -> "r1".equals(f.path("ref").asText()), WAIT).path("code").asText()).isEqualTo("identity_mismatch");
            socket.send(Map.of("type", "auth", "token", TestTokens.agent(tenant.accountId(), agent.id(), "agent", Duration.ofSeconds(5))));
            socket.await(f -> "authenticated".equals(f.path("type").asText()) && socket.frames("authenticated").size() == 2, WAIT);
            UUID id = tenant.startConversation(tenant.customerToken("c-" + UUID.randomUUID()), "after refresh");
            socket.awaitEvent("conversation.created", id, WAIT);
            WsClient.Closed closed = socket.awaitClose(Duration.ofSeconds(10));
            assertThat(closed.code()).isEqualTo(4002);
            assertThat(closed.reason()).isEqualTo("token_expired");
        }
    }

    @Test
    void badFramesGetCodedErrorsAndNeverStopTheConnection() {
        Tenant tenant = Gateway.tenant();
        try (WsClient socket = Gateway.connect(tenant.adminToken())) {
            socket.send("{not json");
            assertThat(socket.await("error", WAIT).path("code").asText()).isEqualTo("invalid_json");
            socket.send("[1,2,3]");
            socket.send(Map.of("type", "teleport", "ref", "t1"));
            socket.sendBinary(new byte[] {1, 2, 3});
            socket.send(Map.of("type", "subscribe", "id", "x", "topic", "conversations", "filter", Map.of("colour", "red")));
            socket.send(Map.of("type", "subscribe", "id", "bad id!", "topic", "queue"));
            socket.send(Map.of("type", "unsubscribe", "id", "never"));
            List<String> codes = List.of("invalid_frame", "unknown_type", "binary_not_supported", "invalid_filter", "unknown_subscription");
            for (String code : codes) {
                socket.await(f -> "error".equals(f.path("type").asText()) && code.equals(f.path("code").asText()), WAIT);
            }
            assertThat(socket.frames("error").stream().filter(f -> "t1".equals(f.path("ref").asText())).findFirst().orElseThrow()
                    .path("code").asText()).isEqualTo("unknown_type");
            socket.send(Map.of("type", "ping", "ref", "alive"));
            assertThat(socket.await(f -> "pong".equals(f.path("type").asText()) && "alive".equals(f.path("ref").asText()), WAIT)
                    .path("cursor").asText()).startsWith("v1.");
        }
    }

    @Test
    void anOversizedFrameClosesOnlyThatConnection() throws Exception {
        Tenant tenant = Gateway.tenant();
        try (WsClient bystander = Gateway.connect(tenant.adminToken());
                RawWebSocket offender = RawWebSocket.connect(RestAssured.port, tenant.adminToken())) {
            offender.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}");
            assertThat(offender.readUntilClose()).isEqualTo(1009);
            bystander.send(Map.of("type", "ping", "ref", "still-here"));
            bystander.await(f -> "still-here".equals(f.path("ref").asText()), WAIT);
        }
    }

    @Test
    void theFrameLimitCountsBytesNotCharacters() throws Exception {
        Tenant tenant = Gateway.tenant();
        try (WsClient within = Gateway.connect(tenant.adminToken());
                RawWebSocket offender = RawWebSocket.connect(RestAssured.port, tenant.adminToken())) {
            // 20,000 euro signs are 60,000 bytes: under the 64 KiB limit; 30,000 are 90,000 bytes (30,000 characters)
            within.send("{\"type\":\"ping\",\"ref\":\"within\",\"pad\":\"" + "€".repeat(20_000) + "\"}");
            within.await(f -> "within".equals(f.path("ref").asText()), WAIT);
            offender.sendText("{\"type\":\"ping\",\"pad\":\"" + "€".repeat(30_000) + "\"}");
            assertThat(offender.readUntilClose()).isEqualTo(1009);
        }
    }

    @Test
    void anSseStreamSubscribesEveryTopicOfItsUrlAndNamesEachOneOverTheLimit() throws Exception {
        Tenant tenant = Gateway.tenant();
        List<String> topics = new ArrayList<>(List.of("conversations", "queue", "agents"));
        for (int i = 0; i < 49; i++) {
            topics.add("conversation:" + tenant.startConversation(tenant.customerToken("sse-" + i + "-" + UUID.randomUUID()), "hi " + i));
        }
        String url = "http://localhost:" + RestAssured.port + "/sse?access_token=" + tenant.adminToken() + "&subscribe=" + String.join(",", topics);
        try (SseClient stream = SseClient.open(url, null)) {
            // the strict profile allows 5 inbound frames a second: the URL's 52 topics are not inbound frames; each is
            // answered (conversation topics after an access check, so in no fixed order), 50 subscribed, 2 refused by name
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> stream.events().stream()
                    .filter(e -> "subscribed".equals(e.name()) || "error".equals(e.name())).count() == topics.size());
            List<String> subscribed = stream.events().stream().filter(e -> "subscribed".equals(e.name())).map(e -> e.data().path("id").asText()).toList();
            List<SseClient.Event> refused = stream.events().stream().filter(e -> "error".equals(e.name())).toList();
            assertThat(subscribed).hasSize(50);
            assertThat(refused).hasSize(2).allSatisfy(e -> assertThat(e.data().path("code").asText()).isEqualTo("too_many_subscriptions"));
            List<String> answered = new ArrayList<>(subscribed);
            refused.forEach(e -> answered.add(e.data().path("ref").asText()));
            assertThat(answered).containsExactlyInAnyOrderElementsOf(topics);
        }
    }

    @Test
    void aFloodIsThrottledThenClosedWithoutAffectingOthers() {
        Tenant tenant = Gateway.tenant();
        try (WsClient bystander = Gateway.connect(tenant.adminToken()); WsClient flooder = Gateway.connect(tenant.adminToken())) {
            for (int i = 0; i < 200 && !flooder.isClosed(); i++) {
                try {
                    flooder.send(Map.of("type", "ping"));
                } catch (RuntimeException closedMeanwhile) {
                    break;
                }
            }
            assertThat(flooder.awaitClose(WAIT).code()).isEqualTo(4009);
            assertThat(flooder.frames("error")).anyMatch(f -> "rate_limited".equals(f.path("code").asText()));
            bystander.send(Map.of("type", "ping", "ref", "fine"));
            bystander.await(f -> "fine".equals(f.path("ref").asText()), WAIT);
        }
    }

    @Test
    void aConnectionThatStopsReadingIsClosedAsSlowConsumerAndOthersKeepReceiving() throws Exception {
        Tenant tenant = Gateway.tenant();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID id = tenant.startConversation(customer, "hi");
        try (RawWebSocket slow = RawWebSocket.connect(RestAssured.port, tenant.adminToken());
                WsClient healthy = Gateway.connect(tenant.adminToken())) {
            slow.sendText("{\"type\":\"subscribe\",\"id\":\"c\",\"topic\":\"conversation:" + id + "\"}");
            assertThat(slow.read().text()).contains("\"authenticated\"");
            assertThat(slow.read().text()).contains("\"subscribed\"");
            healthy.subscribe("c", "conversation:" + id, null, null);
            // the slow client now reads nothing; the socket buffers fill, then the gateway's queue for it
            String big = "y".repeat(9_000);
            String last = null;
            double overflowsBefore = overflows();
            for (int i = 0; i < 2000 && (i % 20 != 0 || overflows() == overflowsBefore); i++) {
                last = tenant.sendMessage(customer, id, Map.of("content", big + i)).extract().path("id");
                if (i % 20 == 0) {
                    slow.sendText("{\"type\":\"ping\"}");   // it still talks (not idle); it just does not read
                }
            }
            assertThat(overflows()).isGreaterThan(overflowsBefore);
            healthy.awaitEvent("message.created", last, Duration.ofSeconds(60));
            assertThat(slow.readUntilClose()).isEqualTo(4008);
        }
    }

    @Test
    void aResumeOlderThanTheMemoryWindowIsReplayedFromTheDatabase() {
        Tenant tenant = Gateway.tenant();
        Tenant.Member agent = tenant.inboxAgent();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID id = tenant.startConversation(customer, "hi");
        String cursor = tenant.api(agent.token()).get("/api/v1/conversations/{id}/messages", id).then().extract().header("X-Event-Cursor");
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            missed.add(tenant.sendMessage(customer, id, Map.of("content", "m" + i)).extract().path("id"));
        }
        double replayedBefore = metric("switchboard_gateway_replayed_events_total");
        try (WsClient socket = Gateway.connect(agent.token())) {
            socket.subscribe("c", "conversation:" + id, null, cursor);
            socket.awaitEvent("message.created", missed.get(11), WAIT);
            String live = tenant.sendMessage(customer, id, Map.of("content", "live")).extract().path("id");
            socket.awaitEvent("message.created", live, WAIT);
            List<String> messages = socket.frames("event").stream().filter(f -> f.path("event").asText().equals("message.created"))
                    .map(f -> f.path("id").asText()).toList();
            List<String> expected = new ArrayList<>(missed);
            expected.add(live);
            assertThat(messages).containsExactlyElementsOf(expected);
            ResumeTest.assertCursorsIncrease(socket.frames("event"));
        }
        assertThat(metric("switchboard_gateway_replayed_events_total") - replayedBefore).isGreaterThanOrEqualTo(24);
    }

    @Test
    void aWaveOfConnectionsWaitsForIdentitiesInsteadOfBeingRefused() throws Exception {
        Tenant tenant = Gateway.tenant();
        Tenant.Member agent = tenant.inboxAgent();
        double acceptedBefore = identityLoadsAccepted();
        // the strict profile lets 2 identity loads run at a time: the others queue, none is closed with 1011
        List<WsClient> wave = new ArrayList<>();
        try (var connecting = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<WsClient>> opened = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                opened.add(connecting.submit(() -> WsClient.connect(Gateway.wsUrl(), agent.token())));
            }
            for (var future : opened) {
                wave.add(future.get());
            }
        }
        try {
            for (WsClient client : wave) {
                assertThat(client.await("authenticated", WAIT).path("agentId").asText()).isEqualTo(agent.id().toString());
            }
            assertThat(wave).noneMatch(WsClient::isClosed);
            assertThat(identityLoadsAccepted() - acceptedBefore).isGreaterThanOrEqualTo(60);
        } finally {
            wave.forEach(WsClient::close);
        }
    }

    private static double identityLoadsAccepted() {
        return RestAssured.get("/q/metrics").asString().lines()
                .filter(l -> l.startsWith("ft_bulkhead_calls_total{") && l.contains("IdentityLoader") && l.contains("accepted"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aConnectionThatAnswersNoPingsIsClosedAfterTheIdleTimeout() throws Exception {
        Tenant tenant = Gateway.tenant();
        // WsClient answers the server's pings, so it stays; the raw client answers nothing
        try (RawWebSocket silent = RawWebSocket.connect(RestAssured.port, tenant.adminToken());
                WsClient answering = Gateway.connect(tenant.adminToken())) {
            long start = System.nanoTime();
            assertThat(silent.readUntilClose()).isEqualTo(4010);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofSeconds(10));
            assertThat(answering.isClosed()).isFalse();
        }
    }

    private static double overflows() {
        return metric("switchboard_gateway_queue_overflows_total");
    }

    static double metric(String name) {
        String text = RestAssured.get("/q/metrics").asString();
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
