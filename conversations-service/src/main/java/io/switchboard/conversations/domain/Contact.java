package io.switchboard.conversations.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.NaturalId;

/** A customer. Created the first time a customer token starts a chat; externalId is the token's subject. */
@Entity
@Table(name = "contacts", schema = "conversations")
public class Contact extends PanacheEntityBase {

    @Id
    public UUID id;
    @NaturalId
    public UUID accountId;
    @NaturalId
    public String externalId;
    public String name;
    public String email;
    public Instant createdAt;
}
