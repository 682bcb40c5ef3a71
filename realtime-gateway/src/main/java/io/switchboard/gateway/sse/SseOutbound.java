package io.switchboard.gateway.sse;

import io.switchboard.gateway.protocol.Frames;
import io.switchboard.gateway.session.ClientSession;
import io.switchboard.gateway.session.Outbound;
import io.vertx.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.CompletionStage;

/**
 * Frames as server-sent events: the frame type is the event name, the JSON frame the data, and event,
 * subscribed and pong frames carry as event id the cursor the whole stream is complete up to, so a
 * reconnecting EventSource resumes every subscription with Last-Event-ID.
 */
record SseOutbound(SseEventSink sink, Sse sse) implements Outbound {

    @Override
    public CompletionStage<Void> send(String frame, String type, String cursor) {
        var event = sse.newEventBuilder().name(type).mediaType(MediaType.TEXT_PLAIN_TYPE).data(frame);
        if (cursor != null) {
            event.id(cursor);
        }
        return sink.send(event.build()).thenApply(ignored -> null);
    }

    /** Nothing: an SSE stream's liveness is the sweep's periodic pong frame, which also carries the cursor. */
    @Override
    public void ping() {
    }

    /** SSE has no close code: a final "close" event carries it, then the stream ends. */
    @Override
    public void close(int code, String reason) {
        if (sink.isClosed()) {
            return;
        }
        String frame = Frames.close(code, reason);
        sink.send(sse.newEventBuilder().name(Frames.CLOSE).mediaType(MediaType.TEXT_PLAIN_TYPE).data(frame).build())
                .whenComplete((ignored, failure) -> sink.close());
    }

    /** None: the JAX-RS sink does its own hand-over to the stream's thread. */
    @Override
    public Context writeContext() {
        return null;
    }

    @Override
    public String transport() {
        return ClientSession.SSE;
    }
}
