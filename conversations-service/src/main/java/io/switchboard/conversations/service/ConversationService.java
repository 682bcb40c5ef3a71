package io.switchboard.conversations.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Parameters;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.switchboard.conversations.domain.Agent;
import io.switchboard.conversations.domain.Contact;
import io.switchboard.conversations.domain.Conversation;
import io.switchboard.conversations.domain.ConversationStatus;
import io.switchboard.conversations.domain.ConversationView;
import io.switchboard.conversations.domain.Inbox;
import io.switchboard.conversations.domain.Message;
import io.switchboard.conversations.domain.Priority;
import io.switchboard.conversations.domain.Team;
import io.switchboard.conversations.events.DomainEvents;
import io.switchboard.conversations.events.EventPublisher;
import io.switchboard.conversations.rest.dto.AssignmentRequest;
import io.switchboard.conversations.rest.dto.Page;
import io.switchboard.conversations.rest.dto.StartConversationRequest;
import io.switchboard.conversations.rest.dto.UpdateConversationRequest;
import io.switchboard.conversations.rest.problem.Problem;
import io.switchboard.conversations.rest.problem.Problems;
import io.switchboard.conversations.security.Caller;
import io.switchboard.eventlog.Actor;
import io.switchboard.eventlog.EventCursor;
import io.switchboard.eventlog.EventEnvelope;
import io.switchboard.eventlog.EventTypes;
import io.switchboard.eventlog.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Conversations: starting a chat, lists and the queue, status lifecycle, assignment, archive, priority. */
@ApplicationScoped
public class ConversationService {

    private static final Logger LOG = Logger.getLogger(ConversationService.class);
    /** Longer than any snooze a person means (and far inside what the database stores). */
    private static final Duration MAX_SNOOZE = Duration.ofDays(3653);

    @Inject
    ConversationChanges changes;

    @Inject
    ConversationAccess access;

    @Inject
    MessageService messages;

    @Inject
    EventPublisher events;

    @Inject
    DomainEvents domainEvents;

    @Inject
    TimeSource time;

    @Inject
    PageLimits pageLimits;

    /** The conversation, and whether this call created it (false: a retry with the same first message). */
    public record Started(ConversationView conversation, boolean created) {
    }

    /** A customer starts a chat; its contact is created on the first one. */
    @Transactional
    public Started start(Caller customer, StartConversationRequest request) {
        Inbox inbox = Inbox.findById(request.inboxId());
        if (inbox == null || !inbox.accountId.equals(customer.accountId())) {
            throw Problems.validation("inboxId", "no such inbox");
        }
        MessageService.Draft draft = request.message() == null ? null : messages.validate(customer, request.message(), "message.");
        // Concurrent first chats of one customer must create one contact: serialize on its identity.
        events.lockAggregates(contactLockId(customer));
        List<EventEnvelope> out = new ArrayList<>();
        Contact contact = access.contactOf(customer);
        Instant now = time.now();
        if (contact == null) {
            contact = newContact(customer, now);
            out.add(domainEvents.contactCreated(contact, Actor.customer(contact.id)));
        } else if (draft != null && draft.clientMessageId() != null) {
            Conversation earlier = startedWith(contact, draft.clientMessageId());
            if (earlier != null) {
                return new Started(ConversationView.of(earlier), false);
            }
        }
        Actor actor = Actor.customer(contact.id);
        Conversation conversation = new Conversation();
        conversation.id = Ids.newId();
        conversation.accountId = customer.accountId();
        conversation.inboxId = inbox.id;
        conversation.contactId = contact.id;
        conversation.status = ConversationStatus.OPEN;
        conversation.priority = Priority.MEDIUM;
        conversation.lastActivityAt = now;
        conversation.version = 1;
        conversation.createdAt = now;
        conversation.updatedAt = now;
        Message first = draft == null ? null : messages.newMessage(conversation, draft, actor, now);
        if (first != null) {
            messages.applyToConversation(conversation, first, now);
        }
        conversation.persist();
        if (first != null) {
            first.persist();
        }
        out.add(domainEvents.conversationCreated(conversation, actor));
        if (first != null) {
            out.add(domainEvents.messageCreated(first, conversation, actor));
        }
        events.publish(out);
        return new Started(ConversationView.of(conversation), true);
    }

    public ConversationView get(Caller caller, UUID id) {
        return ConversationView.of(access.require(caller, id));
    }

    /** Filters of the conversation list; null means "any". */
    public record ListFilter(List<ConversationStatus> statuses, String assignee, UUID teamId, UUID inboxId,
            Boolean archived, Priority priority) {
    }

    public Page<ConversationView> list(Caller caller, ListFilter filter, String cursor, Integer limit) {
        int size = pageLimits.resolve(limit);
        KeysetCursor after = KeysetCursor.parse(cursor);
        StringBuilder where = new StringBuilder("c.accountId = :account");
        Parameters params = Parameters.with("account", caller.accountId());
        restrictToVisible(caller, where, params);
        where.append(" and c.archived = :archived");
        params.and("archived", filter.archived() != null && filter.archived());
        if (filter.statuses() != null && !filter.statuses().isEmpty()) {
            where.append(" and c.status in :statuses");
            params.and("statuses", filter.statuses());
        }
        if (filter.assignee() != null) {
            switch (filter.assignee()) {
                case "unassigned" -> where.append(" and c.assigneeId is null");
                case "me" -> {
                    if (!caller.isAgent()) {
                        throw Problems.validation("assignee", "\"me\" is for agents");
                    }
                    where.append(" and c.assigneeId = :assignee");
                    params.and("assignee", caller.agentId());
                }
                default -> {
                    where.append(" and c.assigneeId = :assignee");
                    params.and("assignee", parseUuid("assignee", filter.assignee()));
                }
            }
        }
        if (filter.teamId() != null) {
            where.append(" and c.teamId = :team");
            params.and("team", filter.teamId());
        }
        if (filter.inboxId() != null) {
            where.append(" and c.inboxId = :inbox");
            params.and("inbox", filter.inboxId());
        }
        if (filter.priority() != null) {
            where.append(" and c.priority = :priority");
            params.and("priority", filter.priority());
        }
        if (after != null) {
            where.append(" and (c.lastActivityAt < :at or (c.lastActivityAt = :at and c.id < :id))");
            params.and("at", after.at()).and("id", after.id());
        }
        EventCursor eventCursor = events.head();
        List<Conversation> rows = Conversation.<Conversation>find(
                "from Conversation c where " + where + " order by c.lastActivityAt desc, c.id desc", params).range(0, size).list();
        return Pages.of(rows, size, c -> new KeysetCursor(c.lastActivityAt, c.id), ConversationView::of, eventCursor);
    }

    /**
     * The waiting queue and its depth: open, unassigned, not archived, longest waiting first. Serialized behind a
     * {@code Response} (for the cursor header), where Quarkus cannot see it: registered for native images.
     */
    @RegisterForReflection(registerFullHierarchy = true)
    public record Queue(long depth, List<ConversationView> items, String eventCursor) {
    }

    public Queue queue(Caller caller, Integer limit) {
        int size = pageLimits.resolve(limit);
        StringBuilder where = new StringBuilder(
                "c.accountId = :account and c.status = :open and c.assigneeId is null and c.archived = false");
        Parameters params = Parameters.with("account", caller.accountId()).and("open", ConversationStatus.OPEN);
        restrictToVisible(caller, where, params);
        EventCursor eventCursor = events.head();
        long depth = Conversation.count("from Conversation c where " + where, params);
        List<ConversationView> items = Conversation.<Conversation>find("from Conversation c where " + where
                        + " order by c.waitingSince asc nulls last, c.createdAt asc, c.id asc", params)
                .range(0, size - 1).list().stream().map(ConversationView::of).toList();
        return new Queue(depth, items, eventCursor.encode());
    }

    @Transactional
    public ConversationView update(Caller caller, UUID id, Long expectedVersion, UpdateConversationRequest request) {
        Instant requestTime = time.now();
        validateUpdate(request, requestTime);
        Conversation changed = changes.change(caller, id, expectedVersion, caller.actor(), (c, now) -> {
            boolean statusChanged = false;
            if (request.status() != null) {
                statusChanged = applyStatus(c, request.status(), request.snoozedUntil(), now);
            } else if (request.snoozedUntil() != null) {
                if (c.status != ConversationStatus.SNOOZED) {
                    throw Problems.validation("snoozedUntil", "only a snoozed conversation has a snooze time; send status \"snoozed\" too");
                }
                statusChanged = !request.snoozedUntil().equals(c.snoozedUntil);
                c.snoozedUntil = request.snoozedUntil();
            }
            boolean priorityChanged = request.priority() != null && request.priority() != c.priority;
            if (priorityChanged) {
                c.priority = request.priority();
            }
            return statusChanged ? EventTypes.CONVERSATION_STATUS_CHANGED : priorityChanged ? EventTypes.CONVERSATION_UPDATED : null;
        });
        return ConversationView.of(changed);
    }

    private static void validateUpdate(UpdateConversationRequest request, Instant now) {
        List<Problem.Violation> violations = new ArrayList<>();
        if (request.status() == ConversationStatus.SNOOZED && request.snoozedUntil() == null) {
            violations.add(new Problem.Violation("snoozedUntil", "is required with status \"snoozed\""));
        }
        if (request.snoozedUntil() != null && !request.snoozedUntil().isAfter(now)) {
            violations.add(new Problem.Violation("snoozedUntil", "must be in the future"));
        }
        if (request.snoozedUntil() != null && request.snoozedUntil().isAfter(now.plus(MAX_SNOOZE))) {
            violations.add(new Problem.Violation("snoozedUntil", "must be within 10 years"));
        }
        if (request.status() != null && request.status() != ConversationStatus.SNOOZED && request.snoozedUntil() != null) {
            violations.add(new Problem.Violation("snoozedUntil", "goes only with status \"snoozed\""));
        }
        if (!violations.isEmpty()) {
            throw Problems.validation(violations);
        }
    }

    /** Moves to {@code status}; returns whether anything changed. */
    private static boolean applyStatus(Conversation c, ConversationStatus status, Instant snoozedUntil, Instant now) {
        Instant newSnooze = status == ConversationStatus.SNOOZED ? snoozedUntil.truncatedTo(java.time.temporal.ChronoUnit.MICROS) : null;
        if (c.status == status && Objects.equals(c.snoozedUntil, newSnooze)) {
            return false;
        }
        if (status == ConversationStatus.RESOLVED && c.status != ConversationStatus.RESOLVED) {
            c.resolvedAt = now;
        } else if (status != ConversationStatus.RESOLVED) {
            c.resolvedAt = null;
        }
        c.status = status;
        c.snoozedUntil = newSnooze;
        return true;
    }

    @Transactional
    public ConversationView assign(Caller caller, UUID id, Long expectedVersion, AssignmentRequest request) {
        List<Problem.Violation> violations = new ArrayList<>();
        if (request.assigneeId() != null) {
            Agent assignee = Agent.findById(request.assigneeId());
            if (assignee == null || !assignee.accountId.equals(caller.accountId())) {
                violations.add(new Problem.Violation("assigneeId", "no such agent"));
            }
        }
        if (request.teamId() != null) {
            Team team = Team.findById(request.teamId());
            if (team == null || !team.accountId.equals(caller.accountId())) {
                violations.add(new Problem.Violation("teamId", "no such team"));
            }
        }
        if (!violations.isEmpty()) {
            throw Problems.validation(violations);
        }
        Conversation changed = changes.change(caller, id, expectedVersion, caller.actor(), (c, now) -> {
            if (Objects.equals(c.assigneeId, request.assigneeId()) && Objects.equals(c.teamId, request.teamId())) {
                return null;
            }
            c.assigneeId = request.assigneeId();
            c.teamId = request.teamId();
            return EventTypes.CONVERSATION_ASSIGNED;
        });
        return ConversationView.of(changed);
    }

    @Transactional
    public ConversationView setArchived(Caller caller, UUID id, Long expectedVersion, boolean archived) {
        Conversation changed = changes.change(caller, id, expectedVersion, caller.actor(), (c, now) -> {
            if (c.archived == archived) {
                return null;
            }
            c.archived = archived;
            return archived ? EventTypes.CONVERSATION_ARCHIVED : EventTypes.CONVERSATION_UNARCHIVED;
        });
        return ConversationView.of(changed);
    }

    /** Reopens snoozed conversations whose time has come; each in its own transaction. Returns how many. */
    public int wakeSnoozed(int batchSize) {
        List<Conversation> due = Conversation.<Conversation>find("status = ?1 and snoozedUntil <= ?2",
                ConversationStatus.SNOOZED, time.now()).range(0, batchSize - 1).list();
        int woken = 0;
        for (Conversation candidate : due) {
            try {
                woken += QuarkusTransaction.requiringNew().call(() -> wake(candidate.id)) ? 1 : 0;
            } catch (RuntimeException e) {
                LOG.warnf("could not reopen snoozed conversation %s: %s", candidate.id, e.getMessage());
            }
        }
        return woken;
    }

    private boolean wake(UUID conversationId) {
        boolean[] woke = {false};
        changes.changeAsSystem(conversationId, (c, now) -> {
            if (c.status != ConversationStatus.SNOOZED || c.snoozedUntil.isAfter(now)) {
                return null;
            }
            c.status = ConversationStatus.OPEN;
            c.snoozedUntil = null;
            woke[0] = true;
            return EventTypes.CONVERSATION_STATUS_CHANGED;
        });
        return woke[0];
    }

    private static void restrictToVisible(Caller caller, StringBuilder where, Parameters params) {
        if (caller.isCustomer()) {
            where.append(" and c.contactId in (select k.id from Contact k where k.accountId = :account and k.externalId = :subject)");
            params.and("subject", caller.subject());
        } else if (!caller.seesWholeAccount()) {
            where.append(" and ").append(ConversationAccess.AGENT_VISIBILITY);
            params.and("agentId", caller.agentId());
        }
    }

    private static Conversation startedWith(Contact contact, String clientMessageId) {
        return Conversation.<Conversation>find("from Conversation c where c.contactId = ?1 and c.id in "
                        + "(select m.conversationId from Message m where m.clientMessageId = ?2 and m.senderId = ?1)",
                contact.id, clientMessageId).firstResult();
    }

    private static Contact newContact(Caller customer, Instant now) {
        Contact contact = new Contact();
        contact.id = Ids.newId();
        contact.accountId = customer.accountId();
        contact.externalId = customer.subject();
        contact.name = customer.name();
        contact.email = customer.email();
        contact.createdAt = now;
        contact.persist();
        return contact;
    }

    /** A stable id for "this customer of this account", used only as the lock key of its contact creation. */
    private static UUID contactLockId(Caller customer) {
        return UUID.nameUUIDFromBytes((customer.accountId() + "/" + customer.subject()).getBytes(StandardCharsets.UTF_8));
    }

    static UUID parseUuid(String field, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw Problems.validation(field, "must be \"me\", \"unassigned\" or an agent id");
        }
    }
}
