package io.switchboard.conversations.domain;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.UUID;

@RegisterForReflection(registerFullHierarchy = true)
public record AccountView(UUID id, String name, String timeZone, long version, Instant createdAt, Instant updatedAt) {

    public static AccountView of(Account a) {
        return new AccountView(a.id, a.name, a.timeZone, a.version, a.createdAt, a.updatedAt);
    }
}
