package io.switchboard.conversations.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A conversation between one contact and the account's agents. {@code version} grows with every change. */
@Entity
@Table(name = "conversations", schema = "conversations")
public class Conversation extends PanacheEntityBase {

    @Id
    public UUID id;
    public UUID accountId;
    public UUID inboxId;
    public UUID contactId;
    public UUID teamId;
    public UUID assigneeId;
    public ConversationStatus status;
    public Instant snoozedUntil;
    public boolean archived;
    public Priority priority;
    /** Since when the customer has been waiting for a reply; null when an agent replied last. */
    public Instant waitingSince;
    public Instant firstReplyAt;
    public Instant lastActivityAt;
    public Instant resolvedAt;
    public int agentUnreadCount;
    public int customerUnreadCount;
    public String lastMessagePreview;
    public long version;
    public Instant createdAt;
    public Instant updatedAt;
}
