package io.switchboard.metrics.bench;

import io.switchboard.eventlog.EventLogWriter;
import io.switchboard.eventlog.EventLogReader;
import io.switchboard.metrics.fold.Folder;
import io.switchboard.testing.BenchmarkReport;
import io.switchboard.testing.ServiceProcess;
import io.switchboard.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;

/**
 * Tick cost against stored history (docs/benchmarks.md): the time of one fold of {@code bench.tickEvents} new
 * events (read, fold, write rollups, advance the position, commit) with an empty history and with
 * {@code bench.history} messages stored and rolled up. Run: {@code ./mvnw -Pbench -pl metrics-service -am verify -DskipTests}.
 */
public final class FoldBenchmark {

    /** message.created events as the conversations service writes them, spread over 20 accounts, 60 inboxes, 200 agents. */
    private static final String GENERATE = """
            INSERT INTO event_log.events (event_id, event_type, account_id, aggregate_type, aggregate_id, aggregate_version,
                                          occurred_at, actor_type, actor_id, scope_inbox_id, scope_private, payload)
            SELECT gen_random_uuid(), 'message.created', md5('account' || (i % 20))::uuid, 'message', m.id, 1, m.at,
                   m.sender, m.agent, md5('inbox' || (i % 60))::uuid, false,
                   json_build_object('version', 1, 'message', json_build_object(
                       'id', m.id, 'conversationId', md5('conversation' || (i % 100000))::uuid, 'senderKind', m.sender,
                       'senderId', m.agent, 'type', (ARRAY['text', 'image', 'file', 'audio', 'video'])[1 + i % 5],
                       'content', 'message ' || i, 'attachments', '[]'::json, 'privateNote', false,
                       'status', (ARRAY['sent', 'delivered', 'read', 'failed'])[1 + (i / 7) % 4], 'clientMessageId', NULL,
                       'version', 1, 'createdAt', to_char(m.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                       'updatedAt', to_char(m.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')))
              FROM generate_series(?::bigint, ?::bigint) AS i,
                   LATERAL (SELECT gen_random_uuid() AS id,
                                   date_trunc('microseconds', now() - (? * (i % 2592000)) * interval '1 second') AS at,
                                   CASE WHEN i % 2 = 0 THEN 'customer' ELSE 'agent' END AS sender,
                                   CASE WHEN i % 2 = 0 THEN NULL ELSE md5('agent' || (i % 200))::uuid END AS agent) m""";

    /** The history's rollups, computed in one statement (setup speed); the measured ticks use the service's fold. */
    private static final String ROLL_UP_HISTORY = """
            INSERT INTO metrics.message_rollup (account_id, bucket, inbox_id, agent_id, message_type, direction, status, messages)
            SELECT account_id, to_timestamp(floor(extract(epoch FROM occurred_at) / 900) * 900), scope_inbox_id,
                   (payload -> 'message' ->> 'senderId')::uuid, payload -> 'message' ->> 'type',
                   CASE WHEN payload -> 'message' ->> 'senderKind' = 'customer' THEN 'incoming' ELSE 'outgoing' END,
                   payload -> 'message' ->> 'status', count(*)
              FROM event_log.events GROUP BY 1, 2, 3, 4, 5, 6, 7""";

    private FoldBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long history = Long.getLong("bench.history", 10_000_000L);
        int tickEvents = Integer.getInteger("bench.tickEvents", 10_000);
        int ticks = Integer.getInteger("bench.ticks", 7);
        int warmupTicks = Integer.getInteger("bench.warmupTicks", 5);
        Path dataDirectory = Path.of("target", "fold-bench-db").toAbsolutePath();
        deleteRecursively(dataDirectory); // every run measures a fresh database
        try (TestDatabase database = TestDatabase.start(TestDatabase.Durability.DURABLE, ServiceProcess.freePort(),
                dataDirectory);
                Connection connection = database.connect()) {
            migrate(database);
            measureTicks(connection, tickEvents, warmupTicks, 3_000_000_000L); // JIT warm-up, not recorded
            long[] empty = measureTicks(connection, tickEvents, ticks, 0);
            long started = System.nanoTime();
            long next = 1_000_000_000L;
            for (long from = 0; from < history; from += 1_000_000) {
                generate(connection, next + from, next + Math.min(history, from + 1_000_000) - 1, 1);
                System.out.printf("history: %,d events%n", Math.min(history, from + 1_000_000));
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("TRUNCATE metrics.message_rollup");
                statement.execute(ROLL_UP_HISTORY);
                statement.execute("""
                        UPDATE metrics.fold_position p SET tx_id = e.tx_id, seq = e.seq
                          FROM (SELECT tx_id, seq FROM event_log.events ORDER BY tx_id DESC, seq DESC LIMIT 1) e""");
                statement.execute("VACUUM ANALYZE");
            }
            double setupSeconds = (System.nanoTime() - started) / 1e9;
            long rollupRows = count(connection, "SELECT count(*) FROM metrics.message_rollup");
            long[] full = measureTicks(connection, tickEvents, ticks, 2_000_000_000L);
            String report = """
                    ### Latest run

                    | stored history | events per tick | tick p50 | tick max | ticks measured |
                    |---|---|---|---|---|
                    | none | %,d | %d ms | %d ms | %d |
                    | %,d messages (%,d rollup rows) | %,d | %d ms | %d ms | %d |

                    Reproduce: `./mvnw -Pbench -pl metrics-service -am verify -DskipTests` (`-Dbench.history`,
                    `-Dbench.tickEvents`, `-Dbench.ticks`, `-Dbench.warmupTicks`). The first row follows %d unrecorded
                    warm-up ticks (JIT). A tick = read the new events after the saved position (one statement), fold
                    them, upsert the rollups (one statement per table), advance the position and commit. History setup (generated
                    `message.created` events over 30 days, rolled up in one SQL statement, %.0f s) is not measured;
                    the measured ticks run the service's own fold (`Folder.foldOnce`). Target: ≤ 200 ms per 10,000
                    events, independent of history. PostgreSQL 17 with durable defaults and the harness share one
                    machine: %s.
                    """.formatted(tickEvents, median(empty), max(empty), ticks, history, rollupRows, tickEvents,
                    median(full), max(full), ticks, warmupTicks, setupSeconds, BenchmarkReport.machine());
            System.out.println(report);
            BenchmarkReport.write("metrics-fold", report);
        }
    }

    private static long[] measureTicks(Connection connection, int tickEvents, int ticks, long idBase) throws SQLException {
        EventLogReader reader = new EventLogReader();
        long[] millis = new long[ticks];
        for (int t = 0; t < ticks; t++) {
            long first = idBase + (long) t * tickEvents;
            generate(connection, first, first + tickEvents - 1, 0);
            connection.setAutoCommit(false);
            long started = System.nanoTime();
            Folder.Step step = Folder.foldOnce(connection, reader, tickEvents, "metrics_changed", reason -> {
                throw new IllegalStateException(reason);
            });
            connection.commit();
            millis[t] = (System.nanoTime() - started) / 1_000_000;
            connection.setAutoCommit(true);
            if (step.events() != tickEvents) {
                throw new IllegalStateException("folded " + step.events() + " events, expected " + tickEvents);
            }
            System.out.printf("tick %d: %d events in %d ms%n", t, step.events(), millis[t]);
        }
        return millis;
    }

    /** Events [first, last]; {@code spreadSeconds} 1 spreads them over 30 days, 0 dates them now. */
    private static void generate(Connection connection, long first, long last, int spreadSeconds) throws SQLException {
        // an event writer like any other (docs/event-log.md); with auto-commit it is its own transaction
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        new EventLogWriter().begin(connection);
        try (PreparedStatement insert = connection.prepareStatement(GENERATE)) {
            insert.setLong(1, first);
            insert.setLong(2, last);
            insert.setInt(3, spreadSeconds);
            insert.executeUpdate();
        }
        connection.commit();
        connection.setAutoCommit(autoCommit);
    }

    /** The event-log and metrics schemas, migrated the way the services do it. */
    private static void migrate(TestDatabase database) {
        for (String schema : List.of("event_log", "metrics")) {
            Flyway.configure().dataSource(database.jdbcUrl(), database.user(), database.password()).schemas(schema)
                    .locations("classpath:db/" + schema.replace('_', '-')).load().migrate();
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (Files.exists(directory)) {
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); var row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static long median(long[] values) {
        List<Long> sorted = new ArrayList<>();
        for (long v : values) {
            sorted.add(v);
        }
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static long max(long[] values) {
        long max = 0;
        for (long v : values) {
            max = Math.max(max, v);
        }
        return max;
    }
}
