package io.switchboard.eventlog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * Wakes log readers after commits: {@link #signal()} after each committing transaction, and one thread
 * sends {@code NOTIFY} on the channel, coalescing signals that arrive while a notification is in flight.
 *
 * <p>Why not NOTIFY inside the writing transaction: PostgreSQL serializes the commits of notifying
 * transactions on a global lock, which caps write throughput. A lost notification (crash between commit
 * and notify) only delays readers until their safety poll; it never loses an event.
 */
public final class EventLogNotifier implements AutoCloseable {

    /** The documented wake-up channel (docs/event-log.md). */
    public static final String DEFAULT_CHANNEL = "event_log";

    private static final Logger LOG = Logger.getLogger(EventLogNotifier.class);

    private final ConnectionSource connections;
    private final String channel;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean closed;
    private Connection connection;

    public EventLogNotifier(ConnectionSource connections, String channel) {
        this.connections = connections;
        this.channel = channel;
        this.thread = Thread.ofPlatform().daemon().name("event-log-notifier").unstarted(this::run);
        this.thread.start();
    }

    /** Asks for a notification soon; cheap and non-blocking, safe to call from any thread. */
    public void signal() {
        if (pending.compareAndSet(false, true)) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        while (!closed) {
            if (!pending.getAndSet(false)) {
                LockSupport.park(this);
                continue;
            }
            try {
                notifyReaders();
            } catch (SQLException e) {
                LOG.warnf("event-log notification failed (readers catch up on their next poll): %s", e.getMessage());
                closeConnection();
                LockSupport.parkNanos(this, 200_000_000L);
            }
        }
        closeConnection();
    }

    private void notifyReaders() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = connections.open();
            connection.setAutoCommit(false);
        }
        // A notification carries no data worth an fsync wait (losing one only delays a reader), so this
        // transaction alone commits asynchronously; set_config(..., true) keeps it transaction-local.
        try (PreparedStatement notify = connection.prepareStatement(
                "SELECT set_config('synchronous_commit', 'off', true), pg_notify(?, '')")) {
            notify.setString(1, channel);
            notify.execute();
        }
        connection.commit();
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
