package io.switchboard.conversations.rest.dto;

import io.switchboard.conversations.domain.ConversationStatus;
import io.switchboard.conversations.domain.Priority;
import java.time.Instant;

/** Fields to change; absent fields stay as they are. {@code snoozedUntil} goes with status "snoozed". */
public record UpdateConversationRequest(ConversationStatus status, Instant snoozedUntil, Priority priority) {
}
