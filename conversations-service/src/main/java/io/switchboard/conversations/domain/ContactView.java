package io.switchboard.conversations.domain;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.UUID;

@RegisterForReflection(registerFullHierarchy = true)
public record ContactView(UUID id, String externalId, String name, String email, Instant createdAt) {

    public static ContactView of(Contact c) {
        return new ContactView(c.id, c.externalId, c.name, c.email, c.createdAt);
    }
}
