package io.switchboard.gateway;

import static io.switchboard.gateway.Gateway.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.eventlog.EventCursor;
import io.switchboard.eventlog.EventLogReader;
import io.switchboard.eventlog.EventLogRetention;
import io.switchboard.testing.TestDatabase;
import io.switchboard.testing.Tenant;
import io.switchboard.testing.WsClient;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A reconnecting client continues exactly where it left off, or is told to reload; never silently behind. */
@QuarkusTest
class ResumeTest {

    @Test
    void aClientResumesFromItsLastCursorAndGetsEveryMissedEventInOrder() {
        Tenant tenant = Gateway.tenant();
        Tenant.Member agent = tenant.inboxAgent();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID id = tenant.startConversation(customer, "hi");
        String lastCursor;
        try (WsClient first = Gateway.connect(agent.token())) {
            first.subscribe("c", "conversation:" + id, null, null);
            String seen = tenant.sendMessage(customer, id, Map.of("content", "seen")).extract().path("id");
            lastCursor = first.awaitEvent("message.created", seen, WAIT).path("cursor").asText();
        }
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            missed.add(tenant.sendMessage(customer, id, Map.of("content", "missed " + i)).extract().path("id"));
        }
        try (WsClient second = Gateway.connect(agent.token())) {
            JsonNode ack = second.subscribe("c", "conversation:" + id, null, lastCursor);
            assertThat(ack.path("cursor").asText()).isEqualTo(lastCursor);
            second.awaitEvent("message.created", missed.get(4), WAIT);
            String live = tenant.sendMessage(customer, id, Map.of("content", "live")).extract().path("id");
            second.awaitEvent("message.created", live, WAIT);
            List<String> messages = second.frames("event").stream()
                    .filter(f -> f.path("event").asText().equals("message.created")).map(f -> f.path("id").asText()).toList();
            List<String> expected = new ArrayList<>(missed);
            expected.add(live);
            assertThat(messages).containsExactlyElementsOf(expected);
            assertCursorsIncrease(second.frames("event"));
        }
    }

    @Test
    void aRestSnapshotsCursorIsFollowedWithoutGapOrDuplicateOfLaterChanges() {
        Tenant tenant = Gateway.tenant();
        Tenant.Member agent = tenant.inboxAgent();
        UUID first = tenant.startConversation(tenant.customerToken("a-" + UUID.randomUUID()), "one");
        String snapshotCursor = tenant.api(agent.token()).get("/api/v1/conversations").then().statusCode(200).extract().header("X-Event-Cursor");
        UUID second = tenant.startConversation(tenant.customerToken("b-" + UUID.randomUUID()), "two");
        try (WsClient socket = Gateway.connect(agent.token())) {
            socket.subscribe("list", "conversations", null, snapshotCursor);
            socket.awaitEvent("conversation.created", second, WAIT);
            UUID third = tenant.startConversation(tenant.customerToken("c-" + UUID.randomUUID()), "three");
            socket.awaitEvent("conversation.created", third, WAIT);
            assertThat(socket.frames("event")).noneMatch(f -> f.path("id").asText().equals(first.toString()));
            assertThat(socket.frames("event").stream().filter(f -> f.path("id").asText().equals(second.toString())
                    && f.path("event").asText().equals("conversation.created")).count()).isEqualTo(1);
        }
    }

    @Test
    void anExpiredOrUnknownCursorIsAnsweredWithReset() throws Exception {
        Tenant tenant = Gateway.tenant();
        Tenant.Member agent = tenant.inboxAgent();
        EventCursor old;
        try (Connection connection = TestDatabase.shared().connect()) {
            old = new EventLogReader().head(connection);
        }
        tenant.startConversation(tenant.customerToken("c-" + UUID.randomUUID()), "to be pruned");
        EventCursor watermark;
        try (Connection connection = TestDatabase.shared().connect()) {
            watermark = new EventLogRetention().pruneBatch(connection, Instant.now().plusSeconds(1), 1_000_000).watermark();
        }
        // pruning wakes the gateway's reader, which stops serving those positions from memory
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> !EventCursor.parse(io.restassured.RestAssured.get("/q/health/ready")
                .jsonPath().getString("checks.find { it.name == 'event-log-reader' }.data.windowStart")).isBefore(watermark));
        try (WsClient socket = Gateway.connect(agent.token())) {
            socket.subscribe("old", "conversations", null, old.encode());
            JsonNode reset = socket.await(f -> "reset".equals(f.path("type").asText()) && "old".equals(f.path("id").asText()), WAIT);
            assertThat(reset.path("reason").asText()).isEqualTo("cursor_expired");

            EventCursor future = new EventCursor(old.txId() + 10_000_000, 1);
            socket.subscribe("future", "conversations", null, future.encode());
            JsonNode unknown = socket.await(f -> "reset".equals(f.path("type").asText()) && "future".equals(f.path("id").asText()), WAIT);
            assertThat(unknown.path("reason").asText()).isEqualTo("cursor_unknown");

            JsonNode invalid = socket.subscribe("garbage", "conversations", null, "not-a-cursor");
            assertThat(invalid.path("code").asText()).isEqualTo("invalid_cursor");
        }
    }

    static void assertCursorsIncrease(List<JsonNode> events) {
        for (int i = 1; i < events.size(); i++) {
            assertThat(EventCursor.parse(events.get(i).path("cursor").asText()))
                    .isGreaterThan(EventCursor.parse(events.get(i - 1).path("cursor").asText()));
        }
    }
}
