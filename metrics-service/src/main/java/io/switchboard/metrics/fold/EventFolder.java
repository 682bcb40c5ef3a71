package io.switchboard.metrics.fold;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.eventlog.EventEnvelope;
import io.switchboard.eventlog.EventTypes;
import io.switchboard.metrics.fold.RollupDeltas.ActiveConversation;
import io.switchboard.metrics.fold.RollupDeltas.AgentState;
import io.switchboard.metrics.fold.RollupDeltas.ConversationKey;
import io.switchboard.metrics.fold.RollupDeltas.CsatKey;
import io.switchboard.metrics.fold.RollupDeltas.MessageKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;

/**
 * Folds events into {@link RollupDeltas}. Every figure is a sum over entities of a contribution that depends
 * only on the entity's current state; an event carries the entity after the change and the previous values
 * of what changed, so folding adds the new state's contribution and subtracts the old one. The rollups then
 * always equal the contributions of the entities as they are now (docs/metrics.md).
 */
public final class EventFolder {

    public static final String CREATED = "created";
    public static final String FIRST_REPLY = "first_reply";
    public static final String RESOLVED = "resolved";
    public static final String INCOMING = "incoming";
    public static final String OUTGOING = "outgoing";

    private EventFolder() {
    }

    public static void fold(EventEnvelope event, RollupDeltas deltas) {
        ObjectNode payload = event.payload();
        UUID account = event.accountId();
        switch (event.type()) {
            case EventTypes.CONVERSATION_CREATED, EventTypes.CONVERSATION_UPDATED, EventTypes.CONVERSATION_STATUS_CHANGED,
                    EventTypes.CONVERSATION_ASSIGNED, EventTypes.CONVERSATION_ARCHIVED, EventTypes.CONVERSATION_UNARCHIVED -> {
                JsonNode after = payload.get("conversation");
                JsonNode before = EventTypes.CONVERSATION_CREATED.equals(event.type()) ? null : before(after, payload);
                if (before != null) {
                    conversation(account, before, -1, deltas);
                }
                conversation(account, after, +1, deltas);
                deltas.activeConversation(active(account, after));
            }
            case EventTypes.MESSAGE_CREATED, EventTypes.MESSAGE_STATUS_CHANGED -> {
                JsonNode after = payload.get("message");
                UUID inbox = event.scope().inboxId();
                if (EventTypes.MESSAGE_STATUS_CHANGED.equals(event.type())) {
                    message(account, inbox, before(after, payload), -1, deltas);
                }
                message(account, inbox, after, +1, deltas);
            }
            case EventTypes.CSAT_SUBMITTED -> {
                UUID inbox = event.scope().inboxId();
                JsonNode previous = payload.get("previous");
                if (previous != null && !previous.isNull()) {
                    rating(account, inbox, previous, -1, deltas);
                }
                rating(account, inbox, payload.get("csat"), +1, deltas);
            }
            case EventTypes.AGENT_CREATED, EventTypes.AGENT_UPDATED, EventTypes.AGENT_STATUS_CHANGED,
                    EventTypes.AGENT_MEMBERSHIPS_CHANGED -> {
                JsonNode agent = payload.get("agent");
                deltas.agent(new AgentState(uuid(agent, "id"), account, text(agent, "name"), text(agent, "role"),
                        text(agent, "status")));
            }
            case EventTypes.ACCOUNT_CREATED, EventTypes.ACCOUNT_UPDATED -> {
                String zone = text(payload.get("account"), "timeZone");
                if (zone != null) {
                    deltas.accountTimeZone(account, zone);
                }
            }
            default -> {
                return; // contacts, inboxes, teams: no figure depends on them
            }
        }
        deltas.touched(account);
    }

    /** The entity before the change: the entity after it, with the previous values of what changed. */
    static JsonNode before(JsonNode after, ObjectNode payload) {
        JsonNode previous = payload.get("previous");
        if (previous == null || !previous.isObject()) {
            return after;
        }
        ObjectNode before = ((ObjectNode) after).deepCopy();
        Iterator<Map.Entry<String, JsonNode>> fields = previous.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            before.set(field.getKey(), field.getValue());
        }
        return before;
    }

    private static void conversation(UUID account, JsonNode c, int sign, RollupDeltas deltas) {
        UUID inbox = uuid(c, "inboxId");
        UUID team = uuid(c, "teamId");
        UUID assignee = uuid(c, "assigneeId");
        Instant created = instant(c, "createdAt");
        deltas.conversation(new ConversationKey(account, Buckets.of(created), CREATED, inbox, team, assignee), sign, 0);
        Instant firstReply = instant(c, "firstReplyAt");
        if (firstReply != null) {
            deltas.conversation(new ConversationKey(account, Buckets.of(firstReply), FIRST_REPLY, inbox, team, assignee),
                    sign, micros(created, firstReply));
        }
        Instant resolved = instant(c, "resolvedAt");
        if (resolved != null) {
            deltas.conversation(new ConversationKey(account, Buckets.of(resolved), RESOLVED, inbox, team, assignee),
                    sign, micros(created, resolved));
        }
    }

    private static ActiveConversation active(UUID account, JsonNode c) {
        String status = text(c, "status");
        boolean active = ("open".equals(status) || "pending".equals(status)) && !c.path("archived").asBoolean();
        return new ActiveConversation(uuid(c, "id"), account, uuid(c, "inboxId"), status, uuid(c, "assigneeId"),
                instant(c, "waitingSince"), instant(c, "createdAt"), active);
    }

    /** Customer messages are incoming, agent messages outgoing; private notes and system messages count nowhere. */
    private static void message(UUID account, UUID inbox, JsonNode m, int sign, RollupDeltas deltas) {
        if (m.path("privateNote").asBoolean()) {
            return;
        }
        String sender = text(m, "senderKind");
        String direction = "customer".equals(sender) ? INCOMING : "agent".equals(sender) ? OUTGOING : null;
        if (direction == null) {
            return;
        }
        UUID agent = OUTGOING.equals(direction) ? uuid(m, "senderId") : null;
        deltas.message(new MessageKey(account, Buckets.of(instant(m, "createdAt")), inbox, agent, text(m, "type"),
                direction, text(m, "status")), sign);
    }

    private static void rating(UUID account, UUID inbox, JsonNode r, int sign, RollupDeltas deltas) {
        deltas.rating(new CsatKey(account, Buckets.of(instant(r, "createdAt")), inbox, uuid(r, "agentId"),
                r.path("rating").asInt()), sign);
    }

    private static long micros(Instant from, Instant to) {
        return ChronoUnit.MICROS.between(from, to);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static UUID uuid(JsonNode node, String field) {
        String value = text(node, field);
        return value == null ? null : UUID.fromString(value);
    }

    private static Instant instant(JsonNode node, String field) {
        String value = text(node, field);
        return value == null ? null : Instant.parse(value);
    }
}
