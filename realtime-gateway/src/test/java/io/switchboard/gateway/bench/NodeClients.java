package io.switchboard.gateway.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * The side-by-side benchmark's connections to a Node.js server, opened like {@link Connector} opens the
 * gateway's (a bounded number of handshakes in flight, a browser's headers) but not repeated: the Node servers
 * accept every handshake, so any failure fails the run. Measures publish → frame latency: each event carries
 * the publisher's sequence number, looked up in {@code published} (seq → System.nanoTime() before the send).
 */
final class NodeClients {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocketClient client;
    private final Wire wire;
    private final Semaphore inFlight;
    private final Map<Long, Long> published;
    private final Recorder latency;
    private final AtomicInteger ready = new AtomicInteger();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong chars = new AtomicLong();

    NodeClients(WebSocketClient client, Wire wire, int concurrency, Map<Long, Long> published, Recorder latency) {
        this.client = client;
        this.wire = wire;
        this.inFlight = new Semaphore(concurrency);
        this.published = published;
        this.latency = latency;
    }

    /** Starts a subscriber of {@code account}; blocks while the handshake window is full. */
    void connect(String account) throws InterruptedException {
        inFlight.acquire();
        open(account, new CompletableFuture<>());
    }

    void awaitReady(int expected, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (ready.get() < expected) {
            if (failures.get() > 0 || System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + ready.get() + " of " + expected + " connections ready; " + failures.get() + " failed");
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** Opens the publisher's connection and waits until the server takes its messages. */
    WebSocket publisher() throws Exception {
        CompletableFuture<WebSocket> opened = new CompletableFuture<>();
        open(null, opened);
        return opened.get(30, TimeUnit.SECONDS);
    }

    /** Event frames received so far. */
    long frames() {
        return frames.get();
    }

    /** Characters of the event messages received so far (for Socket.IO with its {@code 42["event",…]} wrapper). */
    long chars() {
        return chars.get();
    }

    long failures() {
        return failures.get();
    }

    /** Connections that closed after they were ready. */
    long dropped() {
        return dropped.get();
    }

    private void open(String account, CompletableFuture<WebSocket> whenReady) {
        AtomicBoolean settled = new AtomicBoolean();
        ClientWebSocket socket = client.webSocket();
        Runnable onReady = () -> {
            if (settled.compareAndSet(false, true)) {
                if (account != null) {
                    inFlight.release();
                    ready.incrementAndGet();
                }
                whenReady.complete(socket);
            }
        };
        // in place before the handshake: Socket.IO's open packet follows it at once
        socket.textMessageHandler(text -> {
            String event = wire.receive(socket, text, account, onReady);
            if (event != null) {
                onEvent(event, text.length());
            }
        });
        socket.closeHandler(closed -> {
            if (settled.compareAndSet(false, true)) {
                failed(account, whenReady, new IllegalStateException("closed before it was ready: " + socket.closeStatusCode()));
            } else {
                dropped.incrementAndGet();
            }
        });
        WebSocketConnectOptions options = new WebSocketConnectOptions().setURI(wire.uri(account));
        Connector.BROWSER_HEADERS.forEach(options::addHeader);
        socket.connect(options).onSuccess(opened -> wire.opened(socket, account, onReady)).onFailure(failure -> {
            if (settled.compareAndSet(false, true)) {
                failed(account, whenReady, failure);
            }
        });
    }

    private void failed(String account, CompletableFuture<WebSocket> whenReady, Throwable failure) {
        if (account != null) {
            inFlight.release();
            failures.incrementAndGet();
        }
        whenReady.completeExceptionally(failure);
    }

    private void onEvent(String event, int length) {
        long now = System.nanoTime();
        frames.incrementAndGet();
        chars.addAndGet(length);
        try {
            Long sent = published.get(JSON.readTree(event).path("seq").asLong());
            if (sent != null) {
                latency.recordValue(Math.max(0, (now - sent) / 1_000));
            }
        } catch (Exception e) {
            failures.incrementAndGet();
        }
    }
}
