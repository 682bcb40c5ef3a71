package io.switchboard.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testing.TestDatabase;
import java.sql.Connection;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EventLogRetentionTest {

    private static TestDatabase database;

    @BeforeAll
    static void migrate() {
        database = LogFixture.database();
    }

    @Test
    void aPrunedCursorIsExpiredNeverAPartialResult() throws Exception {
        EventCursor beforeWrites = LogFixture.head(database);
        try (Connection connection = LogFixture.transaction(database)) {
            UUID aggregate = LogFixture.newAggregate(connection);
            LogFixture.changeAggregate(connection, aggregate, 5);
            connection.commit();
        }
        EventCursor afterWrites = LogFixture.head(database);
        assertThat(afterWrites).isGreaterThan(beforeWrites);

        EventLogRetention.PruneResult pruned;
        try (Connection connection = database.connect()) {
            // Everything recorded so far is older than a cutoff in the future.
            pruned = new EventLogRetention().pruneBatch(connection, Instant.now().plusSeconds(60), 1_000_000);
        }
        assertThat(pruned.deleted()).isGreaterThanOrEqualTo(5);
        assertThat(pruned.watermark()).isEqualTo(afterWrites);

        assertThat(LogFixture.read(database, beforeWrites, 100)).isInstanceOfSatisfying(ReadResult.CursorExpired.class, expired -> {
            assertThat(expired.requested()).isEqualTo(beforeWrites);
            assertThat(expired.oldestAvailable()).isEqualTo(afterWrites);
        });
        assertThat(LogFixture.read(database, EventCursor.ORIGIN, 100)).isInstanceOf(ReadResult.CursorExpired.class);
        // Reading from the watermark on is complete, so it is allowed.
        assertThat(LogFixture.read(database, afterWrites, 100)).isInstanceOfSatisfying(ReadResult.Batch.class,
                batch -> assertThat(batch.events()).isEmpty());
        // The head never moves backwards because rows were deleted.
        assertThat(LogFixture.head(database)).isEqualTo(afterWrites);
    }

    @Test
    void pruningKeepsEventsNewerThanTheCutoffAndDeletesOnlyAPrefix() throws Exception {
        UUID aggregate;
        try (Connection connection = LogFixture.transaction(database)) {
            aggregate = LogFixture.newAggregate(connection);
            LogFixture.changeAggregate(connection, aggregate, 2);
            connection.commit();
        }
        Instant cutoff = Instant.now();
        Thread.sleep(20);
        EventCursor beforeRecent = LogFixture.head(database);
        try (Connection connection = LogFixture.transaction(database)) {
            LogFixture.changeAggregate(connection, aggregate, 2);
            connection.commit();
        }
        try (Connection connection = database.connect()) {
            EventLogRetention retention = new EventLogRetention();
            EventLogRetention.PruneResult result;
            do {
                result = retention.pruneBatch(connection, cutoff, 1);
            } while (result.deleted() == 1);
        }
        assertThat(LogFixture.read(database, beforeRecent, 100)).isInstanceOfSatisfying(ReadResult.Batch.class,
                batch -> assertThat(batch.events()).extracting(e -> e.envelope().aggregateVersion()).containsExactly(3L, 4L));
    }

    @Test
    void aCursorBeyondTheHeadIsUnknown() throws Exception {
        EventCursor head = LogFixture.head(database);
        EventCursor future = new EventCursor(head.txId() + 1_000_000, 1);
        assertThat(LogFixture.read(database, future, 10)).isInstanceOfSatisfying(ReadResult.CursorUnknown.class,
                unknown -> assertThat(unknown.head()).isEqualTo(head));
    }
}
