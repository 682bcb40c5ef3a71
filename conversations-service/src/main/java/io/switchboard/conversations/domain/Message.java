package io.switchboard.conversations.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One message of a conversation. Private notes are agent-only. */
@Entity
@Table(name = "messages", schema = "conversations")
public class Message extends PanacheEntityBase {

    @Id
    public UUID id;
    public UUID accountId;
    public UUID conversationId;
    public SenderKind senderKind;
    public UUID senderId;
    public MessageType messageType;
    public String content;
    @JdbcTypeCode(SqlTypes.JSON)
    public List<Attachment> attachments = new ArrayList<>();
    public boolean privateNote;
    public DeliveryStatus status;
    public String clientMessageId;
    public long version;
    public Instant createdAt;
    public Instant updatedAt;
}
