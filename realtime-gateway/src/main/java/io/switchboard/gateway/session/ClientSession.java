package io.switchboard.gateway.session;

import io.switchboard.gateway.auth.Principal;
import io.switchboard.gateway.config.GatewayConfig;
import io.switchboard.gateway.observability.GatewayMetrics;
import io.switchboard.gateway.protocol.CloseCodes;
import io.vertx.core.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * One client connection, whatever the transport. Outbound frames are counted from hand-over until the
 * network took them: that count, bounded in frames and bytes, is the connection's queue, and a client
 * that lets it fill is closed as a slow consumer (it resumes from its cursor) so memory stays bounded.
 */
public final class ClientSession {

    /**
     * Heap a queued frame holds besides its text (the write's futures and context snapshot, the transport's
     * frame and buffer), for the gateway-wide backlog that paces replays: an estimate, on the safe side.
     */
    private static final int FRAME_OVERHEAD_BYTES = 1024;

    /** {@link #transport()} of a server-sent event stream. */
    public static final String SSE = "sse";

    // field updaters rather than atomic objects: three objects fewer on every one of thousands of connections
    private static final AtomicIntegerFieldUpdater<ClientSession> QUEUED_FRAMES =
            AtomicIntegerFieldUpdater.newUpdater(ClientSession.class, "queuedFrames");
    private static final AtomicLongFieldUpdater<ClientSession> QUEUED_BYTES =
            AtomicLongFieldUpdater.newUpdater(ClientSession.class, "queuedBytes");
    private static final AtomicIntegerFieldUpdater<ClientSession> CLOSED = AtomicIntegerFieldUpdater.newUpdater(ClientSession.class, "closed");

    private final String id;
    private final Outbound outbound;
    private final GatewayConfig.Limits limits;
    private final GatewayMetrics metrics;
    private final long openedAtMillis = System.currentTimeMillis();
    private volatile int queuedFrames;
    private volatile long queuedBytes;
    private volatile int closed;
    private final RateLimiter inboundRate;
    private volatile long lastHeardMillis = System.currentTimeMillis();
    /** Sweep-thread state: when the next ping is due (0 until the sweep first sees the connection). */
    private long nextPingMillis;
    private volatile Principal principal;
    private volatile boolean expiryWarned;
    private volatile boolean authenticating;

    /** Router-thread state: subscriptions by client-chosen id, in subscription order. */
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>(4);
    /** Router-thread state (created on first use): subscribes still being checked, in frame order. */
    private List<PendingSubscribe> pendingSubscribes;
    /** Inbound-thread state (created on first use: most connections never type): last typing relay per conversation. */
    private Map<UUID, Long> lastTyping;
    /** Frames that arrived while authentication was in progress, processed once it ends (created on first use). */
    private java.util.ArrayDeque<String> heldFrames;

    public ClientSession(String id, Outbound outbound, GatewayConfig.Limits limits, GatewayMetrics metrics) {
        this.id = id;
        this.outbound = outbound;
        this.limits = limits;
        this.metrics = metrics;
        this.inboundRate = new RateLimiter(limits.framesPerSecond(), limits.frameBurst());
    }

    public String id() {
        return id;
    }

    public long openedAtMillis() {
        return openedAtMillis;
    }

    public Principal principal() {
        return principal;
    }

    public void authenticated(Principal principal) {
        this.principal = principal;
        this.expiryWarned = false;
    }

    public boolean isAuthenticated() {
        return principal != null;
    }

    public boolean authenticating() {
        return authenticating;
    }

    public void authenticating(boolean value) {
        this.authenticating = value;
    }

    /** Keeps a frame until authentication ends; false when too many are waiting. */
    public boolean hold(String frame, int limit) {
        if (heldFrames == null) {
            heldFrames = new java.util.ArrayDeque<>(4);
        }
        if (heldFrames.size() >= limit) {
            return false;
        }
        heldFrames.add(frame);
        return true;
    }

    public String nextHeld() {
        if (heldFrames == null) {
            return null;
        }
        String next = heldFrames.poll();
        if (heldFrames.isEmpty()) {
            heldFrames = null;
        }
        return next;
    }

    public boolean expiryWarned() {
        return expiryWarned;
    }

    public void expiryWarned(boolean value) {
        this.expiryWarned = value;
    }

    public void heard() {
        lastHeardMillis = System.currentTimeMillis();
    }

    public long lastHeardMillis() {
        return lastHeardMillis;
    }

    /**
     * Pings once per interval, at a phase of the connection's own (random): connections that opened or spoke
     * together, as after a reconnect wave, are not all pinged in the same second. A client heard from within
     * the interval is evidently alive and skips its turn. Called by the sweep only.
     */
    public void pingWhenDue(long nowMillis, long intervalMillis) {
        if (nextPingMillis == 0) {
            nextPingMillis = nowMillis + 1 + ThreadLocalRandom.current().nextLong(intervalMillis);
            return;
        }
        if (nowMillis < nextPingMillis) {
            return;
        }
        nextPingMillis = nowMillis + intervalMillis;
        if (nowMillis - lastHeardMillis >= intervalMillis) {
            outbound.ping();
        }
    }

    public Map<String, Subscription> subscriptions() {
        return subscriptions;
    }

    /** Router thread: a subscribe is being checked; an unsubscribe of its id until it ends cancels it. */
    public void subscribePending(PendingSubscribe pending) {
        if (pendingSubscribes == null) {
            pendingSubscribes = new ArrayList<>(2);
        }
        pendingSubscribes.add(pending);
    }

    /** Router thread: cancels the latest pending subscribe of this id not cancelled yet; false when there is none. */
    public boolean cancelPendingSubscribe(String subscriptionId) {
        if (pendingSubscribes != null) {
            for (int i = pendingSubscribes.size() - 1; i >= 0; i--) {
                PendingSubscribe pending = pendingSubscribes.get(i);
                if (pending.id().equals(subscriptionId) && !pending.cancelled()) {
                    pending.cancel();
                    return true;
                }
            }
        }
        return false;
    }

    /** Router thread: the check of this subscribe ended; true when an unsubscribe cancelled it meanwhile. */
    public boolean endPendingSubscribe(PendingSubscribe pending) {
        if (pendingSubscribes != null) {
            pendingSubscribes.removeIf(p -> p == pending);
            if (pendingSubscribes.isEmpty()) {
                pendingSubscribes = null;
            }
        }
        return pending.cancelled();
    }

    public String transport() {
        return outbound.transport();
    }

    /** The event loop to hand this connection's frames to, or null to send from the caller's thread. */
    public Context writeContext() {
        return outbound.writeContext();
    }

    /**
     * Inbound flow control; false means drop the frame (and, past the flood limit, the connection). An SSE
     * stream has no inbound frames: its subscriptions come from its URL, all at once, and are not limited here.
     */
    public boolean admitInbound() {
        if (SSE.equals(outbound.transport()) || inboundRate.tryAcquire()) {
            return true;
        }
        if (inboundRate.rejectedInARow() >= limits.floodCloseAfter()) {
            close(CloseCodes.RATE_LIMITED, "rate_limited");
        }
        return false;
    }

    /** Whether a typing signal for the conversation may be relayed now (at most one per interval). */
    public boolean admitTyping(UUID conversationId, long minIntervalMillis) {
        long now = System.currentTimeMillis();
        if (lastTyping == null) {
            lastTyping = new HashMap<>(4);
        }
        Long last = lastTyping.get(conversationId);
        if (last != null && now - last < minIntervalMillis) {
            return false;
        }
        if (lastTyping.size() > 256) {
            lastTyping.clear();
        }
        lastTyping.put(conversationId, now);
        return true;
    }

    /** Queues a frame; closes the connection instead when its queue is full. Returns whether it was queued. */
    public boolean send(String frame, String type, String cursor, Instant eventRecordedAt) {
        if (closed != 0) {
            return false;
        }
        int length = frame.length();
        int frames = QUEUED_FRAMES.incrementAndGet(this);
        long bytes = QUEUED_BYTES.addAndGet(this, length);
        if (frames > limits.maxQueuedFrames() || bytes > limits.maxQueuedBytes()) {
            QUEUED_FRAMES.decrementAndGet(this);
            QUEUED_BYTES.addAndGet(this, -length);
            metrics.queueOverflow();
            close(CloseCodes.SLOW_CONSUMER, "slow_consumer");
            return false;
        }
        long heap = heapOf(frame);
        metrics.outboundBacklog(heap);
        outbound.send(frame, type, cursor).whenComplete((ignored, failure) -> {
            metrics.outboundBacklog(-heap);
            QUEUED_FRAMES.decrementAndGet(this);
            QUEUED_BYTES.addAndGet(this, -length);
            if (failure == null) {
                metrics.frameSent(outbound.transport(), length, eventRecordedAt);
            }
        });
        return true;
    }

    /** The heap a queued frame is counted with in the gateway-wide outbound backlog. */
    public static long heapOf(String frame) {
        return frame.length() + FRAME_OVERHEAD_BYTES;
    }

    public boolean send(String frame, String type) {
        return send(frame, type, null, null);
    }

    public boolean isClosed() {
        return closed != 0;
    }

    /** Closes once; later calls do nothing. */
    public void close(int code, String reason) {
        if (CLOSED.compareAndSet(this, 0, 1)) {
            outbound.close(code, reason);
        }
    }

    /** Marks the session closed after the transport closed by itself. */
    public void markClosed() {
        closed = 1;
    }

    public int queuedFrames() {
        return queuedFrames;
    }
}
