package io.switchboard.metrics.fold;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.eventlog.EventLogReader;
import io.switchboard.eventlog.HeldBackMonitor;
import io.switchboard.eventlog.LoggedEvent;
import io.switchboard.eventlog.ReadResult;
import io.switchboard.metrics.config.MetricsConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One fold step: read the events after the saved position through the shared log reader, fold them, and
 * commit the rollup changes together with the new position. Reading and folding assign no transaction id;
 * the writes come last, in a few multi-row statements, so the transaction holds an id only while it writes.
 * (It writes no events, so log readers do not wait for it at all; keeping it short still keeps its row locks
 * and its snapshot horizon short.)
 */
@ApplicationScoped
public class Folder {

    private static final Logger LOG = Logger.getLogger(Folder.class);

    /**
     * What a step did; {@code more} means more events are waiting (or held back) right now. {@code newest} is
     * when the log recorded the last event folded (null if none), {@code writers} the trace contexts of up to
     * {@link #TRACED_WRITERS} folded events whose writers were traced.
     */
    public record Step(int events, boolean more, Set<UUID> accounts, Instant newest, List<String> writers) {

        static final Step NOTHING = new Step(0, false, Set.of(), null, List.of());

        static Step empty(boolean more) {
            return new Step(0, more, Set.of(), null, List.of());
        }
    }

    /** How many writers' trace contexts a step keeps for the fold span's links (a sample, not all). */
    public static final int TRACED_WRITERS = 16;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MetricsConfig config;

    @Inject
    MeterRegistry registry;

    private final EventLogReader reader = new EventLogReader();
    private HeldBackMonitor heldBack;
    private volatile String halted;
    private volatile Instant lagSince;
    private Counter foldedEvents;
    private Timer stepTimer;

    @PostConstruct
    void meters() {
        foldedEvents = Counter.builder("switchboard.metrics.folded.events").description("events folded into rollups")
                .register(registry);
        stepTimer = Timer.builder("switchboard.metrics.fold.step").description("duration of one fold transaction")
                .register(registry);
        heldBack = new HeldBackMonitor("metrics fold", config.fold().heldBackWarning());
        Gauge.builder("switchboard.metrics.fold.lag", this, Folder::lagSeconds)
                .description("how far the rollups are behind the log (0 when caught up; grows while folding is stopped)")
                .baseUnit("seconds").register(registry);
        Gauge.builder("switchboard.eventlog.held.back", heldBack, monitor -> monitor.heldBackAge().toNanos() / 1e9)
                .description("how long new events have been held back by an open event-writer transaction")
                .baseUnit("seconds").tag("consumer", "metrics-fold").register(registry);
    }

    /**
     * Why folding stopped (the position expired or is unknown to this log, or an event could not be folded),
     * or null while it runs. A halted fold never skips ahead on its own: exactness needs every event.
     */
    public String halted() {
        return halted;
    }

    public Step step() throws SQLException {
        if (halted != null) {
            return Step.NOTHING;
        }
        long started = System.nanoTime();
        try {
            return Transactions.run(dataSource, connection -> {
                Step step = foldOnce(connection, reader, config.fold().batchSize(), config.push().channel(), this::halt, heldBack);
                foldedEvents.increment(step.events());
                return step;
            });
        } finally {
            stepTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * One fold inside the caller's transaction: the events after the saved position, folded, written and the
     * position advanced; {@code halt} hears why folding must stop. (Public for the benchmark.)
     */
    public static Step foldOnce(Connection connection, EventLogReader reader, int batchSize, String channel,
            Consumer<String> halt) throws SQLException {
        return foldOnce(connection, reader, batchSize, channel, halt, null);
    }

    private static Step foldOnce(Connection connection, EventLogReader reader, int batchSize, String channel,
            Consumer<String> halt, HeldBackMonitor heldBack) throws SQLException {
        FoldPosition position = FoldPosition.read(connection);
        ReadResult result = reader.readAfter(connection, position.cursor(), batchSize);
        switch (result) {
            case ReadResult.CursorExpired expired -> {
                halt.accept("the saved position " + expired.requested() + " is older than the log's retention (oldest "
                        + expired.oldestAvailable() + "); rebuild the rollups (docs/metrics.md)");
                return Step.NOTHING;
            }
            case ReadResult.CursorUnknown unknown -> {
                halt.accept("the saved position " + unknown.requested() + " is beyond this log's head " + unknown.head()
                        + " (another database?); rebuild the rollups (docs/metrics.md)");
                return Step.NOTHING;
            }
            case ReadResult.Batch batch -> {
                if (heldBack != null) {
                    heldBack.observe(connection, batch);
                }
                if (batch.events().isEmpty()) {
                    return Step.empty(batch.heldBack());
                }
                RollupDeltas deltas = new RollupDeltas();
                for (LoggedEvent event : batch.events()) {
                    try {
                        EventFolder.fold(event.envelope(), deltas);
                    } catch (RuntimeException e) {
                        halt.accept("event " + event.cursor() + " (" + event.envelope().type() + ") cannot be folded: " + e);
                        throw e;
                    }
                }
                if (!FoldPosition.advance(connection, position.cursor(), batch.next(), batch.events().size())) {
                    LOG.info("the fold position moved under this step (another folder or a rebuild); retrying");
                    connection.rollback();
                    return Step.empty(true);
                }
                RollupStore.write(connection, deltas);
                RollupStore.refreshQueues(connection, deltas.touchedAccounts(), Instant.now());
                ChangeNotifier.notify(connection, channel, deltas.touchedAccounts());
                List<LoggedEvent> events = batch.events();
                return new Step(events.size(), batch.hasMore() || batch.heldBack(), deltas.touchedAccounts(),
                        events.getLast().recordedAt(), tracedWriters(events));
            }
        }
    }

    private static List<String> tracedWriters(List<LoggedEvent> events) {
        List<String> writers = new ArrayList<>(TRACED_WRITERS);
        for (int i = 0; i < events.size() && writers.size() < TRACED_WRITERS; i++) {
            String traceparent = events.get(i).traceparent();
            if (traceparent != null && !writers.contains(traceparent)) {
                writers.add(traceparent);
            }
        }
        return writers;
    }

    /**
     * Fold lag: 0 right after a step that found nothing more to fold; while events wait, the age of the last event
     * folded (an upper bound of the oldest waiting one's). It grows on its own when steps stop (halted, failing, or
     * stuck), so an alert sees it. Instances that do not lead report 0: the leader's figure is the service's.
     */
    void lagAfter(Step step, Instant now) {
        if (!step.more()) {
            lagSince = now;
        } else if (step.newest() != null) {
            lagSince = step.newest();
        }
        // more waiting but nothing folded (held back, or the position moved): the last known age stands
    }

    void notLeading() {
        lagSince = null;
    }

    double lagSeconds() {
        Instant since = lagSince;
        return since == null ? 0 : Math.max(0, Duration.between(since, Instant.now()).toNanos() / 1e9);
    }

    /** After a rebuild: fold again from the new start. */
    public void resume() {
        halted = null;
    }

    private void halt(String reason) {
        if (halted == null) {
            LOG.error("folding stopped: " + reason);
        }
        halted = reason;
    }
}
