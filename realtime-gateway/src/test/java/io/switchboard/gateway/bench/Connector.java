package io.switchboard.gateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * Opens the benchmark's connections the way a fleet of dashboards reconnects: a bounded number of handshakes
 * in flight, and a handshake that the gateway closes before authenticating (for example 1011 while it cannot
 * load identities fast enough) is repeated after a jittered exponential backoff, as the client library does.
 * Measures commit → frame latency on the event frames that arrive.
 */
final class Connector {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ATTEMPTS = 8;
    static final Map<String, String> BROWSER_HEADERS = Map.of(
            "User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
            "Origin", "https://support.example.com",
            "Accept-Encoding", "gzip, deflate, br, zstd",
            "Accept-Language", "en-GB,en;q=0.9,de;q=0.8",
            "Cache-Control", "no-cache",
            "Pragma", "no-cache");

    private record Attempt(String token, int number) {
    }

    /** One client per local source address, used in turn (one address has about 28,000 ephemeral ports). */
    private final List<WebSocketClient> clients;
    private int started;
    private final boolean authFrame;
    private final Semaphore inFlight;
    private final BlockingQueue<Attempt> due = new LinkedBlockingQueue<>();
    private final AtomicInteger authenticated = new AtomicInteger();
    private final AtomicInteger subscribed = new AtomicInteger();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong frames;
    private final AtomicLong failures;
    private final Map<String, Long> commits;
    private final Recorder latency;
    private final List<WebSocket> sockets;

    /** With {@code authFrame} the token goes in an auth frame after the handshake (as the browser client does), else in its Authorization header. */
    Connector(WebSocketClient client, boolean authFrame, int concurrency, AtomicLong frames, AtomicLong failures, Map<String, Long> commits,
            Recorder latency, List<WebSocket> sockets) {
        this(List.of(client), authFrame, concurrency, frames, failures, commits, latency, sockets);
    }

    /** Connections go out through {@code clients} in turn (each bound to its own source address). */
    Connector(List<WebSocketClient> clients, boolean authFrame, int concurrency, AtomicLong frames, AtomicLong failures, Map<String, Long> commits,
            Recorder latency, List<WebSocket> sockets) {
        this.clients = List.copyOf(clients);
        this.authFrame = authFrame;
        this.inFlight = new Semaphore(concurrency);
        this.frames = frames;
        this.failures = failures;
        this.commits = commits;
        this.latency = latency;
        this.sockets = sockets;
    }

    /** Starts one connection; blocks while the handshake window is full. */
    void connect(String token) throws InterruptedException {
        start(new Attempt(token, 1));
        startDue(0);
    }

    long retries() {
        return retries.get();
    }

    /** Authenticated connections that closed afterwards (the gateway never should, in a benchmark). */
    long dropped() {
        return dropped.get();
    }

    void awaitAuthenticated(int expected, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (authenticated.get() < expected) {
            if (failures.get() > 0 || System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + authenticated.get() + " of " + expected + " connections authenticated; "
                        + failures.get() + " gave up after " + MAX_ATTEMPTS + " attempts, " + retries.get() + " handshakes repeated");
            }
            startDue(100);
        }
    }

    void awaitSubscribed(int expected, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (subscribed.get() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + subscribed.get() + " of " + expected + " connections subscribed");
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private void startDue(long waitMillis) throws InterruptedException {
        Attempt attempt = due.poll(waitMillis, TimeUnit.MILLISECONDS);
        while (attempt != null) {
            start(attempt);
            attempt = due.poll();
        }
    }

    private void start(Attempt attempt) throws InterruptedException {
        inFlight.acquire();
        AtomicBoolean settled = new AtomicBoolean();
        ClientWebSocket socket = clients.get(started++ % clients.size()).webSocket();
        // the handler is in place before the handshake: the server's "authenticated" frame follows it at once
        socket.textMessageHandler(text -> {
            if (text.startsWith("{\"type\":\"event\"")) {
                onEvent(text);
            } else if (text.startsWith("{\"type\":\"authenticated\"") && settled.compareAndSet(false, true)) {
                inFlight.release();
                sockets.add(socket);
                authenticated.incrementAndGet();
            } else if (text.startsWith("{\"type\":\"subscribed\"")) {
                subscribed.incrementAndGet();
            }
        });
        socket.closeHandler(closed -> {
            if (settled.compareAndSet(false, true)) {
                retry(attempt);
            } else {
                dropped.incrementAndGet();
            }
        });
        WebSocketConnectOptions options = new WebSocketConnectOptions().setURI("/ws");
        // what a browser sends besides the handshake itself, so the heap per connection is a dashboard's
        BROWSER_HEADERS.forEach(options::addHeader);
        if (authFrame) {
            options.addSubProtocol("switchboard.v1");
        } else {
            options.addHeader("Authorization", "Bearer " + attempt.token());
        }
        socket.connect(options).onSuccess(opened -> {
            if (authFrame) {
                socket.writeTextMessage("{\"type\":\"auth\",\"token\":\"" + attempt.token() + "\"}");
            }
        }).onFailure(failure -> {
            if (settled.compareAndSet(false, true)) {
                retry(attempt);
            }
        });
    }

    private void retry(Attempt attempt) {
        inFlight.release();
        if (attempt.number() >= MAX_ATTEMPTS) {
            failures.incrementAndGet();
            return;
        }
        retries.incrementAndGet();
        long ceiling = Math.min(10_000, 250L << attempt.number());
        long delay = ThreadLocalRandom.current().nextLong(100, ceiling);
        // a plain thread timer: the retry queue is drained by the benchmark's main thread, not an event loop
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(delay);
                due.add(new Attempt(attempt.token(), attempt.number() + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void onEvent(String text) {
        long now = System.nanoTime();
        frames.incrementAndGet();
        try {
            JsonNode frame = JSON.readTree(text);
            Long committed = commits.get(frame.path("id").asText() + "/" + frame.path("version").asLong());
            if (committed != null) {
                latency.recordValue(Math.max(0, (now - committed) / 1_000));
            }
        } catch (Exception e) {
            failures.incrementAndGet();
        }
    }
}
