package io.switchboard.conversations.domain;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.UUID;

/** A conversation as the API returns it and as conversation events carry it. */
@RegisterForReflection(registerFullHierarchy = true)
public record ConversationView(
        UUID id,
        UUID inboxId,
        UUID contactId,
        UUID teamId,
        UUID assigneeId,
        ConversationStatus status,
        Instant snoozedUntil,
        boolean archived,
        Priority priority,
        Instant waitingSince,
        Instant firstReplyAt,
        Instant lastActivityAt,
        Instant resolvedAt,
        int agentUnreadCount,
        int customerUnreadCount,
        String lastMessagePreview,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    public static ConversationView of(Conversation c) {
        return new ConversationView(c.id, c.inboxId, c.contactId, c.teamId, c.assigneeId, c.status, c.snoozedUntil,
                c.archived, c.priority, c.waitingSince, c.firstReplyAt, c.lastActivityAt, c.resolvedAt,
                c.agentUnreadCount, c.customerUnreadCount, c.lastMessagePreview, c.version, c.createdAt, c.updatedAt);
    }
}
