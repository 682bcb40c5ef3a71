package io.switchboard.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testing.TestDatabase;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reads for one account (a subscriber's replay): that account's events only, none skipped, and where to go on from. */
class EventLogAccountReadTest {

    private static TestDatabase database;

    @BeforeAll
    static void migrate() {
        database = LogFixture.database();
    }

    @Test
    void anAccountReadReturnsThatAccountsEventsInOrderAndIsCompleteUpToTheHead() throws Exception {
        UUID mine = Ids.newId();
        UUID theirs = Ids.newId();
        EventCursor start = LogFixture.head(database);
        List<UUID> expected = new ArrayList<>();
        try (Connection connection = database.connect()) {
            UUID myAggregate = LogFixture.newAggregate(connection);
            UUID theirAggregate = LogFixture.newAggregate(connection);
            for (int i = 0; i < 7; i++) {
                connection.setAutoCommit(false);
                LogFixture.changeAggregate(connection, myAggregate, 2, mine).forEach(e -> expected.add(e.eventId()));
                connection.commit();
                LogFixture.changeAggregate(connection, theirAggregate, 3, theirs);
                connection.commit();
                connection.setAutoCommit(true);
            }
        }
        EventCursor head = LogFixture.head(database);

        List<LoggedEvent> read = new ArrayList<>();
        EventCursor cursor = start;
        int reads = 0;
        try (Connection connection = database.connect()) {
            while (true) {
                ReadResult.Batch batch = (ReadResult.Batch) new EventLogReader().readAfter(connection, cursor, mine, 4);
                reads++;
                read.addAll(batch.events());
                cursor = batch.next();
                if (!batch.hasMore()) {
                    assertThat(batch.heldBack()).isFalse();
                    break;
                }
            }
        }
        assertThat(read).allSatisfy(e -> assertThat(e.envelope().accountId()).isEqualTo(mine));
        assertThat(read).extracting(e -> e.envelope().eventId()).containsExactlyElementsOf(expected);
        assertThat(reads).isEqualTo(4);
        // the last event was the other account's: the account read is complete up to it, so the next read starts there
        assertThat(cursor).isEqualTo(head);
    }

    @Test
    void anAccountWithNothingNewMovesStraightToTheHead() throws Exception {
        EventCursor start = LogFixture.head(database);
        try (Connection connection = LogFixture.transaction(database)) {
            LogFixture.changeAggregate(connection, LogFixture.newAggregate(connection), 3, Ids.newId());
            connection.commit();
        }
        try (Connection connection = database.connect()) {
            ReadResult.Batch batch = (ReadResult.Batch) new EventLogReader().readAfter(connection, start, Ids.newId(), 100);
            assertThat(batch.events()).isEmpty();
            assertThat(batch.next()).isEqualTo(LogFixture.head(database));
            // the unfiltered read, by contrast, stops at the last event it returned
            ReadResult.Batch all = (ReadResult.Batch) new EventLogReader().readAfter(connection, start, 100);
            assertThat(all.next()).isEqualTo(all.events().get(all.events().size() - 1).cursor());
        }
    }

    @Test
    void anOpenTransactionOfAnotherAccountStillHoldsBackLaterEventsOfThisOne() throws Exception {
        UUID mine = Ids.newId();
        EventCursor start = LogFixture.head(database);
        try (Connection other = LogFixture.transaction(database); Connection writer = LogFixture.transaction(database)) {
            LogFixture.changeAggregate(other, LogFixture.newAggregate(other), 1, Ids.newId()); // holds an earlier id, stays open
            LogFixture.changeAggregate(writer, LogFixture.newAggregate(writer), 1, mine);
            writer.commit();
            try (Connection reader = database.connect()) {
                ReadResult.Batch held = (ReadResult.Batch) new EventLogReader().readAfter(reader, start, mine, 100);
                assertThat(held.events()).isEmpty();
                assertThat(held.heldBack()).isTrue();
                assertThat(held.next()).isEqualTo(start);
                other.commit();
                ReadResult.Batch released = (ReadResult.Batch) new EventLogReader().readAfter(reader, start, mine, 100);
                assertThat(released.events()).hasSize(1);
                assertThat(released.heldBack()).isFalse();
            }
        }
    }

    @Test
    void startOfRecentIsJustBeforeTheNewestEventsUpToTheHead() throws Exception {
        EventCursor before = LogFixture.head(database);
        try (Connection connection = LogFixture.transaction(database)) {
            LogFixture.changeAggregate(connection, LogFixture.newAggregate(connection), 6, Ids.newId());
            connection.commit();
        }
        EventCursor head = LogFixture.head(database);
        try (Connection connection = database.connect()) {
            EventLogReader reader = new EventLogReader();
            ReadResult.Batch six = (ReadResult.Batch) reader.readAfter(connection, before, 100);
            assertThat(six.events()).hasSize(6);
            // the newest four: reading after the start returns exactly them, up to the head
            EventCursor start = reader.startOfRecent(connection, head, 4);
            assertThat(start).isEqualTo(six.events().get(1).cursor());
            ReadResult.Batch recent = (ReadResult.Batch) reader.readAfter(connection, start, 100);
            assertThat(recent.events()).extracting(LoggedEvent::cursor).containsExactlyElementsOf(
                    six.events().subList(2, 6).stream().map(LoggedEvent::cursor).toList());
            assertThat(reader.startOfRecent(connection, head, 0)).isEqualTo(head);
            // fewer events than asked for: everything the log still holds, from the retention watermark
            EventCursor watermark = ((ReadResult.Batch) reader.readAfter(connection, head, 1)).watermark();
            assertThat(reader.startOfRecent(connection, head, Integer.MAX_VALUE)).isEqualTo(watermark);
        }
    }
}
