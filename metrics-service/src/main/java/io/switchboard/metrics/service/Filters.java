package io.switchboard.metrics.service;

import java.util.UUID;

/** Optional narrowing of a report: one inbox, one agent (the sender of outgoing messages, the assignee, the rated agent). */
public record Filters(UUID inboxId, UUID agentId) {

    public static final Filters NONE = new Filters(null, null);

    public Filters withAgent(UUID agent) {
        return new Filters(inboxId, agent);
    }
}
