package io.switchboard.gateway.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;

/**
 * One dashboard connection that behaves like the client library (docs/client.md) across a gateway restart:
 * subscribed to its account's {@code conversations}, it keeps the cursor of the last frame it got; when closed
 * it reconnects after a full-jitter backoff (random(0, min(30 s, 0.5 s × 2^attempt)), or the {@code reconnect}
 * frame's advice) to whatever address the gateway has now, and resubscribes with {@code since} = that cursor.
 * It checks what it receives against the versions of each conversation: every version once, in order.
 */
final class ResumingClient {

    private static final long BACKOFF_BASE_MILLIS = 500;
    private static final long BACKOFF_CAP_MILLIS = 30_000;

    private final Vertx vertx;
    private final WebSocketClient client;
    private final IntSupplier gatewayPort;
    private final String token;
    final int account;
    private final Map<String, Long> versions = new HashMap<>();
    private String cursor;
    private int attempt;
    private Long retryAfterMillis;
    private boolean open;
    private long lost;
    private long duplicates;
    private long resets;
    private long reconnects;
    private volatile long closedAt;
    private volatile long resubscribedAt;
    private volatile long resubscribeSentAt;
    private volatile long caughtUpAt;
    private Map<String, Long> catchUpTarget;

    ResumingClient(Vertx vertx, WebSocketClient client, IntSupplier gatewayPort, String token, int account, Map<String, Long> startVersions) {
        this.vertx = vertx;
        this.client = client;
        this.gatewayPort = gatewayPort;
        this.token = token;
        this.account = account;
        this.versions.putAll(startVersions);
    }

    /** Opens the connection; {@code onSubscribed} runs once its subscription is acknowledged. */
    void connect(Runnable onSubscribed) {
        ClientWebSocket socket = client.webSocket();
        socket.textMessageHandler(text -> onFrame(socket, text, onSubscribed));
        socket.closeHandler(closed -> onClosed());
        socket.connect(new WebSocketConnectOptions().setPort(gatewayPort.getAsInt()).setHost("localhost").setURI("/ws")
                .addHeader("Authorization", "Bearer " + token))
                .onFailure(failure -> onClosed());
    }

    private void onFrame(ClientWebSocket socket, String text, Runnable onSubscribed) {
        if (text.startsWith("{\"type\":\"event\"")) {
            onEvent(text);
        } else if (text.startsWith("{\"type\":\"authenticated\"")) {
            synchronized (this) {
                open = true;
                String since = cursor == null ? "" : ",\"since\":\"" + cursor + "\"";
                if (cursor != null) {
                    resubscribeSentAt = System.nanoTime();
                }
                socket.writeTextMessage("{\"type\":\"subscribe\",\"id\":\"all\",\"topic\":\"conversations\"" + since + "}");
            }
        } else if (text.startsWith("{\"type\":\"subscribed\"")) {
            synchronized (this) {
                attempt = 0;
                if (cursor == null) {
                    cursor = field(text, "\"cursor\":\"");
                } else {
                    resubscribedAt = System.nanoTime();
                }
            }
            if (onSubscribed != null) {
                onSubscribed.run();
            }
        } else if (text.startsWith("{\"type\":\"reconnect\"")) {
            synchronized (this) {
                retryAfterMillis = Long.parseLong(number(text, "\"retryAfterMs\":"));
            }
        } else if (text.startsWith("{\"type\":\"reset\"")) {
            synchronized (this) {
                resets++;
            }
        }
    }

    /** Frames put cursor, event, entity, id and version first, so they are read without parsing the rest. */
    private synchronized void onEvent(String text) {
        cursor = field(text, "\"cursor\":\"");
        String id = field(text, "\"entity\":\"conversation\",\"id\":\"");
        long version = Long.parseLong(number(text, "\"version\":"));
        Long last = versions.get(id);
        if (last != null) {
            if (version <= last) {
                duplicates++;
                return;
            }
            lost += version - last - 1;
        }
        versions.put(id, version);
        if (caughtUpAt == 0 && catchUpTarget != null && reached(catchUpTarget)) {
            caughtUpAt = System.nanoTime();
        }
    }

    private void onClosed() {
        long delay;
        synchronized (this) {
            if (open) {
                open = false;
                closedAt = System.nanoTime();
            }
            reconnects++;
            long bound = Math.min(BACKOFF_CAP_MILLIS, BACKOFF_BASE_MILLIS << Math.min(attempt, 16));
            delay = retryAfterMillis != null ? retryAfterMillis : ThreadLocalRandom.current().nextLong(bound + 1);
            retryAfterMillis = null;
            attempt++;
        }
        vertx.setTimer(Math.max(1, delay), timer -> connect(null));
    }

    /** From now on, caught up means having every version up to these (conversation id → version). */
    synchronized void catchUpTo(Map<String, Long> target) {
        catchUpTarget = target;
        if (caughtUpAt == 0 && reached(target)) {
            caughtUpAt = System.nanoTime();
        }
    }

    private boolean reached(Map<String, Long> target) {
        for (Map.Entry<String, Long> wanted : target.entrySet()) {
            if (versions.getOrDefault(wanted.getKey(), 0L) < wanted.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Versions still missing against the final versions: lost too, unless they are merely late. */
    synchronized long missingAgainst(Map<String, Long> finalVersions) {
        long missing = 0;
        for (Map.Entry<String, Long> wanted : finalVersions.entrySet()) {
            missing += Math.max(0, wanted.getValue() - versions.getOrDefault(wanted.getKey(), 0L));
        }
        return missing;
    }

    synchronized long lost() {
        return lost;
    }

    synchronized long duplicates() {
        return duplicates;
    }

    synchronized long resets() {
        return resets;
    }

    synchronized long reconnects() {
        return reconnects;
    }

    synchronized boolean isOpen() {
        return open;
    }

    long closedAt() {
        return closedAt;
    }

    /** When the resubscribe went out (right after the gateway authenticated the reconnected client). */
    long resubscribeSentAt() {
        return resubscribeSentAt;
    }

    long resubscribedAt() {
        return resubscribedAt;
    }

    long caughtUpAt() {
        return caughtUpAt;
    }

    /** Starts a new round: forget the previous restart's timestamps. */
    synchronized void newRound() {
        closedAt = 0;
        resubscribedAt = 0;
        resubscribeSentAt = 0;
        caughtUpAt = 0;
        catchUpTarget = null;
    }

    private static String field(String text, String key) {
        int start = text.indexOf(key) + key.length();
        return text.substring(start, text.indexOf('"', start));
    }

    private static String number(String text, String key) {
        int start = text.indexOf(key) + key.length();
        int end = start;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        return text.substring(start, end);
    }
}
