package io.switchboard.eventlog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Appends events inside the caller's transaction, on the caller's connection, so an event exists if and
 * only if the state change it describes committed.
 *
 * <p>Ordering rule for callers (docs/event-log.md): take {@link AggregateLocks#lock} for every
 * pre-existing aggregate the transaction changes before the transaction's first write. Then per-aggregate
 * versions appear in the log in increasing order.
 */
public final class EventLogWriter {

    static final String INSERT_SQL = """
            INSERT INTO event_log.events (event_id, event_type, account_id, aggregate_type, aggregate_id,
                aggregate_version, occurred_at, actor_type, actor_id, scope_inbox_id, scope_team_id,
                scope_assignee_id, scope_contact_id, scope_private, payload)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::json)""";

    public void append(Connection connection, List<EventEnvelope> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_SQL)) {
            for (EventEnvelope event : events) {
                bind(insert, event);
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
