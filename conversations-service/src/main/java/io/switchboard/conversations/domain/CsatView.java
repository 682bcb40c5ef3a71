package io.switchboard.conversations.domain;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.UUID;

/** A CSAT rating as the API returns it. */
@RegisterForReflection(registerFullHierarchy = true)
public record CsatView(UUID id, UUID conversationId, UUID contactId, UUID agentId, int rating, String feedback,
        long version, Instant createdAt, Instant updatedAt) {

    public static CsatView of(CsatRating r) {
        return new CsatView(r.id, r.conversationId, r.contactId, r.agentId, r.rating, r.feedback, r.version, r.createdAt, r.updatedAt);
    }
}
