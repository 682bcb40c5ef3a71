package io.switchboard.gateway.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.gateway.auth.Principal;
import io.switchboard.gateway.session.Subscription;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** Every frame the gateway sends, in one place; asyncapi.yaml documents each (AsyncApiContractTest checks it). */
public final class Frames {

    public static final String HELLO = "hello";
    public static final String AUTHENTICATED = "authenticated";
    public static final String SUBSCRIBED = "subscribed";
    public static final String UNSUBSCRIBED = "unsubscribed";
    public static final String EVENT = "event";
    public static final String RESET = "reset";
    public static final String TYPING = "typing";
    public static final String PRESENCE = "presence";
    public static final String TOKEN_EXPIRING = "token_expiring";
    public static final String PONG = "pong";
    public static final String ERROR = "error";
    public static final String RECONNECT = "reconnect";
    /** SSE only: the stream ends with this code (a WebSocket uses its close frame instead). */
    public static final String CLOSE = "close";
    public static final String METRICS = "metrics";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Frames() {
    }

    public static ObjectMapper json() {
        return JSON;
    }

    public static String hello(long authTimeoutMillis) {
        return write(frame(HELLO).put("protocol", "switchboard.v1").put("authTimeoutMs", authTimeoutMillis));
    }

    public static String authenticated(Principal principal) {
        ObjectNode frame = frame(AUTHENTICATED)
                .put("kind", principal.kind().name().toLowerCase(Locale.ROOT))
                .put("accountId", principal.accountId().toString())
                .put("expiresAt", principal.expiresAt().toString());
        if (principal.agentId() != null) {
            frame.put("agentId", principal.agentId().toString()).put("role", principal.role());
        }
        return write(frame);
    }

    /** {@code cursor}: the subscription is complete from this position on (resume from it if nothing else arrives). */
    public static String subscribed(String id, String topic, String cursor) {
        return write(frame(SUBSCRIBED).put("id", id).put("topic", topic).put("cursor", cursor));
    }

    /** The latest dashboard figures of the account ({@code data}: the metrics service's dashboard document). */
    public static String metrics(String id, JsonNode dashboard) {
        ObjectNode frame = frame(METRICS).put("id", id);
        frame.set("data", dashboard);
        return write(frame);
    }

    public static String unsubscribed(String id, String reason) {
        return write(frame(UNSUBSCRIBED).put("id", id).put("reason", reason));
    }

    /** The subscription ended; reload the snapshot over REST and subscribe again from its cursor. */
    public static String reset(String id, String reason, String message) {
        return write(frame(RESET).put("id", id).put("reason", reason).put("message", message));
    }

    public static String error(ErrorCode code, String message, String ref) {
        ObjectNode frame = frame(ERROR).put("code", code.wire()).put("message", message);
        if (ref != null) {
            frame.put("ref", ref);
        }
        return write(frame);
    }

    /**
     * {@code cursors}: per acknowledged subscription, the cursor it is complete up to (resume it from there);
     * {@code cursor}: the lowest of them (every acknowledged subscription is complete up to it).
     */
    public static String pong(String ref, String cursor, Map<String, String> cursors) {
        ObjectNode frame = frame(PONG).put("cursor", cursor);
        ObjectNode perSubscription = frame.putObject("cursors");
        cursors.forEach(perSubscription::put);
        if (ref != null) {
            frame.put("ref", ref);
        }
        return write(frame);
    }

    public static String tokenExpiring(Instant expiresAt) {
        return write(frame(TOKEN_EXPIRING).put("expiresAt", expiresAt.toString())
                .put("secondsLeft", Math.max(0, expiresAt.getEpochSecond() - Instant.now().getEpochSecond())));
    }

    public static String reconnect(long retryAfterMillis, String reason) {
        return write(frame(RECONNECT).put("retryAfterMs", retryAfterMillis).put("reason", reason));
    }

    public static String close(int code, String reason) {
        return write(frame(CLOSE).put("code", code).put("reason", reason));
    }

    public static String typing(String conversationId, JsonNode sender, boolean typing, boolean privateNote, long expiresInMillis) {
        ObjectNode frame = frame(TYPING).put("conversationId", conversationId);
        frame.set("sender", sender);
        return write(frame.put("typing", typing).put("privateNote", privateNote).put("expiresInMs", expiresInMillis));
    }

    /** {@code seq} orders an agent's presence changes: apply the highest. */
    public static String presence(String agentId, boolean online, long seq, Instant at) {
        return write(frame(PRESENCE).put("agentId", agentId).put("online", online).put("seq", seq).put("at", at.toString()));
    }

    /** An event frame: the subscriptions it concerns with their operation, and the shared event body. */
    public static String event(Map<String, Subscription.Op> subs, String body) {
        StringBuilder frame = new StringBuilder(body.length() + 32 + subs.size() * 24);
        frame.append("{\"type\":\"event\",\"subs\":{");
        boolean first = true;
        for (Map.Entry<String, Subscription.Op> sub : subs.entrySet()) {
            if (!first) {
                frame.append(',');
            }
            first = false;
            // subscription ids are restricted to [A-Za-z0-9._:-], so they need no escaping
            frame.append('"').append(sub.getKey()).append("\":\"").append(sub.getValue().name().toLowerCase(Locale.ROOT)).append('"');
        }
        return frame.append("},").append(body).append('}').toString();
    }

    private static ObjectNode frame(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    private static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
