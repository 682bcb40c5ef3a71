package io.switchboard.gateway.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;

/**
 * The fields of a conversation that decide who sees it and which views it belongs to, read from a
 * conversation event's payload (after the change) or rebuilt with its {@code previous} values (before).
 */
public record ConversationState(UUID id, UUID inboxId, UUID teamId, UUID assigneeId, UUID contactId, String status,
        boolean archived, String priority) {

    static ConversationState after(JsonNode conversation) {
        return new ConversationState(uuid(conversation, "id"), uuid(conversation, "inboxId"), uuid(conversation, "teamId"),
                uuid(conversation, "assigneeId"), uuid(conversation, "contactId"), text(conversation, "status"),
                conversation.path("archived").asBoolean(false), text(conversation, "priority"));
    }

    /** The state before the change: the new state with each changed field set back to its previous value. */
    ConversationState before(JsonNode previous) {
        if (previous == null || previous.isEmpty()) {
            return this;
        }
        return new ConversationState(id,
                previous.has("inboxId") ? uuid(previous, "inboxId") : inboxId,
                previous.has("teamId") ? uuid(previous, "teamId") : teamId,
                previous.has("assigneeId") ? uuid(previous, "assigneeId") : assigneeId,
                previous.has("contactId") ? uuid(previous, "contactId") : contactId,
                previous.has("status") ? text(previous, "status") : status,
                previous.has("archived") ? previous.path("archived").asBoolean(false) : archived,
                previous.has("priority") ? text(previous, "priority") : priority);
    }

    /** In the waiting queue: open, unassigned, not archived. */
    public boolean queued() {
        return "open".equals(status) && assigneeId == null && !archived;
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
