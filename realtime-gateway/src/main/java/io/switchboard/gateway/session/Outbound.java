package io.switchboard.gateway.session;

import io.vertx.core.Context;
import java.util.concurrent.CompletionStage;

/** A transport to one client: a WebSocket or an SSE stream. */
public interface Outbound {

    /**
     * Writes one frame. {@code type} is the frame's type (the SSE event name); {@code cursor} is set for
     * event frames (the SSE event id, for Last-Event-ID resume). Completes when written to the network.
     */
    CompletionStage<Void> send(String frame, String type, String cursor);

    /** A transport-level liveness probe (a WebSocket ping frame); nothing for the client to handle. */
    void ping();

    /** Closes the transport with a code and a short reason (SSE ends the stream). */
    void close(int code, String reason);

    /**
     * The event loop this transport writes on, where {@link #send} costs no thread hop; null when there is
     * none to prefer (the router then writes from its own thread).
     */
    Context writeContext();

    /** "websocket" or "sse", for metrics. */
    String transport();
}
