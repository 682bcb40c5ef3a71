package io.switchboard.metrics.fold;

import io.switchboard.eventlog.EventCursor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** The saved log position of the last folded event (metrics.fold_position). */
public record FoldPosition(EventCursor cursor, long foldedEvents, Instant updatedAt) {

    public static FoldPosition read(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT tx_id, seq, folded_events, updated_at FROM metrics.fold_position WHERE id = 1");
                ResultSet row = query.executeQuery()) {
            if (!row.next()) {
                throw new SQLException("metrics.fold_position has no row; is the metrics schema migrated?");
            }
            return new FoldPosition(new EventCursor(row.getLong(1), row.getLong(2)), row.getLong(3),
                    row.getTimestamp(4).toInstant());
        }
    }

    /**
     * Moves the position from {@code expected} to {@code next}; false when another transaction moved it first
     * (a second leader, or a rebuild), in which case the caller must roll back.
     */
    public static boolean advance(Connection connection, EventCursor expected, EventCursor next, int events)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE metrics.fold_position SET tx_id = ?, seq = ?, folded_events = folded_events + ?, updated_at = now()
                 WHERE id = 1 AND tx_id = ? AND seq = ?""")) {
            update.setLong(1, next.txId());
            update.setLong(2, next.seq());
            update.setLong(3, events);
            update.setLong(4, expected.txId());
            update.setLong(5, expected.seq());
            return update.executeUpdate() == 1;
        }
    }

    /** Empties every rollup and moves the position back to {@code start}: the next folds rebuild everything. */
    public static void reset(Connection connection, EventCursor start) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute("""
                    TRUNCATE metrics.message_rollup, metrics.conversation_rollup, metrics.csat_rollup, metrics.agents,
                             metrics.accounts, metrics.active_conversations, metrics.queue_snapshots""");
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE metrics.fold_position SET tx_id = ?, seq = ?, folded_events = 0, updated_at = now() WHERE id = 1")) {
            update.setLong(1, start.txId());
            update.setLong(2, start.seq());
            update.executeUpdate();
        }
    }
}
