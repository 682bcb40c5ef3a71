package io.switchboard.conversations.service;

import io.switchboard.conversations.domain.Contact;
import io.switchboard.conversations.domain.Conversation;
import io.switchboard.conversations.rest.problem.Problems;
import io.switchboard.conversations.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.inject.Inject;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Who sees which conversation (README, "Who sees what"): supervisors and admins see the whole account;
 * an agent sees conversations in its inboxes, in its teams, or assigned to it; a customer sees its own.
 * Anything else is answered 404, so existence never leaks.
 */
@ApplicationScoped
public class ConversationAccess {

    /** HQL condition an agent's visible conversations meet (alias c, parameter :agentId). */
    public static final String AGENT_VISIBILITY = """
            (c.assigneeId = :agentId
             or c.inboxId in (select i from Agent a join a.inboxIds i where a.id = :agentId)
             or c.teamId in (select t from Agent a join a.teamIds t where a.id = :agentId))""";

    @Inject
    EntityManager entityManager;

    /** The conversation, if it exists in the caller's account and the caller may see it. */
    public Conversation require(Caller caller, UUID conversationId) {
        Conversation conversation = Conversation.findById(conversationId);
        if (!isVisible(caller, conversation, sessionFacts)) {
            throw Problems.notFound("conversation");
        }
        return conversation;
    }

    /** Whether {@code conversation} (null: it does not exist) is in the caller's account and the caller may see it. */
    public static boolean isVisible(Caller caller, Conversation conversation, CallerFacts facts) {
        return conversation != null && conversation.accountId.equals(caller.accountId()) && canSee(caller, conversation, facts);
    }

    /** Like {@link #require} but only for agents (customers get 404 too: they cannot act on it this way). */
    public Conversation requireForAgent(Caller caller, UUID conversationId) {
        if (!caller.isAgent()) {
            throw Problems.forbidden("only agents may do this");
        }
        return require(caller, conversationId);
    }

    public boolean canSee(Caller caller, Conversation c) {
        return canSee(caller, c, sessionFacts);
    }

    /**
     * The rule itself, over facts from any source: this session's queries ({@link #canSee(Caller, Conversation)})
     * or facts a batch read up front (the message writer, service/MessageBatch).
     */
    public static boolean canSee(Caller caller, Conversation c, CallerFacts facts) {
        if (caller.isCustomer()) {
            UUID contactId = facts.contactId(caller);
            return contactId != null && contactId.equals(c.contactId);
        }
        if (!caller.isAgent()) {
            return false;
        }
        if (caller.seesWholeAccount() || caller.agentId().equals(c.assigneeId)) {
            return true;
        }
        return facts.inInbox(caller.agentId(), c.inboxId) || (c.teamId != null && facts.inTeam(caller.agentId(), c.teamId));
    }

    /** What the visibility rule needs to know about a caller that lives in the database. */
    public interface CallerFacts {

        /** The customer's contact id, or null if it never started a chat. */
        UUID contactId(Caller customer);

        boolean inInbox(UUID agentId, UUID inboxId);

        boolean inTeam(UUID agentId, UUID teamId);
    }

    private final CallerFacts sessionFacts = new CallerFacts() {
        @Override
        public UUID contactId(Caller customer) {
            Contact contact = contactOf(customer);
            return contact == null ? null : contact.id;
        }

        @Override
        public boolean inInbox(UUID agentId, UUID inboxId) {
            return isMember("agent_inboxes", "inbox_id", agentId, inboxId);
        }

        @Override
        public boolean inTeam(UUID agentId, UUID teamId) {
            return isMember("agent_teams", "team_id", agentId, teamId);
        }
    };

    /**
     * The customer's contact, or null if it never started a chat. A natural-id lookup: repeated within a
     * request it is answered from the session, not the database.
     */
    public Contact contactOf(Caller caller) {
        return entityManager.unwrap(Session.class).byNaturalId(Contact.class)
                .using("accountId", caller.accountId())
                .using("externalId", caller.subject())
                .load();
    }

    private boolean isMember(String table, String column, UUID agentId, UUID groupId) {
        return !entityManager.createNativeQuery(
                        "SELECT 1 FROM conversations." + table + " WHERE agent_id = :agent AND " + column + " = :group")
                .setParameter("agent", agentId)
                .setParameter("group", groupId)
                .getResultList().isEmpty();
    }
}
