package io.switchboard.conversations.domain;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.UUID;

@RegisterForReflection(registerFullHierarchy = true)
public record TeamView(UUID id, String name, Instant createdAt) {

    public static TeamView of(Team t) {
        return new TeamView(t.id, t.name, t.createdAt);
    }
}
