package io.switchboard.gateway.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;

/**
 * The fields of a conversation that decide who sees it and which views it belongs to, read from a
 * conversation event's payload (after the change) or rebuilt with its {@code previous} values (before).
 * The account is the event's: a state never stands apart from the tenant it belongs to.
 */
public record ConversationState(UUID accountId, UUID id, UUID inboxId, UUID teamId, UUID assigneeId, UUID contactId, String status,
        boolean archived, String priority, long version) {

    static ConversationState after(UUID accountId, JsonNode conversation, long version) {
        return new ConversationState(accountId, uuid(conversation, "id"), uuid(conversation, "inboxId"), uuid(conversation, "teamId"),
                uuid(conversation, "assigneeId"), uuid(conversation, "contactId"), text(conversation, "status"),
                conversation.path("archived").asBoolean(false), text(conversation, "priority"), version);
    }

    /** What the conversations service answered when a subscriber asked for it (the same account as the subscriber). */
    public static ConversationState found(UUID accountId, UUID id, UUID inboxId, UUID teamId, UUID assigneeId, UUID contactId, long version) {
        return new ConversationState(accountId, id, inboxId, teamId, assigneeId, contactId, null, false, null, version);
    }

    /** The state before the change: the new state with each changed field set back to its previous value. */
    ConversationState before(JsonNode previous) {
        if (previous == null || previous.isEmpty()) {
            return new ConversationState(accountId, id, inboxId, teamId, assigneeId, contactId, status, archived, priority, version - 1);
        }
        return new ConversationState(accountId, id,
                previous.has("inboxId") ? uuid(previous, "inboxId") : inboxId,
                previous.has("teamId") ? uuid(previous, "teamId") : teamId,
                previous.has("assigneeId") ? uuid(previous, "assigneeId") : assigneeId,
                previous.has("contactId") ? uuid(previous, "contactId") : contactId,
                previous.has("status") ? text(previous, "status") : status,
                previous.has("archived") ? previous.path("archived").asBoolean(false) : archived,
                previous.has("priority") ? text(previous, "priority") : priority,
                version - 1);
    }

    /** In the waiting queue: open, unassigned, not archived. */
    public boolean queued() {
        return "open".equals(status) && assigneeId == null && !archived;
    }

    /** The newer of two states of the same conversation (either may be null). */
    public static ConversationState newer(ConversationState a, ConversationState b) {
        if (a == null) {
            return b;
        }
        return b == null || a.version >= b.version ? a : b;
    }

    private static UUID uuid(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : UUID.fromString(value.asText());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
