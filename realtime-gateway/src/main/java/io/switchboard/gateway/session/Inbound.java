package io.switchboard.gateway.session;

import static io.switchboard.gateway.client.CallFailures.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.switchboard.eventlog.EventCursor;
import io.switchboard.eventlog.InvalidCursorException;
import io.switchboard.gateway.auth.IdentityLoader;
import io.switchboard.gateway.auth.Principal;
import io.switchboard.gateway.auth.TokenVerifier;
import io.switchboard.gateway.client.ConversationsApi;
import io.switchboard.gateway.config.GatewayConfig;
import io.switchboard.gateway.events.ConversationState;
import io.switchboard.gateway.events.LogFollower;
import io.switchboard.gateway.events.Router;
import io.switchboard.gateway.metrics.MetricsRelay;
import io.switchboard.gateway.observability.GatewayMetrics;
import io.switchboard.gateway.presence.PresenceService;
import io.switchboard.gateway.protocol.CloseCodes;
import io.switchboard.gateway.protocol.ErrorCode;
import io.switchboard.gateway.protocol.Frames;
import io.switchboard.gateway.signals.TypingRelay;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * The client-to-server half of the protocol (asyncapi.yaml): auth, subscribe, unsubscribe, typing, ping.
 * Runs on the connection's event loop and never blocks it: checks are in memory, calls to the conversations
 * service are asynchronous, and everything that touches subscriptions is handed to the router.
 */
@ApplicationScoped
public class Inbound {

    private static final Logger LOG = Logger.getLogger(Inbound.class);

    public static final String AUTH = "auth";
    public static final String PING = "ping";
    public static final String SUBSCRIBE = "subscribe";
    public static final String UNSUBSCRIBE = "unsubscribe";
    public static final String TYPING = "typing";
    /** Every frame type a client may send (asyncapi.yaml, operation clientFrames). */
    public static final java.util.Set<String> CLIENT_FRAMES = java.util.Set.of(AUTH, PING, SUBSCRIBE, UNSUBSCRIBE, TYPING);
    private static final Pattern SUBSCRIPTION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern REF = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    /** Frames a client may send before its authentication has completed; they are processed after it. */
    private static final int MAX_HELD_FRAMES = 32;

    @Inject
    TokenVerifier tokens;

    @Inject
    IdentityLoader identities;

    @Inject
    @RestClient
    ConversationsApi conversations;

    @Inject
    LogFollower follower;

    @Inject
    PresenceService presence;

    @Inject
    TypingRelay typing;

    @Inject
    MetricsRelay metricsRelay;

    @Inject
    GatewayConfig config;

    @Inject
    GatewayMetrics metrics;

    private final ObjectMapper json = new ObjectMapper();

    /**
     * One text frame. Frames of a connection are handled one at a time (the session is the lock) and in
     * order; while its authentication is in progress they wait and are handled when it completes.
     */
    public void onText(ClientSession session, String text) {
        synchronized (session) {
            session.heard();
            if (utf8Exceeds(text, config.limits().maxInboundFrame())) {
                session.close(CloseCodes.MESSAGE_TOO_BIG, "message_too_big");
                return;
            }
            if (session.authenticating()) {
                if (!session.hold(text, MAX_HELD_FRAMES)) {
                    error(session, ErrorCode.RATE_LIMITED, "too many frames before authentication completed", null);
                }
                return;
            }
            handle(session, text);
        }
    }

    private void handle(ClientSession session, String text) {
        if (!session.admitInbound()) {
            if (!session.isClosed()) {
                session.send(Frames.error(ErrorCode.RATE_LIMITED, "too many frames; slow down", null), Frames.ERROR);
            }
            return;
        }
        JsonNode frame;
        try {
            frame = json.readTree(text);
        } catch (Exception e) {
            error(session, ErrorCode.INVALID_JSON, "the frame is not JSON", null);
            return;
        }
        if (frame == null || !frame.isObject() || !frame.path("type").isTextual()) {
            error(session, ErrorCode.INVALID_FRAME, "a frame is a JSON object with a string \"type\"", null);
            return;
        }
        String ref = textOrNull(frame, "ref");
        if (ref != null && !REF.matcher(ref).matches()) {
            ref = null;
        }
        String type = frame.get("type").asText();
        switch (type) {
            case AUTH -> {
                if (!frame.path("token").isTextual()) {
                    error(session, ErrorCode.INVALID_FRAME, "auth needs a string \"token\"", ref);
                } else {
                    authenticate(session, frame.get("token").asText(), ref);
                }
            }
            case PING -> {
                if (session.isAuthenticated()) {
                    follower.router().pong(session, ref);
                } else {
                    session.send(Frames.pong(ref, follower.position().encode(), java.util.Map.of()), Frames.PONG);
                }
            }
            case SUBSCRIBE -> {
                if (requireAuth(session, ref)) {
                    subscribe(session, frame, ref);
                }
            }
            case UNSUBSCRIBE -> {
                if (requireAuth(session, ref)) {
                    String id = textOrNull(frame, "id");
                    if (id == null) {
                        error(session, ErrorCode.INVALID_FRAME, "unsubscribe needs the subscription \"id\"", ref);
                    } else if (!metricsRelay.unsubscribe(session, id)) {
                        follower.router().unsubscribe(session, id, ref == null ? safeRef(id) : ref);
                    }
                }
            }
            case TYPING -> {
                if (requireAuth(session, ref)) {
                    typing(session, frame, ref);
                }
            }
            default -> error(session, ErrorCode.UNKNOWN_TYPE, "unknown frame type \"" + abbreviate(type) + "\"", ref);
        }
    }

    public void onBinary(ClientSession session) {
        session.heard();
        if (session.admitInbound()) {
            error(session, ErrorCode.BINARY_NOT_SUPPORTED, "send JSON text frames", null);
        }
    }

    /**
     * Verifies a token (handshake or auth frame). A first authentication that fails closes with 4001; a
     * refresh that fails leaves the connection on its current token.
     */
    public void authenticate(ClientSession session, String token, String ref) {
        Principal principal;
        try {
            principal = tokens.verify(token);
        } catch (TokenVerifier.InvalidToken e) {
            metrics.authFailure();
            if (session.isAuthenticated()) {
                error(session, ErrorCode.INVALID_TOKEN, e.getMessage(), ref);
            } else {
                session.close(CloseCodes.UNAUTHENTICATED, "invalid_token");
            }
            return;
        }
        if (session.isAuthenticated()) {
            Principal current = session.principal();
            if (!current.sameIdentity(principal)) {
                error(session, ErrorCode.IDENTITY_MISMATCH, "a refreshed token must name the same identity", ref);
                return;
            }
            current.refresh(principal.token(), principal.expiresAt());
            session.expiryWarned(false);
            session.send(Frames.authenticated(current), Frames.AUTHENTICATED);
            return;
        }
        if (session.authenticating()) {
            error(session, ErrorCode.INVALID_FRAME, "authentication is already in progress", ref);
            return;
        }
        session.authenticating(true);
        identities.load(principal).subscribe().with(loaded -> {
            synchronized (session) {
                session.authenticating(false);
                if (session.isClosed()) {
                    return;
                }
                session.authenticated(loaded);
                follower.router().register(session);
                presence.connected(loaded);
                session.send(Frames.authenticated(loaded), Frames.AUTHENTICATED);
                for (String held = session.nextHeld(); held != null && !session.isClosed(); held = session.nextHeld()) {
                    handle(session, held);
                }
            }
        }, failure -> {
            session.authenticating(false);
            metrics.authFailure();
            if (status(failure) == 401 || status(failure) == 403 || status(failure) == 404) {
                session.close(CloseCodes.UNAUTHENTICATED, "unknown_identity");
            } else {
                LOG.warnf("could not load the identity of a connection: %s", failure.getMessage());
                session.close(1011, "unavailable");
            }
        });
    }

    private void subscribe(ClientSession session, JsonNode frame, String ref) {
        String id = textOrNull(frame, "id");
        if (id == null || !SUBSCRIPTION_ID.matcher(id).matches()) {
            error(session, ErrorCode.INVALID_FRAME, "subscribe needs an \"id\" of 1-64 letters, digits or . _ : -", ref);
            return;
        }
        String errorRef = ref == null ? id : ref;
        String topic = textOrNull(frame, "topic");
        EventCursor since = null;
        if (frame.hasNonNull("since")) {
            try {
                since = EventCursor.parse(frame.get("since").asText());
            } catch (InvalidCursorException e) {
                error(session, ErrorCode.INVALID_CURSOR, "since is not a cursor this service produced", errorRef);
                return;
            }
        }
        Principal principal = session.principal();
        Router router = follower.router();
        if (topic == null) {
            error(session, ErrorCode.INVALID_FRAME, "subscribe needs a \"topic\"", errorRef);
        } else if (topic.startsWith("conversation:")) {
            subscribeConversation(session, id, topic.substring("conversation:".length()), since, errorRef);
        } else if (principal.isCustomer() && (topic.equals("conversations") || topic.equals("queue") || topic.equals("agents")
                || topic.equals("metrics"))) {
            error(session, ErrorCode.FORBIDDEN, "customers subscribe to their own conversation:{id} only", errorRef);
        } else {
            switch (topic) {
                case "conversations" -> {
                    try {
                        router.subscribe(session, new Subscription.ConversationsView(id, ConversationFilter.parse(frame.get("filter"))), since, errorRef);
                    } catch (ConversationFilter.InvalidFilter e) {
                        error(session, ErrorCode.INVALID_FILTER, e.getMessage(), errorRef);
                    }
                }
                case "queue" -> router.subscribe(session, new Subscription.Queue(id), since, errorRef);
                case "agents" -> router.subscribe(session, new Subscription.Agents(id), since, errorRef);
                case "metrics" -> metricsRelay.subscribe(session, id, errorRef);
                default -> error(session, ErrorCode.UNKNOWN_TOPIC,
                        "topics are conversations, conversation:{id}, queue, agents and metrics", errorRef);
            }
        }
    }

    /** The conversations service decides access to one conversation; later events are checked by their scope. */
    private void subscribeConversation(ClientSession session, String id, String conversation, EventCursor since, String ref) {
        UUID conversationId;
        try {
            conversationId = UUID.fromString(conversation);
        } catch (IllegalArgumentException e) {
            error(session, ErrorCode.NOT_FOUND, "no such conversation", ref);
            return;
        }
        Principal principal = session.principal();
        Router router = follower.router();
        PendingSubscribe pending = new PendingSubscribe(id);
        router.subscribePending(session, pending);
        conversations.conversation("Bearer " + principal.token(), conversationId).subscribe().with(found -> {
            if (principal.isCustomer()) {
                router.submit(() -> principal.contactId(found.contactId()));
            }
            ConversationState state = ConversationState.found(principal.accountId(), conversationId, found.inboxId(), found.teamId(),
                    found.assigneeId(), found.contactId(), found.version());
            router.subscribe(session, new Subscription.ConversationTopic(id, conversationId, state), since, ref, pending);
        }, failure -> {
            int status = status(failure);
            String refusal;
            if (status == 404 || status == 403) {
                refusal = Frames.error(ErrorCode.NOT_FOUND, "no such conversation", ref);
            } else if (status == 401) {
                refusal = Frames.error(ErrorCode.INVALID_TOKEN, "the conversations service refused the token", ref);
            } else {
                LOG.warnf("conversation %s could not be checked: %s", conversationId, failure.getMessage());
                refusal = Frames.error(ErrorCode.UNAVAILABLE, "the conversations service did not answer; try again", ref);
            }
            router.subscribeRefused(session, pending, refusal);
        });
    }

    private void typing(ClientSession session, JsonNode frame, String ref) {
        String conversation = textOrNull(frame, "conversationId");
        JsonNode typingFlag = frame.get("typing");
        UUID conversationId = null;
        try {
            conversationId = conversation == null ? null : UUID.fromString(conversation);
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        if (conversationId == null || typingFlag == null || !typingFlag.isBoolean()) {
            error(session, ErrorCode.INVALID_FRAME, "typing needs \"conversationId\" (UUID) and \"typing\" (boolean)", ref);
            return;
        }
        boolean stop = !typingFlag.asBoolean();
        if (stop || session.admitTyping(conversationId, config.typing().minInterval().toMillis())) {
            typing.typing(session, conversationId, typingFlag.asBoolean(), frame.path("privateNote").asBoolean(false));
        }
    }

    private static boolean requireAuth(ClientSession session, String ref) {
        if (session.isAuthenticated()) {
            return true;
        }
        session.send(Frames.error(ErrorCode.NOT_AUTHENTICATED, "send an auth frame first", ref), Frames.ERROR);
        return false;
    }

    private static void error(ClientSession session, ErrorCode code, String message, String ref) {
        session.send(Frames.error(code, message, ref), Frames.ERROR);
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static String safeRef(String id) {
        return REF.matcher(id).matches() ? id : null;
    }

    /** Whether the frame's UTF-8 encoding is longer than {@code limit} bytes (the limit is in bytes, not characters). */
    static boolean utf8Exceeds(String text, int limit) {
        if (text.length() > limit) {
            return true;
        }
        if ((long) text.length() * 3 <= limit) {
            return false;
        }
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4; // one code point outside the BMP: a surrogate pair
                i++;
            } else {
                bytes += 3;
            }
            if (bytes > limit) {
                return true;
            }
        }
        return false;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text.replaceAll("[^\\x20-\\x7e]", "?") : text.substring(0, 40).replaceAll("[^\\x20-\\x7e]", "?") + "…";
    }
}
