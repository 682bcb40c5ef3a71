package io.switchboard.conversations.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** The customer's satisfaction rating of a resolved conversation; rating again replaces it. */
@Entity
@Table(name = "csat_ratings", schema = "conversations")
public class CsatRating extends PanacheEntityBase {

    @Id
    public UUID id;
    public UUID accountId;
    public UUID conversationId;
    public UUID contactId;
    /** The conversation's assignee when the rating was (last) given. */
    public UUID agentId;
    public short rating;
    public String feedback;
    public long version;
    public Instant createdAt;
    public Instant updatedAt;
}
