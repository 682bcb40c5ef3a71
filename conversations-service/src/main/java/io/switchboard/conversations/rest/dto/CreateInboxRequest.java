package io.switchboard.conversations.rest.dto;

import io.switchboard.conversations.domain.InboxChannel;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

public record CreateInboxRequest(@NotBlank @Size(max = 200) String name, @NotNull InboxChannel channel) {
}
