package io.switchboard.gateway.lifecycle;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.switchboard.gateway.config.GatewayConfig;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP idle timeout is short (gateway.liveness.handshake-timeout): a connection that sends nothing, or
 * stops halfway through a request, is closed within seconds. A WebSocket upgrade or an accepted SSE stream is
 * meant to stay quiet for long, and the gateway's own liveness rules (pings, idle timeout, SSE heartbeat)
 * decide about it; so its connection gets a transport backstop of the gateway's idle timeout plus 30 s instead.
 * (Vert.x has one idle handler per connection, named "idle", set from quarkus.http.idle-timeout.)
 */
@ApplicationScoped
public class LongLivedConnection implements HttpUpgradeCheck {

    private static final String IDLE_HANDLER = "idle";

    @Inject
    GatewayConfig config;

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        release(context.httpRequest().connection());
        return CheckResult.permitUpgrade();
    }

    /** Gives an accepted long-lived connection (WebSocket, SSE) the backstop instead of the handshake timeout. */
    public void release(HttpConnection connection) {
        if (connection instanceof ConnectionBase base) {
            ChannelPipeline pipeline = base.channel().pipeline();
            long backstop = config.liveness().idleTimeout().plus(Duration.ofSeconds(30)).toMillis();
            if (pipeline.get(IDLE_HANDLER) != null) {
                pipeline.replace(IDLE_HANDLER, IDLE_HANDLER, new IdleStateHandler(0, 0, backstop, TimeUnit.MILLISECONDS));
            }
        }
    }
}
