package io.switchboard.metrics.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the metrics service; the README's configuration table lists them with their defaults. */
@ConfigMapping(prefix = "metrics")
public interface MetricsConfig {

    Fold fold();

    Queue queue();

    Push push();

    interface Fold {

        /** How often the leader folds new events into the rollups. */
        @WithDefault("10s")
        Duration interval();

        /** Events read and folded per transaction. */
        @WithDefault("10000")
        int batchSize();

        /** A tick keeps folding batches while more are waiting, up to this long (a backfill spans many ticks). */
        @WithDefault("5s")
        Duration maxTickDuration();

        /** Advisory-lock key that elects the one replica that folds. */
        @WithDefault("7264031")
        long leaderLockKey();

        /** New events held back this long by an open event-writer transaction log a warning naming its backend. */
        @WithDefault("1s")
        Duration heldBackWarning();
    }

    interface Queue {

        /** How often queue figures (depth, waits) are recomputed and pushed. */
        @WithDefault("5s")
        Duration interval();
    }

    interface Push {

        /** NOTIFY channel announcing the accounts whose figures changed (the gateway listens). */
        @WithDefault("metrics_changed")
        String channel();
    }
}
