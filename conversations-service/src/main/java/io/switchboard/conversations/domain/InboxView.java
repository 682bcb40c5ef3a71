package io.switchboard.conversations.domain;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.UUID;

@RegisterForReflection(registerFullHierarchy = true)
public record InboxView(UUID id, String name, InboxChannel channel, Instant createdAt) {

    public static InboxView of(Inbox i) {
        return new InboxView(i.id, i.name, i.channel, i.createdAt);
    }
}
