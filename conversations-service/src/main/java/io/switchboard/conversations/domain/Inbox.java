package io.switchboard.conversations.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An entry point customers write through, such as the website widget. */
@Entity
@Table(name = "inboxes", schema = "conversations")
public class Inbox extends PanacheEntityBase {

    @Id
    public UUID id;
    public UUID accountId;
    public String name;
    public InboxChannel channel;
    public Instant createdAt;
}
