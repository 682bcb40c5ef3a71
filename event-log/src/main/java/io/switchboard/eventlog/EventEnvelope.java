package io.switchboard.eventlog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One domain event as written to the log. The payload is the delta: the changed fields and the new
 * version (the whole entity where it is small); see docs/event-log.md for each type's payload.
 */
public record EventEnvelope(
        UUID eventId,
        String type,
        UUID accountId,
        String aggregateType,
        UUID aggregateId,
        long aggregateVersion,
        Instant occurredAt,
        Actor actor,
        RoutingScope scope,
        ObjectNode payload) {

    public EventEnvelope {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(aggregateType, "aggregateType");
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(payload, "payload");
        if (aggregateVersion < 1) {
            throw new IllegalArgumentException("aggregateVersion starts at 1");
        }
    }

    /** The same event with another payload (the reader fills payloads in after reading the rows). */
    public EventEnvelope withPayload(ObjectNode newPayload) {
        return new EventEnvelope(eventId, type, accountId, aggregateType, aggregateId, aggregateVersion, occurredAt, actor,
                scope, newPayload);
    }
}
