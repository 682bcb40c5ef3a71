package io.switchboard.metrics.fold;

import java.time.Instant;

/** Rollup buckets: quarter hours of UTC, the finest grain at which any time zone's hours begin. */
public final class Buckets {

    public static final long SECONDS = 900;

    private Buckets() {
    }

    public static Instant of(Instant time) {
        long seconds = time.getEpochSecond();
        return Instant.ofEpochSecond(seconds - Math.floorMod(seconds, SECONDS));
    }

    public static boolean isBoundary(Instant time) {
        return time.getNano() == 0 && Math.floorMod(time.getEpochSecond(), SECONDS) == 0;
    }
}
