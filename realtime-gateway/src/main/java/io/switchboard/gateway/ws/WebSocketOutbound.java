package io.switchboard.gateway.ws;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.switchboard.gateway.session.Outbound;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.CompletionStage;

/**
 * Frames to a WebSocket; Vert.x keeps writes from one thread in order. {@code eventLoop} is the root context
 * of the connection's event loop (shared by every connection on that loop, so it costs no object per connection).
 */
record WebSocketOutbound(WebSocketConnection connection, Context eventLoop) implements Outbound {

    @Override
    public CompletionStage<Void> send(String frame, String type, String cursor) {
        return connection.sendText(frame).subscribeAsCompletionStage();
    }

    @Override
    public void ping() {
        connection.sendPing(Buffer.buffer()).subscribe().with(ignored -> { }, failure -> { });
    }

    @Override
    public void close(int code, String reason) {
        connection.close(new CloseReason(code, reason)).subscribe().with(ignored -> { }, failure -> { });
    }

    @Override
    public Context writeContext() {
        return eventLoop;
    }

    @Override
    public String transport() {
        return "websocket";
    }
}
