package io.switchboard.eventlog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * How long a consumer's reads have been held back by an open event-writer transaction, and who that is. Past
 * the threshold it logs a warning naming the blocking backend (pid, application name, state, transaction age,
 * from {@code pg_locks} and {@code pg_stat_activity}), once per blocker and again every minute while it lasts.
 * Used by one thread (the consumer's reader).
 */
public final class HeldBackMonitor {

    private static final Logger LOG = Logger.getLogger(HeldBackMonitor.class);
    private static final long REPEAT_NANOS = Duration.ofMinutes(1).toNanos();
    private static final String BLOCKER_SQL = """
            SELECT a.pid, a.application_name, a.state, a.datname, a.usename,
                   extract(epoch FROM clock_timestamp() - a.xact_start) AS transaction_seconds
              FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock' AND l.granted
               AND l.transactionid::text::bigint = mod(?, 4294967296)""";

    private final String consumer;
    private final Duration threshold;
    private volatile long heldBackSinceNanos;
    private long blocker;
    private long warnedAtNanos;

    /** @param consumer who reads (for the log), @param threshold how long a hold-back may last before the warning */
    public HeldBackMonitor(String consumer, Duration threshold) {
        this.consumer = consumer;
        this.threshold = threshold;
    }

    /** Records a read's outcome; {@code connection} is used only to describe a blocker past the threshold. */
    public void observe(Connection connection, ReadResult.Batch batch) {
        long now = System.nanoTime();
        if (!batch.heldBack()) {
            if (heldBackSinceNanos != 0 && warnedAtNanos != 0) {
                LOG.infof("%s: no longer held back (after %d ms)", consumer, (now - heldBackSinceNanos) / 1_000_000);
            }
            heldBackSinceNanos = 0;
            blocker = 0;
            warnedAtNanos = 0;
            return;
        }
        if (heldBackSinceNanos == 0) {
            heldBackSinceNanos = now;
        }
        if (batch.blockedBy() != blocker) {
            blocker = batch.blockedBy();
            warnedAtNanos = 0;
        }
        long age = now - heldBackSinceNanos;
        if (age >= threshold.toNanos() && (warnedAtNanos == 0 || now - warnedAtNanos >= REPEAT_NANOS)) {
            warnedAtNanos = now;
            LOG.warnf("%s: new events held back for %d ms by the open event-writer transaction %d: %s. Delivery resumes when it"
                    + " ends; a writer should never stay open this long (docs/event-log.md, \"Visibility horizon\")",
                    consumer, age / 1_000_000, blocker, describe(connection, blocker));
        }
    }

    /** How long reads have been held back now (zero when they are not). */
    public Duration heldBackAge() {
        long since = heldBackSinceNanos;
        return since == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
    }

    private static String describe(Connection connection, long transactionId) {
        try (PreparedStatement query = connection.prepareStatement(BLOCKER_SQL)) {
            query.setLong(1, transactionId);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return "no running backend holds it (a prepared transaction, or it just ended)";
                }
                return String.format("pid %d, application '%s', database %s, user %s, state %s, transaction open for %.1f s",
                        row.getInt("pid"), row.getString("application_name"), row.getString("datname"), row.getString("usename"),
                        row.getString("state"), row.getDouble("transaction_seconds"));
            }
        } catch (SQLException e) {
            return "(could not look it up: " + e.getMessage() + ")";
        }
    }
}
