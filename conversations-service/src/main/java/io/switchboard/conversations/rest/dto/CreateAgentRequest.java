package io.switchboard.conversations.rest.dto;

import io.switchboard.conversations.domain.AgentRole;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

public record CreateAgentRequest(
        @NotBlank @Size(max = 200) String name,
        @NotBlank @Email @Size(max = 320) String email,
        @NotNull AgentRole role,
        @Size(max = 500) @Distinct List<@NotNull UUID> inboxIds,
        @Size(max = 500) @Distinct List<@NotNull UUID> teamIds) {
}
