package io.switchboard.gateway.session;

/** A token bucket for a connection's inbound frames; used from that connection's inbound thread only. */
final class RateLimiter {

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last;
    private int rejectedInARow;

    RateLimiter(int perSecond, int burst) {
        this.perNano = perSecond / 1e9;
        this.capacity = burst;
        this.tokens = burst;
        this.last = System.nanoTime();
    }

    /** True if the frame may be processed. */
    boolean tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - last) * perNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            rejectedInARow = 0;
            return true;
        }
        rejectedInARow++;
        return false;
    }

    int rejectedInARow() {
        return rejectedInARow;
    }
}
