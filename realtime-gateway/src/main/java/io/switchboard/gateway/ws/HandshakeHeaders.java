package io.switchboard.gateway.ws;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Slims the upgrade request before it becomes a connection. Its headers live as long as the connection
 * (Vert.x and websockets-next each keep a copy), so on a gateway holding thousands of idle dashboards they
 * are a large part of what a connection costs: a token alone is about a kilobyte, a browser adds user agent,
 * languages, cookies. So the token moves to the connection's user data (the endpoint claims it once), and
 * every header the WebSocket handshake does not read is dropped; nothing in the gateway reads them later.
 */
@ApplicationScoped
public class HandshakeHeaders implements HttpUpgradeCheck {

    private static final UserData.TypedKey<String> TOKEN = UserData.TypedKey.forString("switchboard.handshake-token");
    private static final String BEARER_PROTOCOL_PREFIX = "bearer.";
    private static final String PROTOCOL_HEADER = "Sec-WebSocket-Protocol";
    /**
     * What Vert.x needs to complete the handshake and negotiate subprotocol and extensions (lower case). Origin
     * goes too: CORS ran before this check, and a token rather than a cookie authenticates the socket.
     */
    private static final Set<String> HANDSHAKE = Set.of("host", "upgrade", "connection", "sec-websocket-key",
            "sec-websocket-version", "sec-websocket-protocol", "sec-websocket-extensions");

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        MultiMap headers = context.httpRequest().headers();
        String token = take(headers);
        if (token != null) {
            context.userData().put(TOKEN, token);
        }
        keepOnlyHandshake(headers);
        return CheckResult.permitUpgrade();
    }

    /** The token of the handshake, once: it is removed from the connection's user data. */
    static String claim(WebSocketConnection connection) {
        return connection.userData().remove(TOKEN);
    }

    /**
     * Removes the token from the headers and returns it ({@code Authorization: Bearer …}, or a
     * {@code bearer.<token>} entry in {@code Sec-WebSocket-Protocol} next to {@code switchboard.v1}, for
     * browsers); null when the handshake carries none.
     */
    static String take(MultiMap headers) {
        String authorization = headers.get("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            headers.remove("Authorization");
            String token = authorization.substring(7).trim();
            return token.isEmpty() ? null : token;
        }
        String protocols = headers.get(PROTOCOL_HEADER);
        if (protocols == null) {
            return null;
        }
        String token = null;
        StringJoiner others = new StringJoiner(", ");
        for (String protocol : protocols.split(",")) {
            String entry = protocol.trim();
            if (entry.startsWith(BEARER_PROTOCOL_PREFIX)) {
                if (token == null && entry.length() > BEARER_PROTOCOL_PREFIX.length()) {
                    token = entry.substring(BEARER_PROTOCOL_PREFIX.length());
                }
            } else if (!entry.isEmpty()) {
                others.add(entry);
            }
        }
        if (token != null) {
            // the remaining entries still negotiate the subprotocol; the bearer entry is never selected
            if (others.length() == 0) {
                headers.remove(PROTOCOL_HEADER);
            } else {
                headers.set(PROTOCOL_HEADER, others.toString());
            }
        }
        return token;
    }

    static void keepOnlyHandshake(MultiMap headers) {
        List<String> dropped = new ArrayList<>();
        for (String name : headers.names()) {
            if (!HANDSHAKE.contains(name.toLowerCase(Locale.ROOT))) {
                dropped.add(name);
            }
        }
        dropped.forEach(headers::remove);
    }
}
