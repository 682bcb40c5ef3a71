package io.switchboard.gateway.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's Micrometer meters (Prometheus at /q/metrics). The alerts and the dashboard in deploy/base/monitoring
 * use them; MonitoringContractIT checks every name they use against a real scrape.
 */
@ApplicationScoped
public class GatewayMetrics {

    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger subscriptions = new AtomicInteger();
    /** Frames queued to all connections and not yet written, estimated in bytes of heap (see ClientSession). */
    private final java.util.concurrent.atomic.AtomicLong outboundBacklog = new java.util.concurrent.atomic.AtomicLong();
    private final ConcurrentHashMap<String, Counter> framesByTransport = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> bytesByTransport = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> resumesBySource = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> resetsByReason = new ConcurrentHashMap<>();
    private MeterRegistry registry;
    private Counter overflows;
    private Counter authFailures;
    private Counter replayedFromWindow;
    private Counter replayedFromDatabase;
    private Timer deliveryLag;

    @Inject
    public void init(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("switchboard.gateway.connections", connections);
        registry.gauge("switchboard.gateway.subscriptions", subscriptions);
        io.micrometer.core.instrument.Gauge.builder("switchboard.gateway.outbound.backlog", outboundBacklog, java.util.concurrent.atomic.AtomicLong::get)
                .description("frames queued to all connections and not yet written, estimated heap they hold; replays wait above gateway.limits.replay-backlog")
                .baseUnit("bytes").register(registry);
        overflows = Counter.builder("switchboard.gateway.queue.overflows")
                .description("connections closed because their outbound queue was full").register(registry);
        authFailures = Counter.builder("switchboard.gateway.auth.failures")
                .description("refused or missing authentication").register(registry);
        replayedFromWindow = Counter.builder("switchboard.gateway.replayed.events").tag("source", "window")
                .description("events sent while resuming a subscription, by where they were read").register(registry);
        replayedFromDatabase = Counter.builder("switchboard.gateway.replayed.events").tag("source", "database")
                .description("events sent while resuming a subscription, by where they were read").register(registry);
        // registered up front so every series exists from the first scrape (dashboards and alerts rely on it)
        for (String source : new String[] {"live", "window", "database"}) {
            resumed(source, 0);
        }
        for (String reason : new String[] {"cursor_expired", "cursor_unknown", "access_changed", "replay_failed"}) {
            reset(reason, 0);
        }
        for (String transport : new String[] {"websocket", "sse"}) {
            frameSent(transport, 0);
        }
        deliveryLag = Timer.builder("switchboard.gateway.delivery.lag")
                .description("from the event's commit (recorded_at) to its frame being written")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    public void connectionOpened() {
        connections.incrementAndGet();
    }

    public void connectionClosed() {
        connections.decrementAndGet();
    }

    public int openConnections() {
        return connections.get();
    }

    /** Frames were queued (positive) or written or dropped (negative), in estimated bytes of heap. */
    public void outboundBacklog(long delta) {
        outboundBacklog.addAndGet(delta);
    }

    public long outboundBacklogBytes() {
        return outboundBacklog.get();
    }

    public void subscriptionsChanged(int delta) {
        subscriptions.addAndGet(delta);
    }

    public void frameSent(String transport, int bytes, Instant eventRecordedAt) {
        frameSent(transport, 1);
        bytesByTransport.get(transport).increment(bytes);
        if (eventRecordedAt != null) {
            deliveryLag.record(Duration.between(eventRecordedAt, Instant.now()));
        }
    }

    private void resumed(String source, int count) {
        resumesBySource.computeIfAbsent(source, s -> Counter.builder("switchboard.gateway.resumes").tag("source", s)
                .description("subscriptions resumed from a cursor, by where their replay starts").register(registry)).increment(count);
    }

    /** A subscription started with {@code since}: replayed from the window, the database, or checked ahead with the log. */
    public void resumed(String source) {
        resumed(source, 1);
    }

    /** A subscription ended with a reset frame (the client reloads), by reason. */
    public void reset(String reason) {
        reset(reason, 1);
    }

    private void reset(String reason, int count) {
        resetsByReason.computeIfAbsent(reason, r -> Counter.builder("switchboard.gateway.resets").tag("reason", r)
                .description("subscriptions ended with a reset frame, by reason").register(registry)).increment(count);
    }

    private void frameSent(String transport, int frames) {
        framesByTransport.computeIfAbsent(transport, t -> Counter.builder("switchboard.gateway.frames.sent").tag("transport", t)
                .register(registry)).increment(frames);
        bytesByTransport.computeIfAbsent(transport, t -> Counter.builder("switchboard.gateway.bytes.sent").tag("transport", t)
                .baseUnit("bytes").register(registry));
    }

    public void queueOverflow() {
        overflows.increment();
    }

    public void authFailure() {
        authFailures.increment();
    }

    /** Events replayed to a resuming subscription from the in-memory window. */
    public void replayedFromWindow(int events) {
        replayedFromWindow.increment(events);
    }

    /** Events replayed to a resuming subscription from the database. */
    public void replayedFromDatabase(int events) {
        replayedFromDatabase.increment(events);
    }

    /** The age of the current hold-back of new events behind an open event-writer transaction (0 when none). */
    public void heldBack(java.util.function.Supplier<Duration> age) {
        io.micrometer.core.instrument.Gauge.builder("switchboard.eventlog.held.back", age, a -> a.get().toNanos() / 1e9)
                .description("how long new events have been held back by an open event-writer transaction")
                .baseUnit("seconds").tag("consumer", "gateway").strongReference(true).register(registry);
    }

    /**
     * Database reads of resuming subscriptions: made, and answers shared with another replay of the same account
     * and cursor. ({@code source} is held weakly by the meters: pass a long-lived object.)
     */
    public <T> void replayReads(T source, java.util.function.ToDoubleFunction<T> made, java.util.function.ToDoubleFunction<T> shared) {
        String description = "database reads of resuming subscriptions, by whether the answer came from the database or another replay's read";
        io.micrometer.core.instrument.FunctionCounter.builder("switchboard.gateway.replay.reads", source, made)
                .description(description).tag("answer", "database").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("switchboard.gateway.replay.reads", source, shared)
                .description(description).tag("answer", "shared").register(registry);
    }

    public Timer deliveryLag() {
        return deliveryLag;
    }
}
