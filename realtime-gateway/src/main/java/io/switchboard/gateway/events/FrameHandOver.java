package io.switchboard.gateway.events;

import io.switchboard.gateway.observability.GatewayMetrics;
import io.switchboard.gateway.session.ClientSession;
import io.vertx.core.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The frames one router command decided, handed to the connections' event loops when the command ends:
 * one task per event loop instead of one cross-thread write per frame. Each connection's writes then run
 * on its own event loop (no wake-up per frame, and the write work is spread over the loops instead of
 * queuing behind the single router thread). A connection's frames keep their order: they all take the same
 * way, and an event loop runs its tasks in the order they were handed over.
 */
final class FrameHandOver {

    private static final Logger LOG = Logger.getLogger(FrameHandOver.class);

    private record Frame(ClientSession session, String text, String type, String cursor, Instant recordedAt) {

        void send() {
            session.send(text, type, cursor, recordedAt);
        }
    }

    private final Map<Context, List<Frame>> byEventLoop = new HashMap<>();
    private final GatewayMetrics metrics;

    /** {@code metrics} counts the frames on their way to the event loops in the outbound backlog too. */
    FrameHandOver(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    void add(ClientSession session, String text, String type, String cursor, Instant recordedAt) {
        Context eventLoop = session.writeContext();
        if (eventLoop == null) {
            // a transport without an event loop of its own (SSE) writes from here, still in order
            session.send(text, type, cursor, recordedAt);
            return;
        }
        metrics.outboundBacklog(ClientSession.heapOf(text));
        byEventLoop.computeIfAbsent(eventLoop, loop -> new ArrayList<>()).add(new Frame(session, text, type, cursor, recordedAt));
    }

    /** Hands over everything added since the last call; an event loop that refuses its share costs only that share. */
    void handOver() {
        if (byEventLoop.isEmpty()) {
            return;
        }
        for (Map.Entry<Context, List<Frame>> batch : byEventLoop.entrySet()) {
            List<Frame> frames = batch.getValue();
            try {
                batch.getKey().runOnContext(ignored -> {
                    for (Frame frame : frames) {
                        // from here the connection's own queue counts it, until it is written
                        frame.send();
                        metrics.outboundBacklog(-ClientSession.heapOf(frame.text()));
                    }
                });
            } catch (RuntimeException e) {
                // a loop that is shutting down: its connections are closing and will resume from their cursors
                LOG.warnf("an event loop refused %d frames: %s", frames.size(), e.toString());
                frames.forEach(frame -> metrics.outboundBacklog(-ClientSession.heapOf(frame.text())));
            }
        }
        byEventLoop.clear();
    }
}
