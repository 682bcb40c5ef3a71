package io.switchboard.conversations.rest.dto;

import io.switchboard.conversations.domain.AgentStatus;
import jakarta.validation.constraints.NotNull;

public record AgentStatusRequest(@NotNull AgentStatus status) {
}
