package io.switchboard.conversations;

import io.switchboard.testing.Tenant;
import static io.switchboard.testing.Tenant.as;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.conversations.events.EventLogRetentionJob;
import io.switchboard.eventlog.EventCursor;
import io.switchboard.eventlog.EventLogReader;
import io.switchboard.eventlog.ReadResult;
import io.switchboard.testing.TestDatabase;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The scheduled retention job with a one-second retention: old cursors are expired, fresh snapshots still follow. */
@QuarkusTest
@TestProfile(RetentionJobTest.ShortRetention.class)
class RetentionJobTest {

    public static class ShortRetention implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("conversations.event-log.retention", "PT1S", "conversations.event-log.prune-batch-size", "50");
        }
    }

    @Inject
    EventLogRetentionJob job;

    @Test
    void eventsOlderThanRetentionArePrunedAndTheirCursorsExpire() throws Exception {
        Tenant tenant = Tenant.create();
        Tenant.Member agent = tenant.inboxAgent();
        String oldCursor = as(agent.token()).get("/api/v1/conversations").then().extract().header("X-Event-Cursor");
        UUID id = tenant.startConversation(tenant.customerToken("c-" + UUID.randomUUID()), "will be pruned");
        Thread.sleep(1_500);

        job.prune();

        EventLogReader reader = new EventLogReader();
        try (Connection connection = TestDatabase.shared().connect()) {
            assertThat(reader.readAfter(connection, EventCursor.parse(oldCursor), 10)).isInstanceOf(ReadResult.CursorExpired.class);
            String freshCursor = as(agent.token()).get("/api/v1/conversations").then().extract().header("X-Event-Cursor");
            tenant.sendMessage(tenant.customerToken("c2-" + UUID.randomUUID()), id, Map.of("content", "x")).statusCode(404);
            tenant.sendMessage(agent.token(), id, Map.of("content", "after pruning")).statusCode(201);
            ReadResult afterFresh = reader.readAfter(connection, EventCursor.parse(freshCursor), 10);
            assertThat(afterFresh).isInstanceOfSatisfying(ReadResult.Batch.class, batch ->
                    assertThat(batch.events()).extracting(e -> e.envelope().type()).containsExactly("message.created", "conversation.updated"));
        }
    }
}
