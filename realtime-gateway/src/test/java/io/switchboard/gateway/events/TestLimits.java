package io.switchboard.gateway.events;

import io.switchboard.gateway.config.GatewayConfig;

/** Connection limits for tests that build sessions by hand: the defaults, with queues that never fill. */
final class TestLimits implements GatewayConfig.Limits {

    @Override
    public int maxQueuedFrames() {
        return 10_000;
    }

    @Override
    public long maxQueuedBytes() {
        return 10_000_000;
    }

    @Override
    public int framesPerSecond() {
        return 20;
    }

    @Override
    public int frameBurst() {
        return 40;
    }

    @Override
    public int floodCloseAfter() {
        return 100;
    }

    @Override
    public int maxInboundFrame() {
        return 65_536;
    }

    @Override
    public int maxSubscriptions() {
        return 50;
    }

    @Override
    public long replayBacklog() {
        return 64L << 20;
    }
}
