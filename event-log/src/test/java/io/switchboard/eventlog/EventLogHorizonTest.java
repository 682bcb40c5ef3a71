package io.switchboard.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The visibility horizon counts only transactions that write events: an unrelated transaction holding an id
 * (another schema, another database of the cluster) holds nothing back, an event writer still does, and the
 * writer rule cannot be broken by accident.
 */
class EventLogHorizonTest {

    private static TestDatabase database;

    @BeforeAll
    static void migrate() throws SQLException {
        database = LogFixture.database();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS log_test.unrelated (id bigint)");
            if (!statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'horizon_other'").next()) {
                statement.execute("CREATE DATABASE horizon_other");
            }
        }
    }

    @Test
    void anUnrelatedTransactionHoldingAnIdInTheSameDatabaseHoldsNothingBack() throws Exception {
        try (Connection blocker = LogFixture.transaction(database)) {
            holdAnId(blocker, "INSERT INTO log_test.unrelated VALUES (1)");
            assertCommittedEventIsReadAtOnce();
            blocker.rollback();
        }
    }

    @Test
    void anUnrelatedTransactionInAnotherDatabaseOfTheClusterHoldsNothingBack() throws Exception {
        try (Connection blocker = DriverManager.getConnection(database.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/horizon_other$1"),
                database.user(), database.password())) {
            blocker.setAutoCommit(false);
            holdAnId(blocker, "CREATE TABLE IF NOT EXISTS elsewhere (id bigint)");
            assertCommittedEventIsReadAtOnce();
            blocker.rollback();
        }
    }

    @Test
    void anOpenEventWriterStillHoldsBackLaterEvents() throws Exception {
        EventCursor start = LogFixture.head(database);
        UUID first = newAggregate();
        UUID second = newAggregate();
        try (Connection early = LogFixture.transaction(database); Connection late = LogFixture.transaction(database)) {
            EventEnvelope earlyEvent = LogFixture.changeAggregate(early, first, 1).get(0);
            EventEnvelope lateEvent = LogFixture.changeAggregate(late, second, 1).get(0);
            late.commit();
            ReadResult.Batch held = (ReadResult.Batch) LogFixture.read(database, start, 100);
            assertThat(held.events()).isEmpty();
            assertThat(held.heldBack()).isTrue();
            assertThat(held.blockedBy()).isEqualTo(transactionId(early));
            early.commit();
            ReadResult.Batch released = (ReadResult.Batch) LogFixture.read(database, start, 100);
            assertThat(released.events()).extracting(e -> e.envelope().eventId()).containsExactly(earlyEvent.eventId(), lateEvent.eventId());
        }
    }

    /**
     * The horizon of one read can be lower than that of an earlier one (an id passed over as a non-writer can
     * end between a later read's snapshot and its look at the locks, and is then counted, conservatively): a
     * cursor the log did hand out, now above the horizon, is held back — never "unknown", which would send a
     * tailer back to the head (re-reading what it delivered) and a resuming client a reset.
     */
    @Test
    void aCursorOfACommittedEventAboveTheHorizonIsHeldBackNotUnknown() throws Exception {
        UUID first = newAggregate();
        UUID second = newAggregate();
        try (Connection early = LogFixture.transaction(database); Connection late = LogFixture.transaction(database)) {
            LogFixture.changeAggregate(early, first, 1);
            EventEnvelope lateEvent = LogFixture.changeAggregate(late, second, 1).get(0);
            late.commit();
            EventCursor handedOut = cursorOf(lateEvent);
            for (ReadResult read : List.of(LogFixture.read(database, handedOut, 100),
                    readAccount(handedOut, lateEvent.accountId()))) {
                assertThat(read).isInstanceOf(ReadResult.Batch.class);
                ReadResult.Batch batch = (ReadResult.Batch) read;
                assertThat(batch.events()).isEmpty();
                assertThat(batch.next()).isEqualTo(handedOut);
            }
            early.rollback();
        }
        // a cursor past everything the log holds is still unknown
        EventCursor newest = LogFixture.head(database);
        assertThat(LogFixture.read(database, new EventCursor(newest.txId() + 1000, 0), 100)).isInstanceOf(ReadResult.CursorUnknown.class);
    }

    private static EventCursor cursorOf(EventEnvelope event) throws SQLException {
        try (Connection connection = database.connect();
                var query = connection.prepareStatement("SELECT tx_id, seq FROM event_log.events WHERE event_id = ?")) {
            query.setObject(1, event.eventId());
            try (var row = query.executeQuery()) {
                row.next();
                return new EventCursor(row.getLong(1), row.getLong(2));
            }
        }
    }

    private static ReadResult readAccount(EventCursor after, UUID account) throws SQLException {
        try (Connection connection = database.connect()) {
            return new EventLogReader().readAfter(connection, after, account, 100);
        }
    }

    @Test
    void aWriterThatAnnouncedButHasNoIdYetHoldsNothingBackAndLandsAfterWhatWasRead() throws Exception {
        EventCursor start = LogFixture.head(database);
        UUID first = newAggregate();
        UUID second = newAggregate();
        try (Connection announced = LogFixture.transaction(database); Connection other = LogFixture.transaction(database)) {
            new EventLogWriter().begin(announced, first); // no write yet: no transaction id
            EventEnvelope otherEvent = LogFixture.changeAggregate(other, second, 1).get(0);
            other.commit();
            ReadResult.Batch read = (ReadResult.Batch) LogFixture.read(database, start, 100);
            assertThat(read.events()).extracting(e -> e.envelope().eventId()).containsExactly(otherEvent.eventId());
            EventEnvelope laterEvent = LogFixture.changeAggregate(announced, first, 1).get(0);
            announced.commit();
            ReadResult.Batch after = (ReadResult.Batch) LogFixture.read(database, read.next(), 100);
            assertThat(after.events()).extracting(e -> e.envelope().eventId()).containsExactly(laterEvent.eventId());
        }
    }

    @Test
    void eventsFromATransactionThatDidNotAnnounceItselfAreRefused() throws Exception {
        try (Connection connection = LogFixture.transaction(database)) {
            assertThatThrownBy(() -> new EventLogWriter().append(connection, List.of(LogFixture.event(Ids.newId(), 1))))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("did not announce itself as a writer");
            connection.rollback();
        }
    }

    @Test
    void announcingAfterTheFirstWriteIsRefused() throws Exception {
        try (Connection connection = LogFixture.transaction(database)) {
            holdAnId(connection, "INSERT INTO log_test.unrelated VALUES (2)");
            assertThatThrownBy(() -> new EventLogWriter().begin(connection, Ids.newId()))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("must announce itself before its first write");
            connection.rollback();
        }
    }

    /** An event written and committed now is returned by the next read, not held back. */
    private static void assertCommittedEventIsReadAtOnce() throws SQLException {
        EventCursor start = LogFixture.head(database);
        UUID aggregate = newAggregate();
        EventEnvelope event;
        try (Connection writer = LogFixture.transaction(database)) {
            event = LogFixture.changeAggregate(writer, aggregate, 1).get(0);
            writer.commit();
        }
        ReadResult.Batch batch = (ReadResult.Batch) LogFixture.read(database, start, 100);
        assertThat(batch.heldBack()).as("held back by an unrelated transaction").isFalse();
        assertThat(batch.events()).extracting(e -> e.envelope().eventId()).contains(event.eventId());
        assertThat(LogFixture.head(database)).isEqualTo(batch.events().get(batch.events().size() - 1).cursor());
    }

    private static UUID newAggregate() throws SQLException {
        try (Connection setup = database.connect()) {
            return LogFixture.newAggregate(setup);
        }
    }

    private static void holdAnId(Connection connection, String write) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(write);
        }
        assertThat(transactionId(connection)).isPositive();
    }

    private static long transactionId(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                var row = statement.executeQuery("SELECT pg_current_xact_id_if_assigned()::text::bigint")) {
            row.next();
            return row.getLong(1);
        }
    }
}
