package io.switchboard.eventlog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Deletes the oldest events, always a prefix of the log, and moves the retention watermark in the same
 * transaction; readers compare their cursor with the watermark and answer "cursor expired" instead of
 * returning a partial result.
 */
public final class EventLogRetention {

    /** What one call removed; {@code watermark} is the highest deleted position (or the previous one). */
    public record PruneResult(int deleted, EventCursor watermark, boolean skippedLockedByPeer) {
    }

    // Only final rows (below the snapshot's xmin) may be pruned, so the watermark never passes a position
    // that an open transaction could still fill.
    private static final String OLDEST_SQL = """
            SELECT tx_id, seq, recorded_at < ? AS expired
              FROM event_log.events
             WHERE tx_id < (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint)
             ORDER BY tx_id, seq
             LIMIT ?""";

    /**
     * Deletes up to {@code batchSize} of the oldest events recorded before {@code cutoff}, in one transaction.
     * Call repeatedly until {@code deleted < batchSize}. Replicas may call concurrently: one prunes, the
     * others skip. Readers are woken on the default channel so they learn the new watermark at once.
     */
    public PruneResult pruneBatch(Connection connection, Instant cutoff, int batchSize) throws SQLException {
        return pruneBatch(connection, cutoff, batchSize, EventLogNotifier.DEFAULT_CHANNEL);
    }

    /** As {@link #pruneBatch(Connection, Instant, int)}, waking readers on {@code channel}. */
    public PruneResult pruneBatch(Connection connection, Instant cutoff, int batchSize, String channel) throws SQLException {
        return JdbcTransaction.run(connection, c -> {
            PruneResult result = prune(c, cutoff, batchSize);
            if (result.deleted() > 0) {
                try (PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, '')")) {
                    notify.setString(1, channel);
                    notify.execute();
                }
            }
            return result;
        });
    }

    private PruneResult prune(Connection connection, Instant cutoff, int batchSize) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_xact_lock(hashtext('event_log.retention'))");
                ResultSet locked = lock.executeQuery()) {
            locked.next();
            if (!locked.getBoolean(1)) {
                return new PruneResult(0, currentWatermark(connection), true);
            }
        }
        EventCursor last = null;
        int count = 0;
        try (PreparedStatement oldest = connection.prepareStatement(OLDEST_SQL)) {
            oldest.setTimestamp(1, Timestamp.from(cutoff));
            oldest.setInt(2, batchSize);
            try (ResultSet rows = oldest.executeQuery()) {
                while (rows.next() && rows.getBoolean("expired")) {
                    last = new EventCursor(rows.getLong("tx_id"), rows.getLong("seq"));
                    count++;
                }
            }
        }
        if (last == null) {
            return new PruneResult(0, currentWatermark(connection), false);
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM event_log.events WHERE (tx_id, seq) <= (?, ?)");
                PreparedStatement mark = connection.prepareStatement(
                        "UPDATE event_log.retention SET pruned_tx = ?, pruned_seq = ?, pruned_at = now()")) {
            delete.setLong(1, last.txId());
            delete.setLong(2, last.seq());
            int deleted = delete.executeUpdate();
            mark.setLong(1, last.txId());
            mark.setLong(2, last.seq());
            mark.executeUpdate();
            if (deleted != count) {
                throw new SQLException("retention expected to delete " + count + " events but deleted " + deleted);
            }
            return new PruneResult(deleted, last, false);
        }
    }

    private static EventCursor currentWatermark(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT pruned_tx, pruned_seq FROM event_log.retention");
                ResultSet row = query.executeQuery()) {
            row.next();
            return new EventCursor(row.getLong(1), row.getLong(2));
        }
    }
}
