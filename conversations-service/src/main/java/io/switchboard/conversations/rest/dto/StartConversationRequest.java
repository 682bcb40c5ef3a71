package io.switchboard.conversations.rest.dto;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.UUID;

/** A customer starts a chat in an inbox, usually with a first message. */
public record StartConversationRequest(@NotNull UUID inboxId, @Valid SendMessageRequest message) {
}
