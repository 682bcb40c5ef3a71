package io.switchboard.conversations.domain;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A message as the API returns it and as message events carry it. */
@RegisterForReflection(registerFullHierarchy = true)
public record MessageView(
        UUID id,
        UUID conversationId,
        SenderKind senderKind,
        UUID senderId,
        MessageType type,
        String content,
        List<Attachment> attachments,
        boolean privateNote,
        DeliveryStatus status,
        String clientMessageId,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    public static MessageView of(Message m) {
        return new MessageView(m.id, m.conversationId, m.senderKind, m.senderId, m.messageType, m.content,
                List.copyOf(m.attachments), m.privateNote, m.status, m.clientMessageId, m.version, m.createdAt, m.updatedAt);
    }
}
