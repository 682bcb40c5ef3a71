package io.switchboard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client for tests (the JDK's, on its own threads, never a Vert.x event loop). Keeps every
 * frame received; {@link #await} finds one, {@link #pause()} stops reading to simulate a slow consumer.
 */
public final class WsClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the connection ended. */
    public record Closed(int code, String reason) {
    }

    private final List<JsonNode> frames = new ArrayList<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private volatile long closedAtMillis;
    private final StringBuilder partial = new StringBuilder();
    private volatile boolean paused;
    private WebSocket socket;

    private WsClient() {
    }

    /** Connects with the token in the Authorization header (null: no token), and the given subprotocols. */
    public static WsClient connect(String url, String bearerToken, String... subprotocols) {
        WsClient client = new WsClient();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (bearerToken != null) {
            builder.header("Authorization", "Bearer " + bearerToken);
        }
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        client.socket = builder.buildAsync(URI.create(url), client.listener()).orTimeout(10, TimeUnit.SECONDS).join();
        return client;
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            @Override
            public void onOpen(WebSocket webSocket) {
                webSocket.request(1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String text = partial.toString();
                    partial.setLength(0);
                    try {
                        JsonNode frame = JSON.readTree(text);
                        synchronized (frames) {
                            frames.add(frame);
                            frames.notifyAll();
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException("the server sent a frame that is not JSON: " + text, e);
                    }
                }
                requestMore(webSocket);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                requestMore(webSocket);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closedAtMillis = System.currentTimeMillis();
                closed.complete(new Closed(statusCode, reason));
                synchronized (frames) {
                    frames.notifyAll();
                }
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.complete(new Closed(-1, String.valueOf(error)));
                synchronized (frames) {
                    frames.notifyAll();
                }
            }
        };
    }

    private void requestMore(WebSocket webSocket) {
        if (!paused) {
            webSocket.request(1);
        }
    }

    public void send(String text) {
        socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    public void send(Map<String, ?> frame) {
        try {
            send(JSON.writeValueAsString(frame));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public void sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** The first frame (from the start of the connection) matching {@code match}, waiting up to {@code timeout}. */
    public JsonNode await(Predicate<JsonNode> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (frames) {
            while (true) {
                for (JsonNode frame : frames) {
                    if (match.test(frame)) {
                        return frame;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed.isDone() && !paused) {
                    throw new AssertionError("no matching frame within " + timeout + "; received " + frames.size()
                            + " frames, the last ones " + summary(frames.subList(Math.max(0, frames.size() - 5), frames.size()))
                            + (closed.isDone() ? "; closed " + closed.getNow(null) : ""));
                }
                try {
                    frames.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    private static String summary(List<JsonNode> recent) {
        return recent.stream().map(f -> {
            String text = f.toString();
            return text.length() <= 300 ? text : text.substring(0, 300) + "…";
        }).toList().toString();
    }

    public JsonNode await(String type, Duration timeout) {
        return await(frame -> type.equals(frame.path("type").asText()), timeout);
    }

    /** The first event frame of the given event type about entity {@code id}. */
    public JsonNode awaitEvent(String eventType, Object id, Duration timeout) {
        return await(frame -> "event".equals(frame.path("type").asText()) && eventType.equals(frame.path("event").asText())
                && id.toString().equals(frame.path("id").asText()), timeout);
    }

    public List<JsonNode> frames() {
        synchronized (frames) {
            return List.copyOf(frames);
        }
    }

    /** The frames received after the first {@code from}, in order (for clients that process frames incrementally). */
    public List<JsonNode> framesFrom(int from) {
        synchronized (frames) {
            return from >= frames.size() ? List.of() : List.copyOf(frames.subList(from, frames.size()));
        }
    }

    public List<JsonNode> frames(String type) {
        return frames().stream().filter(f -> type.equals(f.path("type").asText())).toList();
    }

    /** Authenticates with an auth frame and waits for the answer. */
    public JsonNode authenticate(String token) {
        send(Map.of("type", "auth", "token", token));
        return await("authenticated", Duration.ofSeconds(10));
    }

    /** Subscribes and waits for the acknowledgement. */
    public JsonNode subscribe(String id, String topic, Map<String, ?> filter, String since) {
        Map<String, Object> frame = new java.util.HashMap<>(Map.of("type", "subscribe", "id", id, "topic", topic));
        if (filter != null) {
            frame.put("filter", filter);
        }
        if (since != null) {
            frame.put("since", since);
        }
        send(frame);
        return await(f -> ("subscribed".equals(f.path("type").asText()) || "error".equals(f.path("type").asText())
                || "reset".equals(f.path("type").asText())) && (id.equals(f.path("id").asText()) || id.equals(f.path("ref").asText())),
                Duration.ofSeconds(10));
    }

    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
        socket.request(1);
    }

    public Closed awaitClose(Duration timeout) {
        return closed.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** When the server's close arrived (0 while open). */
    public long closedAtMillis() {
        return closedAtMillis;
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        socket.abort();
    }
}
