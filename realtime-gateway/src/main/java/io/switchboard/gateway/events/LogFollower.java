package io.switchboard.gateway.events;

import io.agroal.api.AgroalDataSource;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.eventlog.EventCursor;
import io.switchboard.eventlog.EventLogReader;
import io.switchboard.eventlog.EventLogTailer;
import io.switchboard.eventlog.ReadResult;
import io.switchboard.gateway.config.GatewayConfig;
import io.switchboard.gateway.observability.GatewayMetrics;
import io.switchboard.gateway.observability.RelayTracing;
import io.switchboard.gateway.session.ClientSession;
import io.switchboard.gateway.session.Subscription;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * One reader of the event log per gateway process, shared by all connections: the tailer follows the log
 * from its head at start-up and hands batches to the router; replays older than the in-memory window read
 * the database on a small pool, one query per batch, shared by the replays of one account it covers
 * ({@link SharedReplayReads}).
 */
@ApplicationScoped
public class LogFollower implements Router.DatabaseReplay {

    private static final Logger LOG = Logger.getLogger(LogFollower.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    GatewayConfig config;

    @Inject
    GatewayMetrics metrics;

    @Inject
    Tracer tracer;

    @ConfigProperty(name = "quarkus.otel.sdk.disabled")
    boolean tracingDisabled;

    private static final long BACKLOG_WAIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
    /**
     * Nor while the router has this many commands queued: each replay batch handed over holds its parsed events
     * until the router gets to it, and a storm's batches would otherwise pile up there faster than it delivers.
     */
    private static final int MAX_PENDING_COMMANDS = 64;

    private final EventLogReader reader = new EventLogReader();
    private final ExecutorService replays = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("gateway-replay-", 0).daemon().factory());
    // an answer is reused for this long after its read: the resumes of one account arrive within a few seconds
    private final SharedReplayReads sharedReads = new SharedReplayReads(
            (account, after) -> {
                try (Connection connection = dataSource.getConnection()) {
                    return reader.readAfter(connection, after, account, config.log().batchSize());
                }
            }, java.util.concurrent.TimeUnit.SECONDS.toNanos(5));
    private Router router;
    private EventLogTailer tailer;

    void start(@Observes @Priority(10) StartupEvent startup) throws SQLException {
        long started = System.nanoTime();
        EventCursor head;
        EventCursor windowStart;
        try (Connection connection = dataSource.getConnection()) {
            head = reader.head(connection);
            windowStart = config.log().warmStart() ? reader.startOfRecent(connection, head, config.log().windowSize()) : head;
        }
        router = new Router(windowStart, config.log().windowSize(), config.limits().maxSubscriptions(), metrics,
                tracingDisabled ? RelayTracing.OFF : new RelayTracing(tracer));
        int preloaded = preload(windowStart, head);
        router.start(this);
        EventLogTailer.Settings settings = new EventLogTailer.Settings(config.log().channel(), config.log().batchSize(),
                config.log().safetyPoll(), Duration.ofMillis(3), Duration.ofSeconds(1), config.log().heldBackWarning());
        tailer = new EventLogTailer(dataSource::getConnection, dataSource, settings, new EventLogTailer.Listener() {
            @Override
            public void onEvents(java.util.List<io.switchboard.eventlog.LoggedEvent> events) {
                router.onEvents(events);
            }

            @Override
            public void onWatermark(EventCursor watermark) {
                router.onWatermark(watermark);
            }

            @Override
            public void onPositionExpired(EventCursor lost, EventCursor resumedAt) {
                LOG.errorf("the gateway fell behind the log's retention (%s); events up to %s were skipped", lost, resumedAt);
            }
        });
        tailer.start(router.position());
        metrics.heldBack(tailer::heldBackAge);
        metrics.replayReads(sharedReads, SharedReplayReads::databaseReads, SharedReplayReads::sharedAnswers);
        LOG.infof("following the event log from %s; %d recent events in memory for resumes (read in %d ms)", head, preloaded,
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * A warm start: reads the events after {@code from} up to {@code head} into the router's window, before
     * the router serves anyone, so the resumes of a restart storm cost the database nothing but this one pass.
     */
    private int preload(EventCursor from, EventCursor head) throws SQLException {
        int loaded = 0;
        EventCursor cursor = from;
        try (Connection connection = dataSource.getConnection()) {
            while (cursor.isBefore(head)) {
                if (!(reader.readAfter(connection, cursor, config.log().batchSize()) instanceof ReadResult.Batch batch)
                        || batch.events().isEmpty()) {
                    break; // pruned meanwhile, or held back: the tailer reads on from where this stopped
                }
                router.preload(batch.events(), batch.next());
                loaded += batch.events().size();
                cursor = batch.next();
            }
        }
        return loaded;
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (tailer != null) {
            tailer.close();
        }
        if (router != null) {
            router.stop();
        }
        replays.shutdownNow();
    }

    public Router router() {
        return router;
    }

    /** Ready once the tailer has read up to the head of the log. */
    public boolean caughtUp() {
        return tailer != null && tailer.isCaughtUp();
    }

    public EventCursor position() {
        return router.position();
    }

    /** How long new events have been held back by an open event-writer transaction (zero when they are not). */
    public Duration heldBackAge() {
        return tailer == null ? Duration.ZERO : tailer.heldBackAge();
    }

    @Override
    public void start(ClientSession session, Subscription subscription, EventCursor after) {
        replays.execute(() -> replay(session, subscription, after));
    }

    /**
     * Reads the subscriber's account's events only (in SQL: a second line behind the router's per-event
     * decision), batch by batch, until the in-memory window covers the rest or the head is reached.
     */
    private void replay(ClientSession session, Subscription subscription, EventCursor after) {
        EventCursor cursor = after;
        UUID account = session.principal().accountId();
        boolean first = true;
        try {
            while (!session.isClosed()) {
                ReadResult result = sharedReads.read(account, cursor);
                switch (result) {
                    case ReadResult.CursorExpired expired -> {
                        router.reset(session, subscription, "cursor_expired",
                                "the cursor is older than the event log's retention; reload and subscribe again");
                        return;
                    }
                    case ReadResult.CursorUnknown unknown -> {
                        router.reset(session, subscription, "cursor_unknown", "this log never produced the cursor; reload and subscribe again");
                        return;
                    }
                    case ReadResult.Batch batch -> {
                        awaitBacklogBelowLimit(session);
                        if (first || !batch.events().isEmpty() || batch.next().isAfter(cursor)) {
                            router.replayBatch(session, subscription, batch.events(), batch.next());
                            first = false;
                        }
                        cursor = batch.next();
                        boolean reachedHead = !batch.hasMore() && !batch.heldBack();
                        if (router.windowCovers(cursor) || reachedHead) {
                            router.finishReplay(session, subscription, cursor);
                            return;
                        }
                        if (batch.events().isEmpty()) {
                            Thread.sleep(5);
                        }
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("replay from %s failed: %s", after, e.getMessage());
            router.reset(session, subscription, "replay_failed", "the gateway could not read the log; reload and subscribe again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean backlogFull() {
        return metrics.outboundBacklogBytes() > config.limits().replayBacklog();
    }

    @Override
    public void whenBacklogAllows(ClientSession session, Subscription subscription, EventCursor cursor) {
        replays.execute(() -> {
            try {
                awaitBacklogBelowLimit(session);
                router.finishReplay(session, subscription, cursor);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * Replays go out in waves: while the frames queued to all connections are over the limit (or the router is
     * behind), a replay waits — at most a second at a time, so connections that never read (each closed at its
     * own queue limit, or by the idle timeout) slow replays down but cannot stop them.
     */
    private void awaitBacklogBelowLimit(ClientSession session) throws InterruptedException {
        long deadline = System.nanoTime() + BACKLOG_WAIT_NANOS;
        while ((backlogFull() || router.pendingCommands() > MAX_PENDING_COMMANDS) && !session.isClosed() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Override
    public void verifyKnown(ClientSession session, Subscription subscription, EventCursor cursor, String ref) {
        replays.execute(() -> {
            String refusal;
            try (Connection connection = dataSource.getConnection()) {
                refusal = reader.readAfter(connection, cursor, 1) instanceof ReadResult.CursorUnknown ? "cursor_unknown" : null;
            } catch (SQLException e) {
                LOG.warnf("could not verify cursor %s: %s", cursor, e.getMessage());
                refusal = "replay_failed";
            }
            router.cursorChecked(session, subscription, cursor, ref, refusal);
        });
    }
}
