package io.switchboard.conversations.service;

import io.switchboard.conversations.config.ConversationsConfig;
import io.switchboard.conversations.domain.Attachment;
import io.switchboard.conversations.domain.Contact;
import io.switchboard.conversations.domain.Conversation;
import io.switchboard.conversations.domain.ConversationStatus;
import io.switchboard.conversations.domain.ConversationView;
import io.switchboard.conversations.domain.DeliveryStatus;
import io.switchboard.conversations.domain.Message;
import io.switchboard.conversations.domain.MessageType;
import io.switchboard.conversations.domain.MessageView;
import io.switchboard.conversations.domain.SenderKind;
import io.switchboard.conversations.events.DomainEvents;
import io.switchboard.conversations.events.EventPublisher;
import io.switchboard.conversations.rest.dto.Page;
import io.switchboard.conversations.rest.dto.SendMessageRequest;
import io.switchboard.conversations.rest.problem.Problem;
import io.switchboard.conversations.rest.problem.Problems;
import io.switchboard.conversations.security.Caller;
import io.switchboard.eventlog.Actor;
import io.switchboard.eventlog.EventCursor;
import io.switchboard.eventlog.EventEnvelope;
import io.switchboard.eventlog.EventTypes;
import io.switchboard.eventlog.Ids;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/** Messages: sending (idempotent by client message id), listing, delivery status, marking read. */
@ApplicationScoped
public class MessageService {

    private static final int PREVIEW_LENGTH = 140;

    @Inject
    ConversationChanges changes;

    @Inject
    ConversationAccess access;

    @Inject
    EventPublisher events;

    @Inject
    DomainEvents domainEvents;

    @Inject
    TimeSource time;

    @Inject
    PageLimits pageLimits;

    @Inject
    ConversationsConfig config;

    @Inject
    MessageWrites writes;

    /** A validated message to write. */
    public record Draft(MessageType type, String content, List<Attachment> attachments, boolean privateNote, String clientMessageId) {
    }

    /** The message, and whether this call wrote it (false: a retry returned the earlier one). */
    public record Sent(MessageView message, boolean created) {
    }

    /**
     * Sends a message: checked here, written by the group-commit writer (MessageWrites) with the same rules as
     * any change (ordering lock, visibility, idempotency by client message id, events in the same transaction).
     * Invalid requests fail at once; the stage completes with the message or the problem that refused it.
     */
    public CompletionStage<Sent> send(Caller caller, UUID conversationId, SendMessageRequest request) {
        return writes.submit(caller, conversationId, validate(caller, request, ""));
    }

    /**
     * Checks a message request before anything is locked or written. {@code fieldPrefix} names the
     * request part in violations (e.g. "message." inside a conversation start).
     */
    public Draft validate(Caller caller, SendMessageRequest request, String fieldPrefix) {
        List<Problem.Violation> violations = new ArrayList<>();
        MessageType type = request.type() == null ? MessageType.TEXT : request.type();
        String content = request.content() == null || request.content().isBlank() ? null : request.content();
        List<Attachment> attachments = request.attachments() == null ? List.of() : List.copyOf(request.attachments());
        int maxLength = config.limits().maxMessageLength();
        if (content != null && content.length() > maxLength) {
            violations.add(new Problem.Violation(fieldPrefix + "content", "must be at most " + maxLength + " characters"));
        }
        if (type == MessageType.TEXT) {
            if (content == null) {
                violations.add(new Problem.Violation(fieldPrefix + "content", "must not be blank for a text message"));
            }
            if (!attachments.isEmpty()) {
                violations.add(new Problem.Violation(fieldPrefix + "attachments", "a text message has no attachments"));
            }
        } else if (attachments.isEmpty()) {
            violations.add(new Problem.Violation(fieldPrefix + "attachments",
                    "a message of type " + type.name().toLowerCase(Locale.ROOT) + " needs at least one attachment"));
        }
        boolean privateNote = Boolean.TRUE.equals(request.privateNote());
        if (privateNote && !caller.isAgent()) {
            violations.add(new Problem.Violation(fieldPrefix + "privateNote", "only agents write private notes"));
        }
        if (!violations.isEmpty()) {
            throw Problems.validation(violations);
        }
        return new Draft(type, content, attachments, privateNote, request.clientMessageId());
    }

    /** A new message of a locked conversation, not yet persisted and not yet applied to the conversation. */
    Message newMessage(Conversation conversation, Draft draft, Actor actor, Instant now) {
        Message message = new Message();
        message.id = Ids.newId();
        message.accountId = conversation.accountId;
        message.conversationId = conversation.id;
        message.senderKind = SenderKind.valueOf(actor.kind().toUpperCase(Locale.ROOT));
        message.senderId = actor.id();
        message.messageType = draft.type();
        message.content = draft.content();
        message.attachments = new ArrayList<>(draft.attachments());
        message.privateNote = draft.privateNote();
        message.status = DeliveryStatus.SENT;
        message.clientMessageId = draft.clientMessageId();
        message.version = 1;
        message.createdAt = now;
        message.updatedAt = now;
        return message;
    }

    /**
     * What a new message does to its conversation: activity, preview, unread counts, waiting time, first
     * reply; a customer message reopens. Private notes change nothing. Returns the event type, or null.
     */
    String applyToConversation(Conversation c, Message m, Instant now) {
        if (m.privateNote) {
            return null;
        }
        boolean reopened = false;
        c.lastActivityAt = now;
        c.lastMessagePreview = preview(m);
        switch (m.senderKind) {
            case CUSTOMER -> {
                c.agentUnreadCount++;
                if (c.waitingSince == null) {
                    c.waitingSince = now;
                }
                if (c.status != ConversationStatus.OPEN) {
                    c.status = ConversationStatus.OPEN;
                    c.snoozedUntil = null;
                    c.resolvedAt = null;
                    reopened = true;
                }
            }
            case AGENT -> {
                c.customerUnreadCount++;
                c.waitingSince = null;
                if (c.firstReplyAt == null) {
                    c.firstReplyAt = now;
                }
            }
            case SYSTEM -> {
                // activity only
            }
        }
        return reopened ? EventTypes.CONVERSATION_STATUS_CHANGED : EventTypes.CONVERSATION_UPDATED;
    }

    public Page<MessageView> list(Caller caller, UUID conversationId, String cursor, Integer limit) {
        int size = pageLimits.resolve(limit);
        KeysetCursor after = KeysetCursor.parse(cursor);
        EventCursor eventCursor = events.head();
        access.require(caller, conversationId);
        StringBuilder query = new StringBuilder("conversationId = :conversation");
        Parameters params = Parameters.with("conversation", conversationId);
        if (caller.isCustomer()) {
            query.append(" and privateNote = false");
        }
        if (after != null) {
            query.append(" and (createdAt < :at or (createdAt = :at and id < :id))");
            params.and("at", after.at()).and("id", after.id());
        }
        query.append(" order by createdAt desc, id desc");
        List<Message> rows = Message.<Message>find(query.toString(), params).range(0, size).list();
        return Pages.of(rows, size, m -> new KeysetCursor(m.createdAt, m.id), MessageView::of, eventCursor);
    }

    @Transactional
    public MessageView updateStatus(Caller caller, UUID conversationId, UUID messageId, DeliveryStatus status) {
        Actor actor = actorOf(caller);
        Conversation conversation = changes.lockForChange(caller, conversationId, null);
        Message message = Message.findById(messageId);
        if (message == null || !message.conversationId.equals(conversationId) || (caller.isCustomer() && message.privateNote)) {
            throw Problems.notFound("message");
        }
        if (message.privateNote) {
            throw Problems.conflict("invalid-status-transition", "Invalid status transition", "private notes have no delivery status");
        }
        boolean callerIsRecipient = caller.isCustomer() ? message.senderKind != SenderKind.CUSTOMER : message.senderKind == SenderKind.CUSTOMER;
        boolean allowed = status == DeliveryStatus.FAILED
                ? caller.isAgent() && message.senderKind != SenderKind.CUSTOMER
                : callerIsRecipient;
        if (!allowed) {
            throw Problems.forbidden(status == DeliveryStatus.FAILED
                    ? "only agents mark outgoing messages failed"
                    : "only the recipient side reports delivery and reading");
        }
        if (message.status == status) {
            return MessageView.of(message);
        }
        if (!canMove(message.status, status)) {
            throw Problems.conflict("invalid-status-transition", "Invalid status transition",
                    "a " + wire(message.status) + " message cannot become " + wire(status));
        }
        List<EventEnvelope> out = new ArrayList<>();
        Instant now = time.now();
        out.add(setStatus(message, status, conversation, actor, now));
        if (status == DeliveryStatus.READ) {
            ConversationView before = ConversationView.of(conversation);
            if (decrementUnread(conversation, message)) {
                out.add(changes.record(conversation, before, EventTypes.CONVERSATION_UPDATED, actor, now));
            }
        }
        events.publish(out);
        return MessageView.of(message);
    }

    /** Marks everything the caller's side received as read and resets its unread count. */
    @Transactional
    public ConversationView markRead(Caller caller, UUID conversationId) {
        Actor actor = actorOf(caller);
        Conversation conversation = changes.lockForChange(caller, conversationId, null);
        String incoming = caller.isCustomer() ? "senderKind <> :customer and privateNote = false" : "senderKind = :customer";
        List<Message> unread = Message.<Message>find("conversationId = :conversation and status in :unread and " + incoming,
                        Parameters.with("conversation", conversationId)
                                .and("unread", List.of(DeliveryStatus.SENT, DeliveryStatus.DELIVERED))
                                .and("customer", SenderKind.CUSTOMER))
                .list();
        Instant now = time.now();
        List<EventEnvelope> out = new ArrayList<>();
        for (Message message : unread) {
            out.add(setStatus(message, DeliveryStatus.READ, conversation, actor, now));
        }
        ConversationView before = ConversationView.of(conversation);
        boolean countChanged = caller.isCustomer() ? conversation.customerUnreadCount != 0 : conversation.agentUnreadCount != 0;
        if (caller.isCustomer()) {
            conversation.customerUnreadCount = 0;
        } else {
            conversation.agentUnreadCount = 0;
        }
        if (countChanged) {
            out.add(changes.record(conversation, before, EventTypes.CONVERSATION_UPDATED, actor, now));
        }
        events.publish(out);
        return ConversationView.of(conversation);
    }

    /** The event-log actor of a caller; a customer acts as its contact. */
    public Actor actorOf(Caller caller) {
        if (caller.isCustomer()) {
            Contact contact = access.contactOf(caller);
            if (contact == null) {
                throw Problems.notFound("conversation");
            }
            return Actor.customer(contact.id);
        }
        return caller.actor();
    }

    private EventEnvelope setStatus(Message message, DeliveryStatus status, Conversation conversation, Actor actor, Instant now) {
        MessageView before = MessageView.of(message);
        message.status = status;
        message.version++;
        message.updatedAt = now;
        return domainEvents.messageStatusChanged(before, message, conversation, actor);
    }

    private static boolean decrementUnread(Conversation conversation, Message message) {
        if (message.senderKind == SenderKind.CUSTOMER && conversation.agentUnreadCount > 0) {
            conversation.agentUnreadCount--;
            return true;
        }
        if (message.senderKind != SenderKind.CUSTOMER && conversation.customerUnreadCount > 0) {
            conversation.customerUnreadCount--;
            return true;
        }
        return false;
    }

    private static boolean canMove(DeliveryStatus from, DeliveryStatus to) {
        return switch (from) {
            case SENT -> to != DeliveryStatus.SENT;
            case DELIVERED -> to == DeliveryStatus.READ || to == DeliveryStatus.FAILED;
            case READ, FAILED -> false;
        };
    }

    /** The answer to a retry: the earlier message, if the same sender wrote it (else 409). */
    MessageView replay(Message earlier, Actor actor) {
        if (!earlier.senderKind.name().equalsIgnoreCase(actor.kind()) || !java.util.Objects.equals(earlier.senderId, actor.id())) {
            throw Problems.conflict("client-message-id-taken", "Client message id taken",
                    "another sender already used this clientMessageId in this conversation");
        }
        return MessageView.of(earlier);
    }

    private static String preview(Message m) {
        if (m.content != null) {
            return m.content.length() <= PREVIEW_LENGTH ? m.content : m.content.substring(0, PREVIEW_LENGTH - 1) + "…";
        }
        return "[" + wire(m.messageType) + "]";
    }

    private static String wire(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
