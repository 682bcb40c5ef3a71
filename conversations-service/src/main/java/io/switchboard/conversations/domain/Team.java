package io.switchboard.conversations.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A group of agents conversations can be transferred to. */
@Entity
@Table(name = "teams", schema = "conversations")
public class Team extends PanacheEntityBase {

    @Id
    public UUID id;
    public UUID accountId;
    public String name;
    public Instant createdAt;
}
