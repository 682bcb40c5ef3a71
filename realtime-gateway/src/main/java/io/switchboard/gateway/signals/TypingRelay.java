package io.switchboard.gateway.signals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.gateway.auth.Principal;
import io.switchboard.gateway.config.GatewayConfig;
import io.switchboard.gateway.events.LogFollower;
import io.switchboard.gateway.protocol.Frames;
import io.switchboard.gateway.session.Access;
import io.switchboard.gateway.session.ClientSession;
import io.switchboard.gateway.session.Subscription;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.UUID;

/**
 * Typing indicators: a connection subscribed to a conversation may say it is typing there; everyone else
 * watching that conversation, on any instance, sees it until it says it stopped or the signal's time to
 * live passes. Typing in a private note is shown to agents only.
 */
@ApplicationScoped
public class TypingRelay {

    @Inject
    SignalBus bus;

    @Inject
    LogFollower follower;

    @Inject
    GatewayConfig config;

    void start(@Observes StartupEvent startup) {
        bus.onSignal(this::deliver);
    }

    /** From a connection's typing frame (already rate-limited); relays only if it watches the conversation. */
    public void typing(ClientSession session, UUID conversationId, boolean typing, boolean privateNote) {
        follower.router().submit(() -> {
            if (!watches(session, conversationId)) {
                return;
            }
            Principal principal = session.principal();
            ObjectNode signal = bus.newSignal("typing")
                    .put("account", principal.accountId().toString())
                    .put("conversation", conversationId.toString())
                    .put("typing", typing)
                    .put("private", privateNote && principal.isAgent());
            ObjectNode sender = signal.putObject("sender").put("kind", principal.isAgent() ? "agent" : "customer");
            UUID senderId = principal.isAgent() ? principal.agentId() : principal.contactId();
            sender.put("id", senderId == null ? null : senderId.toString());
            bus.publish(signal);
        });
    }

    private void deliver(JsonNode signal) {
        if (!"typing".equals(signal.path("t").asText())) {
            return;
        }
        UUID accountId = UUID.fromString(signal.path("account").asText());
        UUID conversationId = UUID.fromString(signal.path("conversation").asText());
        boolean privateNote = signal.path("private").asBoolean();
        JsonNode sender = signal.get("sender");
        String frame = Frames.typing(conversationId.toString(), sender, signal.path("typing").asBoolean(), privateNote,
                config.typing().ttl().toMillis());
        follower.router().signal(accountId, frame, Frames.TYPING, session ->
                watches(session, conversationId) && !(privateNote && session.principal().isCustomer()) && !isSender(session, sender));
    }

    /** Follows the conversation live, and may still see it (the subscription's latest state of it, checked by Access). */
    private static boolean watches(ClientSession session, UUID conversationId) {
        for (Subscription subscription : session.subscriptions().values()) {
            if (subscription instanceof Subscription.ConversationTopic topic && topic.isLive() && topic.conversationId().equals(conversationId)
                    && Access.sees(session.principal(), topic.state())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSender(ClientSession session, JsonNode sender) {
        Principal principal = session.principal();
        UUID id = principal.isAgent() ? principal.agentId() : principal.contactId();
        String kind = principal.isAgent() ? "agent" : "customer";
        return id != null && kind.equals(sender.path("kind").asText()) && id.toString().equals(sender.path("id").asText());
    }
}
