package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.switchboard.testing.Tenant;
import io.switchboard.testing.WsClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A public endpoint keeps no half-open HTTP connections: idle, half-sent and finished keep-alive requests are
 * closed after the handshake timeout, while accepted WebSockets and SSE streams stay as long as the gateway's
 * liveness rules say (here: no ping for 30 s, so only the exemption keeps a silent socket open).
 */
@QuarkusTest
@TestProfile(ConnectionTimeoutsTest.ShortHandshake.class)
class ConnectionTimeoutsTest {

    public static class ShortHandshake implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.liveness.handshake-timeout", "2s");
        }
    }

    @Test
    void idleAndHalfSentConnectionsAreClosedAfterTheHandshakeTimeout() throws Exception {
        List<String> starts = List.of("", "GET /q/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ", "GET /q/health/live HTTP/1.1\r\nHost: localhost\r\n\r\n");
        for (String start : starts) {
            try (Socket socket = new Socket("localhost", RestAssured.port)) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(start.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                long opened = System.nanoTime();
                InputStream in = socket.getInputStream();
                while (in.read() >= 0) {
                    // a finished request gets its response first; then the connection must close
                }
                Duration open = Duration.ofNanos(System.nanoTime() - opened);
                assertThat(open).as("connection after %s", start.isEmpty() ? "nothing" : start.strip().replace("\r\n", " | "))
                        .isBetween(Duration.ofMillis(1500), Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void silentWebSocketsAndSseStreamsStayOpen() throws Exception {
        Tenant tenant = Gateway.tenant();
        try (WsClient socket = Gateway.connect(tenant.adminToken());
                SseClient stream = SseClient.open("http://localhost:" + RestAssured.port + "/sse?subscribe=queue&access_token=" + tenant.adminToken(), null)) {
            stream.await(e -> "subscribed".equals(e.name()), Gateway.WAIT);
            Thread.sleep(5_000);
            assertThat(socket.isClosed()).isFalse();
            assertThat(stream.ended()).isFalse();
            socket.send(Map.of("type", "ping", "ref", "still-there"));
            socket.await(f -> "pong".equals(f.path("type").asText()) && "still-there".equals(f.path("ref").asText()), Gateway.WAIT);
        }
    }
}
