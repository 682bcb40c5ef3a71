package io.switchboard.eventlog;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Follows the log from a cursor on one thread: LISTENs on the wake-up channel, catches up by cursor
 * (one query per batch), and polls as a safety net so a missed notification only costs latency.
 * One tailer per process is meant to serve every consumer in it.
 */
public final class EventLogTailer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EventLogTailer.class);

    /** Receives events in log order on the tailer's thread; keep it quick and non-blocking. */
    public interface Listener {

        void onEvents(List<LoggedEvent> events);

        /** The tailer reached the head of the log (after start, or after falling behind). */
        default void onCaughtUp(EventCursor position) {
        }

        /** The tailer's own position was pruned (it was stopped longer than retention); it resumes at {@code resumedAt}. */
        default void onPositionExpired(EventCursor lost, EventCursor resumedAt) {
        }

        /** The retention watermark moved: cursors at or below it are expired. */
        default void onWatermark(EventCursor watermark) {
        }
    }

    /**
     * @param channel        NOTIFY channel to LISTEN on
     * @param batchSize      events per read query
     * @param safetyPoll     longest wait without a notification before reading anyway
     * @param heldBackRetry  wait before re-reading when newer events are held back by an open transaction
     * @param retryBackoff   wait after a database error
     * @param heldBackWarning how long events may be held back by an open writer before a warning names it
     */
    public record Settings(String channel, int batchSize, Duration safetyPoll, Duration heldBackRetry, Duration retryBackoff,
            Duration heldBackWarning) {

        public Settings {
            Objects.requireNonNull(channel, "channel");
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be positive");
            }
        }

        /** With the default warning threshold (1 s). */
        public Settings(String channel, int batchSize, Duration safetyPoll, Duration heldBackRetry, Duration retryBackoff) {
            this(channel, batchSize, safetyPoll, heldBackRetry, retryBackoff, Duration.ofSeconds(1));
        }
    }

    private final ConnectionSource listenConnections;
    private final DataSource reads;
    private final EventLogReader reader = new EventLogReader();
    private final Settings settings;
    private final Listener listener;
    private final Thread thread;
    private final HeldBackMonitor heldBack;

    private volatile EventCursor position;
    private EventCursor watermark = EventCursor.ORIGIN;
    private volatile boolean caughtUp;
    private volatile boolean closed;
    private volatile Connection listenConnection;

    public EventLogTailer(ConnectionSource listenConnections, DataSource reads, Settings settings, Listener listener) {
        this.listenConnections = listenConnections;
        this.reads = reads;
        this.settings = settings;
        this.listener = listener;
        this.thread = Thread.ofPlatform().daemon().name("event-log-tailer").unstarted(this::run);
        this.heldBack = new HeldBackMonitor("event-log tailer", settings.heldBackWarning());
    }

    /** Starts following the log after {@code from}. */
    public void start(EventCursor from) {
        this.position = Objects.requireNonNull(from);
        thread.start();
    }

    /** The position of the last event delivered to the listener. */
    public EventCursor position() {
        return position;
    }

    /** How long new events have been held back by an open writer transaction (zero when they are not). */
    public Duration heldBackAge() {
        return heldBack.heldBackAge();
    }

    /** True once the tailer has read up to the head of the log and is waiting for new events. */
    public boolean isCaughtUp() {
        return caughtUp;
    }

    private void run() {
        while (!closed) {
            try {
                PGConnection notifications = listen();
                boolean heldBack = drain();
                Duration wait = heldBack ? settings.heldBackRetry() : settings.safetyPoll();
                PGNotification[] received = notifications.getNotifications((int) Math.max(1, wait.toMillis()));
                if (received == null && !heldBack) {
                    LOG.tracef("no notification within %s; polling the log", wait);
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                caughtUp = false;
                LOG.warnf("event-log tailer at %s failed, retrying in %s: %s", position, settings.retryBackoff(), e.getMessage());
                closeListenConnection();
                sleep(settings.retryBackoff());
            }
        }
        closeListenConnection();
    }

    /** LISTEN before reading, so a commit between the read and the wait still wakes us. */
    private PGConnection listen() throws SQLException {
        Connection connection = listenConnection;
        if (connection == null || connection.isClosed()) {
            connection = listenConnections.open();
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + quoteIdentifier(settings.channel()));
            }
            listenConnection = connection;
        }
        return connection.unwrap(PGConnection.class);
    }

    /** Reads until the head; returns whether newer events are held back by an open transaction. */
    private boolean drain() throws SQLException {
        try (Connection connection = reads.getConnection()) {
            connection.setAutoCommit(true);
            while (!closed) {
                ReadResult result = reader.readAfter(connection, position, settings.batchSize());
                switch (result) {
                    case ReadResult.Batch batch -> {
                        heldBack.observe(connection, batch);
                        if (batch.watermark().isAfter(watermark)) {
                            watermark = batch.watermark();
                            listener.onWatermark(watermark);
                        }
                        if (!batch.events().isEmpty()) {
                            listener.onEvents(batch.events());
                            position = batch.next();
                        }
                        if (!batch.hasMore()) {
                            if (!caughtUp) {
                                caughtUp = true;
                                listener.onCaughtUp(position);
                            }
                            return batch.heldBack();
                        }
                    }
                    case ReadResult.CursorExpired expired -> {
                        LOG.errorf("event-log tailer position %s was pruned; resuming at %s", position, expired.oldestAvailable());
                        EventCursor lost = position;
                        position = expired.oldestAvailable();
                        listener.onPositionExpired(lost, position);
                    }
                    case ReadResult.CursorUnknown unknown -> {
                        LOG.errorf("event-log tailer position %s is beyond the log head %s (database replaced?); resuming at the head",
                                position, unknown.head());
                        EventCursor lost = position;
                        position = unknown.head();
                        listener.onPositionExpired(lost, position);
                    }
                }
            }
            return false;
        }
    }

    private static String quoteIdentifier(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private void closeListenConnection() {
        Connection connection = listenConnection;
        listenConnection = null;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        closeListenConnection();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
