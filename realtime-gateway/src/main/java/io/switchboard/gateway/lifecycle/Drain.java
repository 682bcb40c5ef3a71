package io.switchboard.gateway.lifecycle;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.switchboard.gateway.config.GatewayConfig;
import io.switchboard.gateway.protocol.CloseCodes;
import io.switchboard.gateway.protocol.Frames;
import io.switchboard.gateway.session.ClientSession;
import io.switchboard.gateway.session.SessionRegistry;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Graceful shutdown (SIGTERM). Runs at the start of Quarkus' shutdown, while the server still serves: stop
 * accepting connections and readiness, then close every connection at its own random moment within the
 * drain window — a {@code reconnect} frame (with a short jitter as the advised delay), then 1012 — so the
 * other instances see the clients come back spread over the window, whatever the clients do with the advice.
 * Shutdown goes on as soon as the last connection is gone (at once when there is none), and at the latest a
 * close grace after the window, closing whatever is still open.
 */
@ApplicationScoped
public class Drain {

    private static final Logger LOG = Logger.getLogger(Drain.class);
    /** How long the closes of the last moment may take to complete (close handshakes, SSE final events). */
    private static final long CLOSE_GRACE_MILLIS = 2_000;
    /** The advised reconnect delay is a jitter within this, for clients closed in the same instant. */
    private static final long RECONNECT_JITTER_MILLIS = 1_000;

    @Inject
    SessionRegistry sessions;

    @Inject
    GatewayConfig config;

    private volatile boolean draining;

    public boolean draining() {
        return draining;
    }

    void onShutdown(@Observes @Priority(1) ShutdownDelayInitiatedEvent shutdown) {
        draining = true;
        long window = Math.max(1, config.shutdown().drainWindow().toMillis());
        long started = System.currentTimeMillis();
        List<ClientSession> open = List.copyOf(sessions.all());
        ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("gateway-drain").daemon().factory());
        try {
            for (ClientSession session : open) {
                closer.schedule(() -> close(session), ThreadLocalRandom.current().nextLong(window), TimeUnit.MILLISECONDS);
            }
            long deadline = started + window + CLOSE_GRACE_MILLIS;
            while (sessions.size() > 0 && System.currentTimeMillis() < deadline) {
                sleep(20);
            }
            // connections that opened after the snapshot, or whose close never completed
            sessions.all().forEach(Drain::close);
        } finally {
            closer.shutdownNow();
        }
        LOG.infof("drained %d connections in %d ms (%d still closing)", open.size(), System.currentTimeMillis() - started, sessions.size());
    }

    private static void close(ClientSession session) {
        if (session.isClosed()) {
            return;
        }
        long retryAfter = ThreadLocalRandom.current().nextLong(RECONNECT_JITTER_MILLIS);
        session.send(Frames.reconnect(retryAfter, "service_restart"), Frames.RECONNECT);
        session.close(CloseCodes.SERVICE_RESTART, "service_restart; retry_after_ms=" + retryAfter);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
