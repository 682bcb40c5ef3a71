package io.switchboard.conversations.rest.dto;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/** The complete new memberships of an agent (replaces the old ones). */
public record MembershipsRequest(
        @NotNull @Size(max = 500) @Distinct List<@NotNull UUID> inboxIds,
        @NotNull @Size(max = 500) @Distinct List<@NotNull UUID> teamIds) {
}
