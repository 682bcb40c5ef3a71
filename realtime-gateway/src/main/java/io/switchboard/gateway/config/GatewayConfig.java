package io.switchboard.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the realtime gateway; the README's configuration table lists them with their defaults. */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    Auth auth();

    Liveness liveness();

    Limits limits();

    Log log();

    Typing typing();

    Presence presence();

    Shutdown shutdown();

    Metrics metrics();

    Console console();

    /** The gateway's bearer token (role "service") for keeping agents' status in line with presence. */
    Optional<String> serviceToken();

    /** A file holding that token, re-read on each use so it can be rotated; wins over service-token. */
    Optional<String> serviceTokenFile();

    interface Auth {

        /** A connection that has not authenticated within this time is closed with 4001. */
        @WithDefault("5s")
        Duration timeout();

        /** How long before expiry a token_expiring frame warns the client. */
        @WithDefault("60s")
        Duration expiryWarning();
    }

    interface Liveness {

        /** A connection that sent nothing (no pong, no frame) for this long is closed. */
        @WithDefault("5m")
        Duration idleTimeout();

        /**
         * How often the server pings a WebSocket client; a client heard from (any frame or pong) within the
         * interval skips its turn. Each connection has its own random phase, so a reconnect wave is not pinged
         * in one burst. Sent by the sweep rather than a timer per connection, which would cost heap per connection.
         */
        @WithDefault("30s")
        Duration pingInterval();

        /** How often an SSE stream gets a pong frame (with the cursor), as it cannot answer pings. */
        @WithDefault("30s")
        Duration sseHeartbeat();

        /** How often connections are checked for idleness, auth deadlines and token expiry. */
        @WithDefault("1s")
        Duration sweepInterval();

        /**
         * An HTTP connection silent this long in either direction is closed (quarkus.http.idle-timeout): idle,
         * half-sent and finished keep-alive requests alike. A WebSocket or SSE stream leaves this rule once
         * accepted; the rules above keep it alive or close it, with a transport backstop of idleTimeout + 30 s.
         */
        @WithDefault("5s")
        Duration handshakeTimeout();
    }

    interface Limits {

        /** Frames queued for a connection but not yet written; beyond it the client is closed as slow_consumer. */
        @WithDefault("2000")
        int maxQueuedFrames();

        /** Bytes queued for a connection but not yet written. */
        @WithDefault("2097152")
        long maxQueuedBytes();

        /** Inbound frames a connection may send per second (steady rate). */
        @WithDefault("20")
        int framesPerSecond();

        /** Inbound burst allowance above the steady rate. */
        @WithDefault("40")
        int frameBurst();

        /** Rate-limited frames in a row after which the connection is closed (flood). */
        @WithDefault("100")
        int floodCloseAfter();

        /** Largest inbound frame in characters; a larger one closes the connection with 1009. */
        @WithDefault("65536")
        int maxInboundFrame();

        /** Subscriptions one connection may hold. */
        @WithDefault("50")
        int maxSubscriptions();

        /**
         * Frames queued to all connections together (estimated heap, bytes) above which replays wait: a restart
         * storm's catch-up goes out in waves instead of filling the heap; live delivery never waits.
         */
        @WithDefault("67108864")
        long replayBacklog();
    }

    interface Log {

        /** Recent events kept in memory for resumes; older cursors are read from the database. */
        @WithDefault("20000")
        int windowSize();

        /**
         * Fill the window with the log's newest events before reporting ready, so the resumes of a restart
         * are served from memory; false starts with an empty window (resumes after a restart read the database).
         */
        @WithDefault("true")
        boolean warmStart();

        /** Events per database read (live tailing and replays). */
        @WithDefault("500")
        int batchSize();

        /** Read the log even without a notification this often. */
        @WithDefault("1s")
        Duration safetyPoll();

        /** NOTIFY channel the conversations service wakes readers on. */
        @WithDefault("event_log")
        String channel();

        /** New events held back this long by an open event-writer transaction log a warning naming its backend. */
        @WithDefault("1s")
        Duration heldBackWarning();
    }

    interface Typing {

        /** A typing signal lapses by itself after this long unless repeated. */
        @WithDefault("6s")
        Duration ttl();

        /** Minimum gap between relayed typing frames of one connection for one conversation. */
        @WithDefault("1s")
        Duration minInterval();
    }

    interface Presence {

        /** How often this instance records that it is alive. */
        @WithDefault("5s")
        Duration heartbeat();

        /** An instance silent for this long is dead; its agents' connections no longer count. */
        @WithDefault("20s")
        Duration instanceTtl();
    }

    interface Shutdown {

        /** SIGTERM: every connection is closed (after a reconnect frame) at its own random moment within this window. */
        @WithDefault("10s")
        Duration drainWindow();
    }

    interface Metrics {

        /** NOTIFY channel on which the metrics service names the accounts whose figures changed. */
        @WithDefault("metrics_changed")
        String channel();
    }

    interface Console {

        /**
         * Base URL of the conversations API as browsers reach it. Absent: the console's own origin (behind the
         * ingress, /api goes to the conversations service).
         */
        Optional<String> apiUrl();
    }
}
