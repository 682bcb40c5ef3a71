package io.switchboard.eventlog;

import io.switchboard.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/** Migrates the event-log schema into the test database and writes events the way services must. */
final class LogFixture {

    static final UUID ACCOUNT = UUID.fromString("00000000-0000-7000-8000-000000000001");

    private static boolean migrated;

    private LogFixture() {
    }

    static synchronized TestDatabase database() {
        TestDatabase database = TestDatabase.shared();
        if (!migrated) {
            Flyway.configure()
                    .dataSource(database.jdbcUrl(), database.user(), database.password())
                    .schemas("event_log")
                    .locations("classpath:db/event-log")
                    .load()
                    .migrate();
            try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE SCHEMA IF NOT EXISTS log_test");
                statement.execute("CREATE TABLE IF NOT EXISTS log_test.aggregates (id uuid PRIMARY KEY, version bigint NOT NULL)");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            migrated = true;
        }
        return database;
    }

    /** Creates an aggregate; in an open transaction this is its first write, so the transaction announces itself first. */
    static UUID newAggregate(Connection connection) throws SQLException {
        new EventLogWriter().begin(connection);
        UUID id = Ids.newId();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO log_test.aggregates (id, version) VALUES (?, 0)")) {
            insert.setObject(1, id);
            insert.executeUpdate();
        }
        return id;
    }

    /**
     * In the caller's open transaction: announces it and takes the aggregate's ordering lock first (the writer's rule), bumps its
     * version once per event and appends the events. Returns the appended envelopes.
     */
    static List<EventEnvelope> changeAggregate(Connection connection, UUID aggregateId, int eventCount) throws SQLException {
        return changeAggregate(connection, aggregateId, eventCount, ACCOUNT);
    }

    /** The same, for an aggregate of another account. */
    static List<EventEnvelope> changeAggregate(Connection connection, UUID aggregateId, int eventCount, UUID accountId) throws SQLException {
        new EventLogWriter().begin(connection, aggregateId);
        long version;
        try (PreparedStatement read = connection.prepareStatement("SELECT version FROM log_test.aggregates WHERE id = ?")) {
            read.setObject(1, aggregateId);
            try (ResultSet row = read.executeQuery()) {
                row.next();
                version = row.getLong(1);
            }
        }
        List<EventEnvelope> events = new ArrayList<>();
        for (int i = 0; i < eventCount; i++) {
            version++;
            events.add(event(aggregateId, version, accountId));
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE log_test.aggregates SET version = ? WHERE id = ?")) {
            update.setLong(1, version);
            update.setObject(2, aggregateId);
            update.executeUpdate();
        }
        new EventLogWriter().append(connection, events);
        return events;
    }

    static EventEnvelope event(UUID aggregateId, long version) {
        return event(aggregateId, version, ACCOUNT);
    }

    static EventEnvelope event(UUID aggregateId, long version, UUID accountId) {
        return new EventEnvelope(Ids.newId(), "test.changed", accountId, "test", aggregateId, version, Instant.now(),
                Actor.system(), RoutingScope.ACCOUNT, EventJson.object().put("version", version));
    }

    static Connection transaction(TestDatabase database) throws SQLException {
        Connection connection = database.connect();
        connection.setAutoCommit(false);
        return connection;
    }

    static EventCursor head(TestDatabase database) throws SQLException {
        try (Connection connection = database.connect()) {
            return new EventLogReader().head(connection);
        }
    }

    static ReadResult read(TestDatabase database, EventCursor after, int limit) throws SQLException {
        try (Connection connection = database.connect()) {
            return new EventLogReader().readAfter(connection, after, limit);
        }
    }
}
