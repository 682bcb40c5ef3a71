package io.switchboard.gateway.session;

import io.quarkus.scheduler.Scheduled;
import io.switchboard.gateway.config.GatewayConfig;
import io.switchboard.gateway.events.LogFollower;
import io.switchboard.gateway.metrics.MetricsRelay;
import io.switchboard.gateway.observability.GatewayMetrics;
import io.switchboard.gateway.protocol.CloseCodes;
import io.switchboard.gateway.protocol.Frames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every open connection of this instance. A sweep once a second enforces the time rules: authenticate
 * within the auth timeout (else 4001), a token_expiring warning before expiry, a close at expiry (4002),
 * a ping per ping interval to a WebSocket client it has not heard from meanwhile, and a close after the idle
 * timeout without any frame or pong (4010).
 */
@ApplicationScoped
public class SessionRegistry {

    private final ConcurrentHashMap<String, ClientSession> sessions = new ConcurrentHashMap<>();

    @Inject
    GatewayConfig config;

    @Inject
    GatewayMetrics metrics;

    @Inject
    LogFollower follower;

    @Inject
    MetricsRelay metricsRelay;

    public void add(ClientSession session) {
        sessions.put(session.id(), session);
        metrics.connectionOpened();
    }

    public ClientSession get(String id) {
        return sessions.get(id);
    }

    public ClientSession remove(String id) {
        ClientSession session = sessions.remove(id);
        if (session != null) {
            metrics.connectionClosed();
            metricsRelay.closed(session);
        }
        return session;
    }

    public Collection<ClientSession> all() {
        return sessions.values();
    }

    public int size() {
        return sessions.size();
    }

    @Scheduled(identity = "session-sweep", every = "${gateway.liveness.sweep-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        Instant now = Instant.now();
        long nowMillis = now.toEpochMilli();
        long authDeadline = config.auth().timeout().toMillis();
        long idle = config.liveness().idleTimeout().toMillis();
        long heartbeat = config.liveness().sseHeartbeat().toMillis();
        long ping = config.liveness().pingInterval().toMillis();
        for (ClientSession session : sessions.values()) {
            if (session.isClosed()) {
                continue;
            }
            if (!session.isAuthenticated()) {
                if (!session.authenticating() && nowMillis - session.openedAtMillis() > authDeadline) {
                    metrics.authFailure();
                    session.close(CloseCodes.UNAUTHENTICATED, "authentication_timeout");
                }
                continue;
            }
            Instant expiresAt = session.principal().expiresAt();
            if (!now.isBefore(expiresAt)) {
                session.close(CloseCodes.TOKEN_EXPIRED, "token_expired");
                continue;
            }
            if (!session.expiryWarned() && !now.isBefore(expiresAt.minus(config.auth().expiryWarning()))) {
                session.expiryWarned(true);
                session.send(Frames.tokenExpiring(expiresAt), Frames.TOKEN_EXPIRING);
            }
            if (session.transport().equals(ClientSession.SSE)) {
                // an event stream cannot answer pings: a periodic pong (with the cursor) keeps it alive and detects dead peers
                if (nowMillis - session.lastHeardMillis() > heartbeat) {
                    session.heard();
                    follower.router().pong(session, null);
                }
            } else if (nowMillis - session.lastHeardMillis() > idle) {
                session.close(CloseCodes.IDLE_TIMEOUT, "idle_timeout");
            } else {
                session.pingWhenDue(nowMillis, ping);
            }
        }
    }
}
