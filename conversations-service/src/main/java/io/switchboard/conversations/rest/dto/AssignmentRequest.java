package io.switchboard.conversations.rest.dto;

import java.util.UUID;

/**
 * Who handles the conversation from now on: an agent, a team, both, or neither (null/absent unassigns).
 * Assign = set the agent; transfer = set another agent or a team; unassign = send nulls.
 */
public record AssignmentRequest(UUID assigneeId, UUID teamId) {
}
