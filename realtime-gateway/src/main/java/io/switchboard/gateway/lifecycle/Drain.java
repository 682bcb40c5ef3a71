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
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Graceful shutdown (SIGTERM). Runs at the start of Quarkus' shutdown delay, while the server still serves
 * (later, Quarkus waits for open requests, and a WebSocket is one): stop accepting connections and readiness,
 * tell every client to reconnect —
 * to any instance, each after its own random delay within the drain window so they do not all return at
 * once — close with 1012, and wait for the closes to complete (bounded by the drain window).
 */
@ApplicationScoped
public class Drain {

    private static final Logger LOG = Logger.getLogger(Drain.class);

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
        long window = config.shutdown().drainWindow().toMillis();
        int count = 0;
        for (ClientSession session : sessions.all()) {
            long retryAfter = ThreadLocalRandom.current().nextLong(Math.max(1, window));
            session.send(Frames.reconnect(retryAfter, "service_restart"), Frames.RECONNECT);
            session.close(CloseCodes.SERVICE_RESTART, "service_restart; retry_after_ms=" + retryAfter);
            count++;
        }
        long deadline = System.currentTimeMillis() + window;
        while (sessions.size() > 0 && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        LOG.infof("drained %d connections (%d still closing)", count, sessions.size());
    }
}
