package io.switchboard.eventlog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Reads the log in commit-safe order. Each read is a single statement, so the retention watermark, the
 * snapshot's xmin and the rows all come from one snapshot: a concurrent prune can never open a silent gap.
 */
public final class EventLogReader {

    /**
     * The visibility horizon of the statement's snapshot (docs/event-log.md, "Visibility horizon"): no
     * transaction below it can still commit events. Cheap path: with no event at or above the snapshot's xmin,
     * xmin itself (asked as max(tx_id), one index entry: an EXISTS here was planned as a sequential scan that
     * read the whole table whenever the answer was no — the usual case). Otherwise the lowest in-progress id of
     * the snapshot that is, or may be, an event writer — an id is passed over only if, now, a running backend
     * holds it and does not hold the writer lock — else the snapshot's xmax. pg_locks is read only on that path (once, materialized).
     */
    private static final String HORIZON_CTE = """
            WITH snap AS MATERIALIZED (SELECT pg_current_snapshot() AS s),
                 locks AS MATERIALIZED (
                     SELECT locktype, pid, transactionid::text::bigint AS xid32, classid, objid, objsubid, database
                       FROM pg_locks
                      WHERE granted AND pid IS NOT NULL
                        AND (locktype = 'transactionid' AND mode = 'ExclusiveLock'
                             OR locktype = 'advisory' AND classid = 7264030 AND objid = 1 AND objsubid = 2)),
                 horizon AS MATERIALIZED (
                     SELECT CASE
                         WHEN coalesce((SELECT max(tx_id) FROM event_log.events), 0) < pg_snapshot_xmin(snap.s)::text::bigint
                             THEN pg_snapshot_xmin(snap.s)::text::bigint
                         ELSE (SELECT coalesce(min(x.id), pg_snapshot_xmax(snap.s)::text::bigint)
                                 FROM (SELECT xip::text::bigint AS id FROM pg_snapshot_xip(snap.s) AS xip) x
                                WHERE NOT EXISTS (
                                    SELECT 1 FROM locks t
                                     WHERE t.locktype = 'transactionid' AND t.xid32 = mod(x.id, 4294967296)
                                       AND NOT EXISTS (SELECT 1 FROM locks w
                                                        WHERE w.locktype = 'advisory' AND w.pid = t.pid
                                                          AND w.database = (SELECT oid FROM pg_database WHERE datname = current_database()))))
                     END AS tx_id
                       FROM snap)
            """;

    private static final String READ_AFTER_SQL = HORIZON_CTE + """
            SELECT r.pruned_tx, r.pruned_seq, horizon.tx_id AS horizon_tx, h.tx_id AS head_tx, h.seq AS head_seq,
                   n.tx_id AS newest_tx, n.seq AS newest_seq,
                   e.tx_id, e.seq, e.event_id, e.event_type, e.account_id, e.aggregate_type, e.aggregate_id,
                   e.aggregate_version, e.occurred_at, e.recorded_at, e.actor_type, e.actor_id,
                   e.scope_inbox_id, e.scope_team_id, e.scope_assignee_id, e.scope_contact_id,
                   e.scope_private, e.traceparent, e.payload::text AS payload
              FROM event_log.retention r
             CROSS JOIN horizon
              LEFT JOIN LATERAL (SELECT tx_id, seq FROM event_log.events
                                  WHERE tx_id < horizon.tx_id
                                  ORDER BY tx_id DESC, seq DESC LIMIT 1) h ON true
              LEFT JOIN LATERAL (SELECT tx_id, seq FROM event_log.events
                                  ORDER BY tx_id DESC, seq DESC LIMIT 1) n ON true
              LEFT JOIN LATERAL (SELECT * FROM event_log.events
                                  WHERE (tx_id, seq) > (?, ?)%s
                                  ORDER BY tx_id, seq LIMIT ?) e ON true""";

    /** One account's events only (index events_account_position): a replay for a subscriber reads nothing else. */
    private static final String READ_ACCOUNT_AFTER_SQL = READ_AFTER_SQL.formatted(" AND account_id = ?");

    private static final String READ_ALL_AFTER_SQL = READ_AFTER_SQL.formatted("");

    private static final int PARALLEL_PARSE_THRESHOLD = 1000;
    private static final ObjectNode NOT_YET_PARSED = EventJson.object();

    private static final String HEAD_SQL = HORIZON_CTE + """
            SELECT r.pruned_tx, r.pruned_seq, h.tx_id AS head_tx, h.seq AS head_seq
              FROM event_log.retention r
             CROSS JOIN horizon
              LEFT JOIN LATERAL (SELECT tx_id, seq FROM event_log.events
                                  WHERE tx_id < horizon.tx_id
                                  ORDER BY tx_id DESC, seq DESC LIMIT 1) h ON true""";

    private static final String RECENT_START_SQL = """
            SELECT r.pruned_tx, r.pruned_seq, e.tx_id AS start_tx, e.seq AS start_seq
              FROM event_log.retention r
              LEFT JOIN LATERAL (SELECT tx_id, seq FROM event_log.events
                                  WHERE (tx_id, seq) <= (?, ?)
                                  ORDER BY tx_id DESC, seq DESC OFFSET ? LIMIT 1) e ON true""";

    /**
     * Where to start reading so that the newest {@code count} events up to {@code head} are read and nothing
     * between: the position of the event just before them, or the retention watermark when fewer remain.
     * (A consumer that keeps recent events in memory fills itself from here before it serves anyone.)
     */
    public EventCursor startOfRecent(Connection connection, EventCursor head, int count) throws SQLException {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        try (PreparedStatement query = connection.prepareStatement(RECENT_START_SQL)) {
            query.setLong(1, head.txId());
            query.setLong(2, head.seq());
            query.setInt(3, count);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw new SQLException("event_log.retention has no row; is the event-log schema migrated?");
                }
                return positionOrWatermark(row, "start");
            }
        }
    }

    /**
     * Everything after {@code after}, at most {@code limit} events, never skipping one that a still-open
     * transaction could commit at an earlier position. (The rows are put in log order here, not by an outer
     * ORDER BY: sorting wide payload rows in the server spilled to disk and cost more than the read itself.)
     */
    public ReadResult readAfter(Connection connection, EventCursor after, int limit) throws SQLException {
        return read(connection, after, null, limit);
    }

    /**
     * Like {@link #readAfter(Connection, EventCursor, int)}, for one account's events only. When the batch is
     * complete (neither held back nor full), {@code next} is the log head this read saw, not the account's last
     * event: no event of the account can appear at or before it any more, so the next read starts there.
     */
    public ReadResult readAfter(Connection connection, EventCursor after, UUID accountId, int limit) throws SQLException {
        return read(connection, after, java.util.Objects.requireNonNull(accountId, "accountId"), limit);
    }

    private ReadResult read(Connection connection, EventCursor after, UUID accountId, int limit) throws SQLException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        try (PreparedStatement read = connection.prepareStatement(accountId == null ? READ_ALL_AFTER_SQL : READ_ACCOUNT_AFTER_SQL)) {
            int index = 1;
            read.setLong(index++, after.txId());
            read.setLong(index++, after.seq());
            if (accountId != null) {
                read.setObject(index++, accountId);
            }
            read.setInt(index, limit);
            try (ResultSet rows = read.executeQuery()) {
                return toResult(after, limit, accountId != null, rows);
            }
        }
    }

    /**
     * The position at which a snapshot read now is complete: every event at or before it is committed and
     * visible to any later statement. Take it before reading the snapshot data.
     */
    public EventCursor head(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(HEAD_SQL); ResultSet row = query.executeQuery()) {
            if (!row.next()) {
                throw new SQLException("event_log.retention has no row; is the event-log schema migrated?");
            }
            return headOf(row);
        }
    }

    private static ReadResult toResult(EventCursor after, int limit, boolean oneAccount, ResultSet rows) throws SQLException {
        List<LoggedEvent> events = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        EventCursor watermark = null;
        EventCursor head = null;
        EventCursor newest = null;
        boolean heldBack = false;
        long blockedBy = 0;
        int rowCount = 0;
        while (rows.next()) {
            if (watermark == null) {
                watermark = new EventCursor(rows.getLong("pruned_tx"), rows.getLong("pruned_seq"));
                head = headOf(rows);
                newest = positionOrWatermark(rows, "newest");
                if (after.compareTo(watermark) < 0) {
                    return new ReadResult.CursorExpired(after, watermark);
                }
            }
            long txId = rows.getLong("tx_id");
            if (rows.wasNull()) {
                continue;
            }
            rowCount++;
            if (txId >= rows.getLong("horizon_tx")) {
                // a writer below this one may still commit: this row and every later one wait
                heldBack = true;
                blockedBy = rows.getLong("horizon_tx");
                continue;
            }
            events.add(toEvent(rows, new EventCursor(txId, rows.getLong("seq"))));
            payloads.add(rows.getString("payload"));
        }
        if (watermark == null) {
            throw new SQLException("event_log.retention has no row; is the event-log schema migrated?");
        }
        // Unknown means beyond every event the log holds. A cursor above this read's horizon but at or below a
        // committed event is one the log handed out under an earlier, higher horizon: nothing is new for it yet.
        if (after.compareTo(newest) > 0) {
            return new ReadResult.CursorUnknown(after, head);
        }
        withPayloads(events, payloads);
        events.sort(Comparator.comparing(LoggedEvent::cursor));
        EventCursor next = events.isEmpty() ? after : events.get(events.size() - 1).cursor();
        boolean hasMore = !heldBack && rowCount == limit;
        if (oneAccount && !heldBack && !hasMore) {
            next = EventCursor.max(next, head);
        }
        return new ReadResult.Batch(List.copyOf(events), next, heldBack, hasMore, watermark, blockedBy);
    }

    private static EventCursor headOf(ResultSet row) throws SQLException {
        return positionOrWatermark(row, "head");
    }

    /** The row's {@code <prefix>_tx, <prefix>_seq} position, or the retention watermark when it is later or absent. */
    private static EventCursor positionOrWatermark(ResultSet row, String prefix) throws SQLException {
        EventCursor watermark = new EventCursor(row.getLong("pruned_tx"), row.getLong("pruned_seq"));
        long txId = row.getLong(prefix + "_tx");
        if (row.wasNull()) {
            return watermark;
        }
        return EventCursor.max(watermark, new EventCursor(txId, row.getLong(prefix + "_seq")));
    }

    /**
     * Parses the payloads into the events; a large batch (a consumer catching up) on all cores, since
     * building the JSON trees is most of a read's CPU time.
     */
    private static void withPayloads(List<LoggedEvent> events, List<String> payloads) {
        IntStream indexes = IntStream.range(0, events.size());
        if (events.size() >= PARALLEL_PARSE_THRESHOLD) {
            indexes = indexes.parallel();
        }
        indexes.forEach(i -> {
            LoggedEvent event = events.get(i);
            events.set(i, new LoggedEvent(event.cursor(), event.envelope().withPayload(EventJson.read(payloads.get(i))),
                    event.recordedAt(), event.traceparent()));
        });
    }

    private static LoggedEvent toEvent(ResultSet row, EventCursor cursor) throws SQLException {
        EventEnvelope envelope = new EventEnvelope(
                row.getObject("event_id", UUID.class),
                row.getString("event_type"),
                row.getObject("account_id", UUID.class),
                row.getString("aggregate_type"),
                row.getObject("aggregate_id", UUID.class),
                row.getLong("aggregate_version"),
                row.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                new Actor(row.getString("actor_type"), row.getObject("actor_id", UUID.class)),
                new RoutingScope(
                        row.getObject("scope_inbox_id", UUID.class),
                        row.getObject("scope_team_id", UUID.class),
                        row.getObject("scope_assignee_id", UUID.class),
                        row.getObject("scope_contact_id", UUID.class),
                        row.getBoolean("scope_private")),
                NOT_YET_PARSED);
        return new LoggedEvent(cursor, envelope, row.getObject("recorded_at", OffsetDateTime.class).toInstant(),
                row.getString("traceparent"));
    }
}
