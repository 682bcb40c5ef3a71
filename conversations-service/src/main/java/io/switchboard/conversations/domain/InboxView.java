package io.switchboard.conversations.domain;

import java.time.Instant;
import java.util.UUID;

public record InboxView(UUID id, String name, InboxChannel channel, Instant createdAt) {

    public static InboxView of(Inbox i) {
        return new InboxView(i.id, i.name, i.channel, i.createdAt);
    }
}
