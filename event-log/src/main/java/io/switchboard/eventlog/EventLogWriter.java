package io.switchboard.eventlog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Appends events inside the caller's transaction, on the caller's connection, so an event exists if and
 * only if the state change it describes committed.
 *
 * <p>Rule for callers (docs/event-log.md): a transaction that writes events starts with {@link #begin},
 * before its first write: it announces the transaction as a writer (readers hold later events back only
 * behind announced writers) and takes the ordering lock of every pre-existing aggregate it changes (then
 * per-aggregate versions appear in the log in increasing order). Appending in a transaction that did not
 * announce itself fails (a trigger on the table), and so does announcing after the first write.
 *
 * <p>Each event stores the W3C {@code traceparent} of the OpenTelemetry span current when it is appended
 * (the writing request's transaction span), so consumers can link their work to the request.
 */
public final class EventLogWriter {

    private static final String BEGIN_SQL = "SELECT event_log.begin_writer(?::bigint[])";

    /** The keys this call could not lock now (held by another transaction); the others are held from here on. */
    private static final String TRY_LOCK_SQL = "SELECT k FROM unnest(?::bigint[]) AS k WHERE NOT pg_try_advisory_xact_lock(k)";

    static final String INSERT_SQL = """
            INSERT INTO event_log.events (event_id, event_type, account_id, aggregate_type, aggregate_id,
                aggregate_version, occurred_at, actor_type, actor_id, scope_inbox_id, scope_team_id,
                scope_assignee_id, scope_contact_id, scope_private, payload, traceparent)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::json, ?)""";

    /**
     * First thing in a transaction that will write events, before any write of it: announces the transaction
     * as an event writer and takes the ordering locks of the given pre-existing aggregates (none for a
     * transaction that only creates), in one round trip. Calling it again later in the transaction is fine.
     */
    public void begin(Connection connection, UUID... aggregateIds) throws SQLException {
        Long[] keys = new Long[aggregateIds.length];
        for (int i = 0; i < aggregateIds.length; i++) {
            keys[i] = AggregateLocks.key(aggregateIds[i]);
        }
        java.sql.Array array = connection.createArrayOf("bigint", keys);
        try (PreparedStatement begin = connection.prepareStatement(BEGIN_SQL)) {
            begin.setArray(1, array);
            begin.executeQuery().close();
        } finally {
            array.free();
        }
    }

    /**
     * Like {@link #begin} but never waits: announces the transaction and takes the ordering locks that are free
     * now. Returns the aggregates whose lock another transaction holds: this transaction must not change those.
     * For writers that would rather do other work than wait (the conversations service's message writer).
     */
    public Set<UUID> tryBegin(Connection connection, Collection<UUID> aggregateIds) throws SQLException {
        begin(connection);
        Map<Long, List<UUID>> byKey = new HashMap<>();
        for (UUID id : aggregateIds) {
            byKey.computeIfAbsent(AggregateLocks.key(id), k -> new ArrayList<>()).add(id);
        }
        Set<UUID> busy = new HashSet<>();
        if (byKey.isEmpty()) {
            return busy;
        }
        java.sql.Array array = connection.createArrayOf("bigint", byKey.keySet().toArray());
        try (PreparedStatement tryLock = connection.prepareStatement(TRY_LOCK_SQL)) {
            tryLock.setArray(1, array);
            try (ResultSet row = tryLock.executeQuery()) {
                while (row.next()) {
                    busy.addAll(byKey.get(row.getLong(1)));
                }
            }
        } finally {
            array.free();
        }
        return busy;
    }

    /** Appends in the caller's transaction, which must have called {@link #begin} before its first write. */
    public void append(Connection connection, List<EventEnvelope> events) throws SQLException {
        String traceparent = TraceContext.currentTraceparent();
        append(connection, events, event -> traceparent);
    }

    /**
     * Like {@link #append(Connection, List)}, each event with the trace context of the request it belongs to —
     * for a writer that commits several requests' events in one transaction. One multi-row insert (the pool's
     * {@code reWriteBatchedInserts}) when the driver is configured so.
     */
    public void append(Connection connection, List<EventEnvelope> events, Function<EventEnvelope, String> traceparentOf)
            throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_SQL)) {
            for (EventEnvelope event : events) {
                bind(insert, event);
                insert.setString(16, traceparentOf.apply(event));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void bind(PreparedStatement insert, EventEnvelope event) throws SQLException {
        insert.setObject(1, event.eventId());
        insert.setString(2, event.type());
        insert.setObject(3, event.accountId());
        insert.setString(4, event.aggregateType());
        insert.setObject(5, event.aggregateId());
        insert.setLong(6, event.aggregateVersion());
        insert.setObject(7, OffsetDateTime.ofInstant(event.occurredAt(), ZoneOffset.UTC));
        insert.setString(8, event.actor().kind());
        setUuid(insert, 9, event.actor().id());
        RoutingScope scope = event.scope();
        setUuid(insert, 10, scope.inboxId());
        setUuid(insert, 11, scope.teamId());
        setUuid(insert, 12, scope.assigneeId());
        setUuid(insert, 13, scope.contactId());
        insert.setBoolean(14, scope.privateToAgents());
        insert.setString(15, EventJson.write(event.payload()));
    }

    private static void setUuid(PreparedStatement statement, int index, UUID value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.OTHER);
        } else {
            statement.setObject(index, value);
        }
    }
}
