package io.switchboard.conversations.rest.dto;

import io.switchboard.conversations.domain.AgentRole;
import jakarta.validation.constraints.Size;

/** Fields to change; absent fields stay as they are. */
public record UpdateAgentRequest(@Size(min = 1, max = 200) String name, AgentRole role) {
}
