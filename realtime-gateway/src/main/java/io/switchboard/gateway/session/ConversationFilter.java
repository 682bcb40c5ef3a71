package io.switchboard.gateway.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.gateway.auth.Principal;
import io.switchboard.gateway.events.ConversationState;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.UUID;

/**
 * The filter of a {@code conversations} subscription, the same as the REST list's: inbox, team, assignee
 * ("me", "unassigned" or an agent id), statuses, archived (default false).
 */
public record ConversationFilter(UUID inboxId, UUID teamId, String assignee, UUID assigneeId, Set<String> statuses, boolean archived) {

    private static final Set<String> STATUSES = Set.of("open", "pending", "snoozed", "resolved");
    private static final Set<String> FIELDS = Set.of("inboxId", "teamId", "assignee", "status", "archived");

    /** Thrown with a message naming the field that is wrong. */
    public static final class InvalidFilter extends Exception {
        public InvalidFilter(String message) {
            super(message, null, false, false);
        }
    }

    public static ConversationFilter parse(JsonNode node) throws InvalidFilter {
        if (node == null || node.isNull()) {
            return new ConversationFilter(null, null, null, null, null, false);
        }
        if (!node.isObject()) {
            throw new InvalidFilter("filter must be an object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new InvalidFilter("filter." + name + " is not a filter field (inboxId, teamId, assignee, status, archived)");
            }
        }
        String assignee = text(node, "assignee");
        UUID assigneeId = null;
        if (assignee != null && !assignee.equals("me") && !assignee.equals("unassigned")) {
            assigneeId = uuid(assignee, "filter.assignee must be \"me\", \"unassigned\" or an agent id");
            assignee = "agent";
        }
        Set<String> statuses = null;
        JsonNode status = node.get("status");
        if (status != null && !status.isNull()) {
            statuses = new HashSet<>();
            for (JsonNode value : status.isArray() ? status : java.util.List.of(status)) {
                if (!value.isTextual() || !STATUSES.contains(value.asText())) {
                    throw new InvalidFilter("filter.status must be one or more of open, pending, snoozed, resolved");
                }
                statuses.add(value.asText());
            }
        }
        JsonNode archived = node.get("archived");
        if (archived != null && !archived.isNull() && !archived.isBoolean()) {
            throw new InvalidFilter("filter.archived must be true or false");
        }
        return new ConversationFilter(uuidField(node, "inboxId"), uuidField(node, "teamId"), assignee, assigneeId,
                statuses == null ? null : Set.copyOf(statuses), archived != null && archived.asBoolean(false));
    }

    public boolean matches(Principal principal, ConversationState conversation) {
        if (inboxId != null && !inboxId.equals(conversation.inboxId())) {
            return false;
        }
        if (teamId != null && !teamId.equals(conversation.teamId())) {
            return false;
        }
        if (assignee != null) {
            UUID wanted = switch (assignee) {
                case "me" -> principal.agentId();
                case "unassigned" -> null;
                default -> assigneeId;
            };
            if (!java.util.Objects.equals(wanted, conversation.assigneeId())) {
                return false;
            }
        }
        if (statuses != null && !statuses.contains(conversation.status())) {
            return false;
        }
        return conversation.archived() == archived;
    }

    private static String text(JsonNode node, String field) throws InvalidFilter {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidFilter("filter." + field + " must be a string");
        }
        return value.asText();
    }

    private static UUID uuidField(JsonNode node, String field) throws InvalidFilter {
        String value = text(node, field);
        return value == null ? null : uuid(value, "filter." + field + " must be a UUID");
    }

    private static UUID uuid(String value, String message) throws InvalidFilter {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidFilter(message);
        }
    }
}
