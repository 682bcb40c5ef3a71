package io.switchboard.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The log's central promise: a reader never skips an event, whatever order transactions commit in. */
class EventLogOrderingTest {

    private static TestDatabase database;

    @BeforeAll
    static void migrate() {
        database = LogFixture.database();
    }

    @Test
    void anEarlierTransactionCommittingLateIsNotSkipped() throws Exception {
        EventCursor start = LogFixture.head(database);
        UUID first;
        UUID second;
        try (Connection setup = database.connect()) {
            first = LogFixture.newAggregate(setup);
            second = LogFixture.newAggregate(setup);
        }
        long naiveLastSeq = maxSeq();

        try (Connection early = LogFixture.transaction(database); Connection late = LogFixture.transaction(database)) {
            EventEnvelope earlyEvent = LogFixture.changeAggregate(early, first, 1).get(0);   // draws the smaller seq, stays open
            EventEnvelope lateEvent = LogFixture.changeAggregate(late, second, 1).get(0);
            late.commit();

            // A "WHERE seq > last" reader sees only the late event and moves past the early one's position...
            List<UUID> naiveFirstRead = naiveReadAfter(naiveLastSeq);
            assertThat(naiveFirstRead).containsExactly(lateEvent.eventId());
            naiveLastSeq = maxSeq();
            // ...while the log reader holds the late event back until the early transaction is finished.
            ReadResult whileOpen = LogFixture.read(database, start, 100);
            assertThat(whileOpen).isInstanceOfSatisfying(ReadResult.Batch.class, batch -> {
                assertThat(batch.events()).isEmpty();
                assertThat(batch.heldBack()).isTrue();
                assertThat(batch.next()).isEqualTo(start);
            });

            early.commit();

            assertThat(naiveReadAfter(naiveLastSeq)).as("the naive reader skipped the early event for good").isEmpty();
            ReadResult afterCommit = LogFixture.read(database, start, 100);
            assertThat(afterCommit).isInstanceOfSatisfying(ReadResult.Batch.class, batch -> {
                assertThat(batch.events()).extracting(e -> e.envelope().eventId())
                        .containsExactly(earlyEvent.eventId(), lateEvent.eventId());
                assertThat(batch.heldBack()).isFalse();
                assertThat(batch.next()).isEqualTo(batch.events().get(1).cursor());
            });
        }
    }

    @Test
    void aLargeBatchKeepsLogOrderAndEachEventsOwnPayload() throws Exception {
        EventCursor start = LogFixture.head(database);
        List<EventEnvelope> written = new ArrayList<>();
        try (Connection writer = LogFixture.transaction(database)) {
            UUID aggregate = LogFixture.newAggregate(writer);
            for (int tx = 0; tx < 3; tx++) {
                written.addAll(LogFixture.changeAggregate(writer, aggregate, 900));
                writer.commit();
            }
        }
        // 2,700 events: past the size where the reader parses payloads on several threads
        ReadResult first = LogFixture.read(database, start, 2_000);
        assertThat(first).isInstanceOfSatisfying(ReadResult.Batch.class, batch -> {
            assertThat(batch.hasMore()).isTrue();
            assertThat(batch.events()).extracting(e -> e.envelope().eventId())
                    .containsExactlyElementsOf(written.subList(0, 2_000).stream().map(EventEnvelope::eventId).toList());
            assertThat(batch.events()).allSatisfy(e ->
                    assertThat(e.envelope().payload().path("version").asLong()).isEqualTo(e.envelope().aggregateVersion()));
        });
        ReadResult rest = LogFixture.read(database, ((ReadResult.Batch) first).next(), 2_000);
        assertThat(rest).isInstanceOfSatisfying(ReadResult.Batch.class, batch -> {
            assertThat(batch.hasMore()).isFalse();
            assertThat(batch.events()).extracting(e -> e.envelope().eventId())
                    .containsExactlyElementsOf(written.subList(2_000, 2_700).stream().map(EventEnvelope::eventId).toList());
        });
    }

    @Test
    void rolledBackEventsNeverAppear() throws Exception {
        EventCursor start = LogFixture.head(database);
        try (Connection connection = LogFixture.transaction(database)) {
            UUID aggregate = LogFixture.newAggregate(connection);
            connection.commit();
            LogFixture.changeAggregate(connection, aggregate, 2);
            connection.rollback();
            EventEnvelope kept = LogFixture.changeAggregate(connection, aggregate, 1).get(0);
            connection.commit();
            ReadResult result = LogFixture.read(database, start, 100);
            assertThat(result).isInstanceOfSatisfying(ReadResult.Batch.class, batch -> {
                assertThat(batch.events()).extracting(e -> e.envelope().eventId()).containsExactly(kept.eventId());
                assertThat(batch.events().get(0).envelope().aggregateVersion()).isEqualTo(1);
            });
        }
    }

    @Test
    void concurrentWritersWithHeldTransactionsAreReadExactlyOnceInVersionOrder() throws Exception {
        int writers = 8;
        int transactionsPerWriter = 150;
        List<UUID> aggregates = new ArrayList<>();
        UUID blockerAggregate;
        try (Connection setup = database.connect()) {
            for (int i = 0; i < 12; i++) {
                aggregates.add(LogFixture.newAggregate(setup));
            }
            blockerAggregate = LogFixture.newAggregate(setup);
        }
        Set<UUID> testAggregates = new HashSet<>(aggregates);
        testAggregates.add(blockerAggregate);
        Set<UUID> committed = ConcurrentHashMap.newKeySet();
        List<LoggedEvent> received = new CopyOnWriteArrayList<>();

        EventCursor start = LogFixture.head(database);
        TestDatabase db = database;
        EventLogTailer.Settings settings = new EventLogTailer.Settings(
                EventLogNotifier.DEFAULT_CHANNEL, 64, Duration.ofMillis(500), Duration.ofMillis(5), Duration.ofMillis(100));
        try (EventLogNotifier notifier = new EventLogNotifier(db::connect, EventLogNotifier.DEFAULT_CHANNEL);
                EventLogTailer tailer = new EventLogTailer(db::connect, db.dataSource(), settings, events -> {
                    for (LoggedEvent event : events) {
                        if (testAggregates.contains(event.envelope().aggregateId())) {
                            received.add(event);
                        }
                    }
                })) {
            tailer.start(start);
            ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
            CountDownLatch blockerHoldsEarlyXid = new CountDownLatch(1);
            // One transaction takes an early transaction id and stays open while the others commit.
            Future<?> blocker = pool.submit(() -> {
                try (Connection connection = LogFixture.transaction(db)) {
                    List<EventEnvelope> events = LogFixture.changeAggregate(connection, blockerAggregate, 3);
                    blockerHoldsEarlyXid.countDown();
                    Thread.sleep(1_500);
                    connection.commit();
                    events.forEach(e -> committed.add(e.eventId()));
                    notifier.signal();
                }
                return null;
            });
            blockerHoldsEarlyXid.await();
            List<Future<?>> work = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                work.add(pool.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    try (Connection connection = LogFixture.transaction(db)) {
                        for (int i = 0; i < transactionsPerWriter; i++) {
                            UUID aggregate = aggregates.get(random.nextInt(aggregates.size()));
                            List<EventEnvelope> events = LogFixture.changeAggregate(connection, aggregate, 1 + random.nextInt(3));
                            int dice = random.nextInt(100);
                            if (dice < 5) {
                                Thread.sleep(20 + random.nextInt(80));   // held open while later ones commit
                            } else if (dice < 30) {
                                Thread.sleep(random.nextInt(3));
                            }
                            if (dice >= 95) {
                                connection.rollback();
                                continue;
                            }
                            connection.commit();
                            events.forEach(e -> committed.add(e.eventId()));
                            notifier.signal();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get();
            }
            blocker.get();
            pool.shutdown();

            Set<UUID> expected = new HashSet<>(committed);
            assertThat(expected).as("what the database holds for these aggregates").isEqualTo(eventIdsOf(testAggregates));
            await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= expected.size());
            Thread.sleep(300);   // anything extra (a duplicate) would arrive now

            List<UUID> receivedIds = received.stream().map(e -> e.envelope().eventId()).toList();
            assertThat(receivedIds).doesNotHaveDuplicates();
            assertThat(new HashSet<>(receivedIds)).isEqualTo(expected);
            assertVersionsStrictlyIncreaseWithoutGaps(received);
            assertCursorsStrictlyIncrease(received);
        }
    }

    private static void assertVersionsStrictlyIncreaseWithoutGaps(List<LoggedEvent> events) {
        Map<UUID, Long> lastVersion = new HashMap<>();
        for (LoggedEvent event : events) {
            long version = event.envelope().aggregateVersion();
            Long previous = lastVersion.put(event.envelope().aggregateId(), version);
            assertThat(version).as("version of %s after %s", event.envelope().aggregateId(), previous)
                    .isEqualTo(previous == null ? 1 : previous + 1);
        }
    }

    private static void assertCursorsStrictlyIncrease(List<LoggedEvent> events) {
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).cursor()).isGreaterThan(events.get(i - 1).cursor());
        }
    }

    private static Set<UUID> eventIdsOf(Set<UUID> aggregates) throws SQLException {
        Set<UUID> ids = new HashSet<>();
        try (Connection connection = database.connect();
                PreparedStatement query = connection.prepareStatement("SELECT event_id FROM event_log.events WHERE aggregate_id = ANY (?)")) {
            query.setArray(1, connection.createArrayOf("uuid", aggregates.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getObject(1, UUID.class));
                }
            }
        }
        return Collections.unmodifiableSet(ids);
    }

    private static long maxSeq() throws SQLException {
        try (Connection connection = database.connect();
                PreparedStatement query = connection.prepareStatement("SELECT coalesce(max(seq), 0) FROM event_log.events");
                ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    /** The reader this design replaces: WHERE seq > last over a sequence. */
    private static List<UUID> naiveReadAfter(long lastSeq) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (Connection connection = database.connect();
                PreparedStatement query = connection.prepareStatement("SELECT event_id FROM event_log.events WHERE seq > ? ORDER BY seq")) {
            query.setLong(1, lastSeq);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getObject(1, UUID.class));
                }
            }
        }
        return ids;
    }
}
