package io.switchboard.conversations.service;

import io.switchboard.conversations.domain.Conversation;
import io.switchboard.conversations.domain.ConversationView;
import io.switchboard.conversations.domain.Message;
import io.switchboard.conversations.domain.MessageView;
import io.switchboard.conversations.events.DomainEvents;
import io.switchboard.conversations.rest.problem.Problems;
import io.switchboard.conversations.security.Caller;
import io.switchboard.eventlog.Actor;
import io.switchboard.eventlog.EventEnvelope;
import io.switchboard.eventlog.EventLogWriter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The sends one transaction carries, written as a single request would be written alone, in their order: the
 * writer announcement with every conversation's ordering lock and row lock, then one read each of the callers'
 * facts and earlier messages by client id, then one multi-row write each of messages, events and conversations.
 * A send that may not write (an invisible conversation, a client id another sender used) gets its own answer
 * and changes nothing; the others go on. The batch never waits for another transaction: sends to a conversation
 * another transaction holds are left out ({@link Outcome#busy}), so one held conversation cannot stall the
 * sends of every other one.
 */
@ApplicationScoped
public class MessageBatch {

    @Inject
    EventLogWriter writer;

    @Inject
    MessageRows rows;

    @Inject
    MessageService messages;

    @Inject
    ConversationChanges changes;

    @Inject
    DomainEvents domainEvents;

    @Inject
    TimeSource time;

    /** One send: who, where, what, and the trace context its events carry. */
    public record Send(Caller caller, UUID conversationId, MessageService.Draft draft, String traceparent) {
    }

    /**
     * A send's answer: the message (written now or earlier), the problem that refused it, or neither when its
     * conversation was held by another transaction ({@link #busy}: nothing written, try again later).
     */
    public record Outcome(MessageService.Sent sent, RuntimeException problem) {

        static final Outcome BUSY = new Outcome(null, null);

        static Outcome of(MessageService.Sent sent) {
            return new Outcome(sent, null);
        }

        static Outcome refused(RuntimeException problem) {
            return new Outcome(null, problem);
        }

        public boolean busy() {
            return sent == null && problem == null;
        }
    }

    /** Writes {@code sends} in the caller's open transaction on {@code connection}; one outcome per send, in order. */
    public List<Outcome> write(Connection connection, List<Send> sends) throws SQLException {
        Set<UUID> conversationIds = new LinkedHashSet<>();
        sends.forEach(send -> conversationIds.add(send.conversationId()));
        // never wait for another transaction: a conversation it holds (ordering lock or row) waits for a later batch
        Set<UUID> busy = new HashSet<>(writer.tryBegin(connection, conversationIds));
        List<UUID> free = conversationIds.stream().filter(id -> !busy.contains(id)).toList();
        Map<UUID, Conversation> conversations = rows.lockConversations(connection, free);
        List<UUID> notLocked = free.stream().filter(id -> !conversations.containsKey(id)).toList();
        if (!notLocked.isEmpty()) {
            busy.addAll(rows.existing(connection, notLocked)); // the rest do not exist: 404 below
        }

        MessageRows.Facts facts = rows.facts(connection, sends.stream().map(Send::caller).toList());
        Map<MessageRows.ClientId, Message> byClientId = rows.messagesByClientId(connection, sends.stream()
                .filter(send -> send.draft().clientMessageId() != null)
                .map(send -> new MessageRows.ClientId(send.conversationId(), send.draft().clientMessageId()))
                .toList());

        List<Outcome> outcomes = new ArrayList<>(sends.size());
        List<Message> created = new ArrayList<>();
        List<EventEnvelope> events = new ArrayList<>();
        Map<EventEnvelope, String> traceparents = new IdentityHashMap<>();
        Map<UUID, Conversation> changed = new LinkedHashMap<>();
        for (Send send : sends) {
            if (busy.contains(send.conversationId())) {
                outcomes.add(Outcome.BUSY);
                continue;
            }
            Conversation conversation = conversations.get(send.conversationId());
            if (!ConversationAccess.isVisible(send.caller(), conversation, facts)) {
                outcomes.add(Outcome.refused(Problems.notFound("conversation")));
                continue;
            }
            Actor actor = actorOf(send.caller(), facts);
            MessageRows.ClientId clientId = send.draft().clientMessageId() == null ? null
                    : new MessageRows.ClientId(send.conversationId(), send.draft().clientMessageId());
            Message earlier = clientId == null ? null : byClientId.get(clientId);
            if (earlier != null) {
                try {
                    outcomes.add(Outcome.of(new MessageService.Sent(messages.replay(earlier, actor), false)));
                } catch (RuntimeException conflict) {
                    outcomes.add(Outcome.refused(conflict));
                }
                continue;
            }
            var now = time.now();
            Message message = messages.newMessage(conversation, send.draft(), actor, now);
            created.add(message);
            if (clientId != null) {
                byClientId.put(clientId, message); // a retry later in this batch answers with this one
            }
            List<EventEnvelope> own = new ArrayList<>(2);
            own.add(domainEvents.messageCreated(message, conversation, actor));
            ConversationView before = ConversationView.of(conversation);
            String conversationEvent = messages.applyToConversation(conversation, message, now);
            if (conversationEvent != null) {
                own.add(changes.record(conversation, before, conversationEvent, actor, now));
                changed.put(conversation.id, conversation);
            }
            own.forEach(event -> traceparents.put(event, send.traceparent()));
            events.addAll(own);
            outcomes.add(Outcome.of(new MessageService.Sent(MessageView.of(message), true)));
        }
        rows.insertMessages(connection, created);
        writer.append(connection, events, traceparents::get);
        rows.updateConversations(connection, changed.values());
        return outcomes;
    }

    /** The event-log actor of a caller whose visibility was checked: a customer acts as its contact. */
    private static Actor actorOf(Caller caller, MessageRows.Facts facts) {
        return caller.isCustomer() ? Actor.customer(facts.contactId(caller)) : caller.actor();
    }
}
