package io.switchboard.gateway.ws;

import io.quarkus.websockets.next.HandshakeRequest;
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
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The WebSocket endpoint {@code /ws} (protocol: asyncapi.yaml). The token comes in the handshake
 * ({@code Authorization: Bearer …}, or a {@code bearer.<token>} entry in {@code Sec-WebSocket-Protocol} next
 * to {@code switchboard.v1}, for browsers) or in an auth frame within the auth timeout.
 * All callbacks run on the connection's event loop and only hand work on.
 */
@WebSocket(path = "/ws")
public class GatewaySocket {

    private static final Logger LOG = Logger.getLogger(GatewaySocket.class);
    private static final String BEARER_PROTOCOL_PREFIX = "bearer.";

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
        ClientSession session = new ClientSession(connection.id(), new WebSocketOutbound(connection), config.limits(), metrics);
        sessions.add(session);
        String token = handshakeToken(connection.handshakeRequest());
        if (token != null) {
            inbound.authenticate(session, token, null);
        } else {
            session.send(Frames.hello(config.auth().timeout().toMillis()), Frames.HELLO);
        }
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

    static String handshakeToken(HandshakeRequest request) {
        String authorization = request.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        String protocols = request.header("Sec-WebSocket-Protocol");
        if (protocols != null) {
            for (String protocol : protocols.split(",")) {
                String entry = protocol.trim();
                if (entry.startsWith(BEARER_PROTOCOL_PREFIX) && entry.length() > BEARER_PROTOCOL_PREFIX.length()) {
                    return entry.substring(BEARER_PROTOCOL_PREFIX.length());
                }
            }
        }
        return null;
    }
}
