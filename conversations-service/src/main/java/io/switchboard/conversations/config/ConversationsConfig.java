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
}
