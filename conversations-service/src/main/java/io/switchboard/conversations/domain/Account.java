package io.switchboard.conversations.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A tenant. Nothing is ever shared across accounts. */
@Entity
@Table(name = "accounts", schema = "conversations")
public class Account extends PanacheEntityBase {

    @Id
    public UUID id;
    public String name;
    /** IANA zone for the account's reports (hours, days). */
    public String timeZone;
    public long version;
    public Instant createdAt;
    public Instant updatedAt;
}
