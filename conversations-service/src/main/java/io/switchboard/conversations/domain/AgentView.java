package io.switchboard.conversations.domain;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An agent as the API returns it and as agent events carry it; memberships sorted for stable output. */
@RegisterForReflection(registerFullHierarchy = true)
public record AgentView(
        UUID id,
        String name,
        String email,
        AgentRole role,
        AgentStatus status,
        Instant statusChangedAt,
        List<UUID> inboxIds,
        List<UUID> teamIds,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    public static AgentView of(Agent a) {
        return new AgentView(a.id, a.name, a.email, a.role, a.status, a.statusChangedAt,
                a.inboxIds.stream().sorted().toList(), a.teamIds.stream().sorted().toList(), a.version, a.createdAt, a.updatedAt);
    }
}
