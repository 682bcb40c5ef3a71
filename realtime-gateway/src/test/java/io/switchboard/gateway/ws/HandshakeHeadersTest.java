package io.switchboard.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

/** The token and every header the handshake does not need leave the upgrade request, so idle connections do not keep them. */
class HandshakeHeadersTest {

    @Test
    void authorizationHeaderIsTakenOut() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer abc.def.ghi").add("Host", "gateway");

        assertEquals("abc.def.ghi", HandshakeHeaders.take(headers));
        assertFalse(headers.contains("Authorization"));
        assertEquals("gateway", headers.get("Host"));
    }

    @Test
    void bearerSubprotocolIsTakenOutAndTheOthersStillNegotiate() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Sec-WebSocket-Protocol", "switchboard.v1, bearer.abc.def.ghi");

        assertEquals("abc.def.ghi", HandshakeHeaders.take(headers));
        assertEquals("switchboard.v1", headers.get("Sec-WebSocket-Protocol"));
    }

    @Test
    void aLoneBearerSubprotocolLeavesNoProtocolHeader() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Sec-WebSocket-Protocol", "bearer.abc");

        assertEquals("abc", HandshakeHeaders.take(headers));
        assertFalse(headers.contains("Sec-WebSocket-Protocol"));
    }

    @Test
    void withoutATokenNothingChanges() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Basic dXNlcjpwYXNz")
                .add("Sec-WebSocket-Protocol", "switchboard.v1, bearer.");

        assertNull(HandshakeHeaders.take(headers));
        assertEquals("Basic dXNlcjpwYXNz", headers.get("Authorization"));
        assertEquals("switchboard.v1, bearer.", headers.get("Sec-WebSocket-Protocol"));
    }

    @Test
    void onlyWhatTheHandshakeReadsStays() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Host", "gateway").add("Upgrade", "websocket").add("Connection", "Upgrade")
                .add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").add("Sec-WebSocket-Version", "13").add("Origin", "https://console")
                .add("Sec-WebSocket-Protocol", "switchboard.v1").add("Sec-WebSocket-Extensions", "permessage-deflate")
                .add("User-Agent", "Mozilla/5.0").add("Cookie", "a=b").add("Accept-Language", "en").add("Cache-Control", "no-cache");

        HandshakeHeaders.keepOnlyHandshake(headers);

        assertEquals(java.util.Set.of("host", "upgrade", "connection", "sec-websocket-key", "sec-websocket-version",
                "sec-websocket-protocol", "sec-websocket-extensions"),
                headers.names().stream().map(n -> n.toLowerCase(java.util.Locale.ROOT)).collect(java.util.stream.Collectors.toSet()));
    }
}
