package io.switchboard.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.gateway.observability.GatewayMetrics;
import io.switchboard.gateway.session.ClientSession;
import io.switchboard.gateway.session.Outbound;
import io.vertx.core.Context;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** A transport for tests that records every write (frame, type, cursor, thread); writes never complete (still queued). */
final class RecordingOutbound implements Outbound {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Sent(String frame, String type, String cursor, String thread) {
    }

    final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final Context eventLoop;
    private final String transport;

    RecordingOutbound(Context eventLoop, String transport) {
        this.eventLoop = eventLoop;
        this.transport = transport;
    }

    ClientSession session(String id) {
        return new ClientSession(id, this, new TestLimits(), new GatewayMetrics());
    }

    List<String> texts() {
        return sent.stream().map(Sent::frame).toList();
    }

    List<String> threads() {
        return sent.stream().map(Sent::thread).toList();
    }

    List<String> awaitTexts(int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() >= count);
        return texts();
    }

    /** The frames of one type, parsed. */
    List<JsonNode> frames(String type) {
        return sent.stream().filter(s -> s.type().equals(type)).map(s -> read(s.frame())).toList();
    }

    /** The first frame of a type, which must have been sent. */
    JsonNode frame(String type) {
        List<JsonNode> frames = frames(type);
        assertThat(frames).as("a %s frame", type).isNotEmpty();
        return frames.get(0);
    }

    private static JsonNode read(String frame) {
        try {
            return JSON.readTree(frame);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public CompletionStage<Void> send(String frame, String type, String cursor) {
        sent.add(new Sent(frame, type, cursor, Thread.currentThread().getName()));
        return new CompletableFuture<>();
    }

    @Override
    public void ping() {
    }

    @Override
    public void close(int code, String reason) {
    }

    @Override
    public Context writeContext() {
        return eventLoop;
    }

    @Override
    public String transport() {
        return transport;
    }
}
