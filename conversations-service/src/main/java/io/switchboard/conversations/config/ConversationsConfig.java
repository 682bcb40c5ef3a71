package io.switchboard.conversations.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the conversations service; README "Configuration" lists them with their defaults. */
@ConfigMapping(prefix = "conversations")
public interface ConversationsConfig {

    Limits limits();

    EventLog eventLog();

    Snooze snooze();

    MessageWrites messageWrites();

    /**
     * Shifts the service's clock by this amount (0 in production). Tests and demos set it to write history —
     * conversations and messages dated days back — through the real API.
     */
    @WithDefault("PT0S")
    Duration clockOffset();

    interface Limits {

        /** Longest message content, in characters. */
        @WithDefault("10000")
        int maxMessageLength();

        /** Page size when the client names none. */
        @WithDefault("25")
        int defaultPageSize();

        /** Largest page a client may ask for. */
        @WithDefault("100")
        int maxPageSize();
    }

    interface EventLog {

        /** How long events stay in the log; older cursors are answered "expired". */
        @WithDefault("P7D")
        Duration retention();

        /** How often the retention job runs. */
        @WithDefault("10m")
        Duration pruneInterval();

        /** Events deleted per retention transaction. */
        @WithDefault("10000")
        int pruneBatchSize();

        /** NOTIFY channel that wakes log readers after commits. */
        @WithDefault("event_log")
        String channel();
    }

    interface Snooze {

        /** How often snoozed conversations whose time has come are reopened. */
        @WithDefault("15s")
        Duration checkInterval();
    }

    /**
     * Message sends are written by a few writer threads, each committing the sends waiting for it together in
     * one transaction (group commit, service/MessageWrites); every send still gets its own answer.
     */
    interface MessageWrites {

        /**
         * Writer threads, each with its own database connection and one transaction at a time. One writer makes the
         * largest batches and the steadiest latency (docs/benchmarks.md); more overlap commits when the database
         * has cores to spare.
         */
        @WithDefault("1")
        int writers();

        /** Most sends one transaction carries. */
        @WithDefault("64")
        int maxBatch();

        /** Sends waiting for a writer beyond this many are refused (503 service-unavailable). */
        @WithDefault("4096")
        int maxWaiting();

        /**
         * How long a send waits for its conversation while another transaction holds it (a change in progress, a
         * lock taken by hand) before it is refused (503 service-unavailable). Meanwhile it is tried again every
         * few milliseconds; no writer waits for it.
         */
        @WithDefault("10s")
        Duration busyTimeout();
    }
}
