package io.switchboard.conversations.domain;

import java.time.Instant;
import java.util.UUID;

public record TeamView(UUID id, String name, Instant createdAt) {

    public static TeamView of(Team t) {
        return new TeamView(t.id, t.name, t.createdAt);
    }
}
