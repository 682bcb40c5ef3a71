package io.switchboard.conversations;

import io.switchboard.testing.Tenant;
import static io.switchboard.testing.Tenant.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.eventlog.EventCursor;
import io.switchboard.eventlog.EventLogNotifier;
import io.switchboard.eventlog.EventLogReader;
import io.switchboard.eventlog.EventLogTailer;
import io.switchboard.eventlog.LoggedEvent;
import io.switchboard.eventlog.ReadResult;
import io.switchboard.testing.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What consumers rely on: events written with each change, deltas with routing scope, a snapshot cursor to follow from. */
@QuarkusTest
class EventLogContractTest {

    private final TestDatabase database = TestDatabase.shared();

    @Test
    void aListSnapshotsCursorIsFollowedByExactlyTheLaterChanges() throws Exception {
        Tenant tenant = Tenant.create();
        Tenant.Member agent = tenant.inboxAgent();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID id = tenant.startConversation(customer, "Hi");
        String cursor = as(agent.token()).get("/api/v1/conversations").then().statusCode(200)
                .extract().header("X-Event-Cursor");

        tenant.sendMessage(customer, id, Map.of("content", "Anyone?")).statusCode(201);
        as(agent.token()).body(Map.of("assigneeId", agent.id())).put("/api/v1/conversations/{id}/assignment", id).then().statusCode(200);
        tenant.sendMessage(agent.token(), id, Map.of("content", "internal", "privateNote", true)).statusCode(201);

        List<LoggedEvent> events = eventsOf(tenant.accountId(), EventCursor.parse(cursor));
        assertThat(events).extracting(e -> e.envelope().type()).containsExactly(
                "message.created", "conversation.updated", "conversation.assigned", "message.created");

        var customerMessage = events.get(0).envelope();
        assertThat(customerMessage.actor().kind()).isEqualTo("customer");
        assertThat(customerMessage.scope().inboxId()).isEqualTo(tenant.inboxId());
        assertThat(customerMessage.scope().privateToAgents()).isFalse();
        assertThat(customerMessage.payload().at("/message/type").asText()).isEqualTo("text");
        assertThat(customerMessage.payload().at("/message/senderKind").asText()).isEqualTo("customer");

        var activity = events.get(1).envelope();
        assertThat(activity.aggregateId()).isEqualTo(id);
        assertThat(activity.aggregateVersion()).isEqualTo(2);
        assertThat(activity.payload().at("/changes/agentUnreadCount").asInt()).isEqualTo(2);
        assertThat(activity.payload().at("/previous/agentUnreadCount").asInt()).isEqualTo(1);
        assertThat(activity.payload().get("changes").has("version")).isFalse();

        var assigned = events.get(2).envelope();
        assertThat(assigned.aggregateVersion()).isEqualTo(3);
        assertThat(assigned.scope().assigneeId()).isEqualTo(agent.id());
        assertThat(assigned.payload().at("/changes/assigneeId").asText()).isEqualTo(agent.id().toString());
        assertThat(assigned.payload().at("/previous/assigneeId").isNull()).isTrue();
        assertThat(assigned.payload().at("/conversation/version").asLong()).isEqualTo(3);

        var note = events.get(3).envelope();
        assertThat(note.scope().privateToAgents()).isTrue();
        assertThat(note.actor().id()).isEqualTo(agent.id());
    }

    @Test
    void aRejectedRequestWritesNoEvent() throws Exception {
        Tenant tenant = Tenant.create();
        Tenant.Member agent = tenant.inboxAgent();
        UUID id = tenant.startConversation(tenant.customerToken("c-" + UUID.randomUUID()), "Hi");
        EventCursor before = head();
        as(agent.token()).header("If-Match", "\"7\"").body(Map.of("status", "resolved")).patch("/api/v1/conversations/{id}", id)
                .then().statusCode(412);
        tenant.sendMessage(agent.token(), id, Map.of("type", "image")).statusCode(400);
        as(agent.token()).body(Map.of("assigneeId", UUID.randomUUID())).put("/api/v1/conversations/{id}/assignment", id).then().statusCode(400);
        as(agent.token()).body(Map.of("status", "open")).patch("/api/v1/conversations/{id}", id).then().statusCode(200);
        assertThat(eventsOf(tenant.accountId(), before)).isEmpty();
    }

    @Test
    void concurrentRestWritersAreTailedExactlyOnceInVersionOrder() throws Exception {
        Tenant tenant = Tenant.create();
        Tenant.Member agent = tenant.inboxAgent();
        List<String> customers = new ArrayList<>();
        List<UUID> conversations = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String customer = tenant.customerToken("c" + i + "-" + UUID.randomUUID());
            customers.add(customer);
            conversations.add(tenant.startConversation(customer, "start " + i));
        }
        List<LoggedEvent> received = new CopyOnWriteArrayList<>();
        EventLogTailer.Settings settings = new EventLogTailer.Settings(EventLogNotifier.DEFAULT_CHANNEL, 100,
                Duration.ofSeconds(1), Duration.ofMillis(5), Duration.ofMillis(200));
        int writes = 120;
        try (EventLogTailer tailer = new EventLogTailer(database::connect, database.dataSource(), settings, events -> events.stream()
                .filter(e -> e.envelope().accountId().equals(tenant.accountId())).forEach(received::add))) {
            tailer.start(head());
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < writes; i++) {
                int n = i;
                calls.add(pool.submit(() -> {
                    int c = n % conversations.size();
                    String token = n % 3 == 0 ? agent.token() : customers.get(c);
                    return tenant.sendMessage(token, conversations.get(c), Map.of("content", "m" + n)).extract().statusCode();
                }));
            }
            for (Future<Integer> call : calls) {
                assertThat(call.get()).isEqualTo(201);
            }
            pool.shutdown();
            await().atMost(Duration.ofSeconds(20)).until(() -> received.stream()
                    .filter(e -> e.envelope().type().equals("message.created")).count() == writes);
            Thread.sleep(300);
        }
        assertThat(received).extracting(e -> e.envelope().eventId()).doesNotHaveDuplicates();
        Map<UUID, Long> lastVersion = new HashMap<>();
        for (LoggedEvent event : received) {
            if (event.envelope().aggregateType().equals("conversation")) {
                Long previous = lastVersion.put(event.envelope().aggregateId(), event.envelope().aggregateVersion());
                if (previous != null) {
                    assertThat(event.envelope().aggregateVersion()).isEqualTo(previous + 1);
                }
            }
        }
        for (UUID id : conversations) {
            long version = tenant.conversation(agent.token(), id).extract().jsonPath().getLong("version");
            assertThat(lastVersion.get(id)).as("last event version of %s", id).isEqualTo(version);
        }
    }

    private EventCursor head() throws Exception {
        try (Connection connection = database.connect()) {
            return new EventLogReader().head(connection);
        }
    }

    private List<LoggedEvent> eventsOf(UUID accountId, EventCursor after) throws Exception {
        List<LoggedEvent> events = new ArrayList<>();
        try (Connection connection = database.connect()) {
            EventCursor position = after;
            while (true) {
                ReadResult result = new EventLogReader().readAfter(connection, position, 500);
                ReadResult.Batch batch = (ReadResult.Batch) result;
                batch.events().stream().filter(e -> e.envelope().accountId().equals(accountId)).forEach(events::add);
                position = batch.next();
                if (!batch.hasMore() && !batch.heldBack()) {
                    return events;
                }
            }
        }
    }
}
