package io.switchboard.gateway.ws;

import io.quarkus.websockets.next.InboundProcessingMode;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.switchboard.gateway.config.GatewayConfig;
import io.switchboard.gateway.events.LogFollower;
import io.switchboard.gateway.observability.GatewayMetrics;
import io.switchboard.gateway.presence.PresenceService;
import io.switchboard.gateway.protocol.Frames;
import io.switchboard.gateway.session.ClientSession;
import io.switchboard.gateway.session.Inbound;
import io.switchboard.gateway.session.SessionRegistry;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The WebSocket endpoint {@code /ws} (protocol: asyncapi.yaml). The token comes in the handshake (taken out
 * of it by {@link HandshakeHeaders}) or in an auth frame within the auth timeout.
 * All callbacks run on the connection's event loop and only hand work on.
 */
// CONCURRENT: every callback is non-blocking on the connection's own event loop, so frames are handled in
// order anyway; SERIAL would give each connection a queue of its own (about 1 KiB of heap per idle connection).
@WebSocket(path = "/ws", inboundProcessingMode = InboundProcessingMode.CONCURRENT)
public class GatewaySocket {

    private static final Logger LOG = Logger.getLogger(GatewaySocket.class);

    @Inject
    SessionRegistry sessions;

    @Inject
    Inbound inbound;

    @Inject
    LogFollower follower;

    @Inject
    PresenceService presence;

    @Inject
    GatewayConfig config;

    @Inject
    GatewayMetrics metrics;

    @OnOpen
    @NonBlocking
    public void onOpen(WebSocketConnection connection) {
        ClientSession session = new ClientSession(connection.id(), new WebSocketOutbound(connection, eventLoop()), config.limits(), metrics);
        sessions.add(session);
        String token = HandshakeHeaders.claim(connection);
        if (token != null) {
            inbound.authenticate(session, token, null);
        } else {
            session.send(Frames.hello(config.auth().timeout().toMillis()), Frames.HELLO);
        }
    }

    /** The root context of the calling event loop (callbacks run on the connection's event loop). */
    private static Context eventLoop() {
        Context current = Vertx.currentContext();
        return current == null ? null : VertxContext.getRootContext(current);
    }

    @OnTextMessage
    @NonBlocking
    public void onText(WebSocketConnection connection, String text) {
        ClientSession session = sessions.get(connection.id());
        if (session != null) {
            inbound.onText(session, text);
        }
    }

    @OnBinaryMessage
    @NonBlocking
    public void onBinary(WebSocketConnection connection, Buffer data) {
        ClientSession session = sessions.get(connection.id());
        if (session != null) {
            inbound.onBinary(session);
        }
    }

    @OnPongMessage
    @NonBlocking
    public void onPong(WebSocketConnection connection, Buffer data) {
        ClientSession session = sessions.get(connection.id());
        if (session != null) {
            session.heard();
        }
    }

    @OnClose
    @NonBlocking
    public void onClose(WebSocketConnection connection) {
        ClientSession session = sessions.remove(connection.id());
        if (session == null) {
            return;
        }
        session.markClosed();
        if (session.isAuthenticated()) {
            follower.router().unregister(session);
            presence.disconnected(session.principal());
        }
    }

    @OnError
    @NonBlocking
    public void onError(WebSocketConnection connection, Throwable failure) {
        LOG.debugf("connection %s: %s", connection.id(), failure.toString());
    }
}
