package io.switchboard.gateway.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.eventlog.EventEnvelope;
import io.switchboard.eventlog.EventTypes;
import io.switchboard.eventlog.LoggedEvent;
import io.switchboard.eventlog.RoutingScope;
import java.util.Map;
import java.util.UUID;

/**
 * A log event prepared once for every connection: what it is about, the conversation state before and
 * after (for view transitions), and the JSON of its frame body, serialized at most once per variant.
 */
public final class RoutedEvent {

    /** How much of the event a frame carries. */
    public enum Detail {
        /** cursor, type, entity, id, version: enough to drop the entity from a view. */
        MINIMAL,
        /** plus the changed fields. */
        CHANGES,
        /** plus the whole entity, for clients that do not have it yet. */
        FULL
    }

    private static final Map<String, String> ENTITY_KEYS = Map.of(
            EventTypes.AGGREGATE_CONVERSATION, "conversation",
            EventTypes.AGGREGATE_MESSAGE, "message",
            EventTypes.AGGREGATE_CSAT, "csat",
            EventTypes.AGGREGATE_AGENT, "agent",
            EventTypes.AGGREGATE_CONTACT, "contact",
            EventTypes.AGGREGATE_INBOX, "inbox",
            EventTypes.AGGREGATE_TEAM, "team",
            EventTypes.AGGREGATE_ACCOUNT, "account");

    private final LoggedEvent logged;
    private final String cursor;
    private final UUID conversationId;
    private final ConversationState after;
    private final ConversationState before;
    private final String[] bodies = new String[Detail.values().length];

    public RoutedEvent(LoggedEvent logged) {
        this.logged = logged;
        this.cursor = logged.cursor().encode();
        EventEnvelope envelope = logged.envelope();
        ObjectNode payload = envelope.payload();
        switch (envelope.aggregateType()) {
            case EventTypes.AGGREGATE_CONVERSATION -> {
                this.conversationId = envelope.aggregateId();
                this.after = payload.has("conversation")
                        ? ConversationState.after(envelope.accountId(), payload.get("conversation"), envelope.aggregateVersion()) : null;
                this.before = after == null || envelope.type().equals(EventTypes.CONVERSATION_CREATED)
                        ? null : after.before(payload.get("previous"));
            }
            case EventTypes.AGGREGATE_MESSAGE -> {
                this.conversationId = uuidAt(payload, "/message/conversationId");
                this.after = null;
                this.before = null;
            }
            case EventTypes.AGGREGATE_CSAT -> {
                this.conversationId = uuidAt(payload, "/csat/conversationId");
                this.after = null;
                this.before = null;
            }
            default -> {
                this.conversationId = null;
                this.after = null;
                this.before = null;
            }
        }
    }

    public LoggedEvent logged() {
        return logged;
    }

    public EventEnvelope envelope() {
        return logged.envelope();
    }

    /** The tenant the event belongs to; no one outside it may receive anything of it. */
    public UUID accountId() {
        return logged.envelope().accountId();
    }

    public RoutingScope scope() {
        return logged.envelope().scope();
    }

    public String type() {
        return logged.envelope().type();
    }

    public String aggregateType() {
        return logged.envelope().aggregateType();
    }

    public String cursor() {
        return cursor;
    }

    /** The conversation this event concerns (conversation, message and CSAT events), else null. */
    public UUID conversationId() {
        return conversationId;
    }

    /** For conversation events: the conversation after the change. */
    public ConversationState after() {
        return after;
    }

    /** For conversation events other than creation: the conversation before the change. */
    public ConversationState before() {
        return before;
    }

    public boolean isConversationEvent() {
        return after != null;
    }

    /** An agent event that changed the agent's inboxes or teams (its scope). */
    public boolean changesMembershipsOf(UUID agentId) {
        return agentId != null && EventTypes.AGGREGATE_AGENT.equals(aggregateType()) && agentId.equals(envelope().aggregateId())
                && (envelope().payload().path("changes").has("inboxIds") || envelope().payload().path("changes").has("teamIds"));
    }

    /**
     * The frame body (JSON members without the surrounding braces), built on first use and shared by
     * every connection that receives this variant.
     */
    public String body(Detail detail, ObjectMapper json) {
        String body = bodies[detail.ordinal()];
        if (body == null) {
            body = serialize(detail, json);
            bodies[detail.ordinal()] = body;
        }
        return body;
    }

    private String serialize(Detail detail, ObjectMapper json) {
        EventEnvelope envelope = logged.envelope();
        ObjectNode frame = json.createObjectNode();
        frame.put("cursor", cursor);
        frame.put("event", envelope.type());
        frame.put("entity", envelope.aggregateType());
        frame.put("id", envelope.aggregateId().toString());
        frame.put("version", envelope.aggregateVersion());
        frame.put("occurredAt", envelope.occurredAt().toString());
        if (conversationId != null && !EventTypes.AGGREGATE_CONVERSATION.equals(envelope.aggregateType())) {
            frame.put("conversationId", conversationId.toString());
        }
        ObjectNode payload = envelope.payload();
        if (detail != Detail.MINIMAL && payload.has("changes")) {
            frame.set("changes", payload.get("changes"));
        }
        if (detail == Detail.FULL) {
            String key = ENTITY_KEYS.get(envelope.aggregateType());
            JsonNode entity = key == null ? null : payload.get(key);
            if (entity != null) {
                frame.set("data", entity);
            }
            if (payload.has("previous") && EventTypes.CSAT_SUBMITTED.equals(envelope.type())) {
                frame.set("previous", payload.get("previous"));
            }
        }
        try {
            String text = json.writeValueAsString(frame);
            return text.substring(1, text.length() - 1);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event frame cannot be serialized", e);
        }
    }

    private static UUID uuidAt(ObjectNode payload, String pointer) {
        JsonNode value = payload.at(pointer);
        return value.isMissingNode() || value.isNull() ? null : UUID.fromString(value.asText());
    }
}
