package io.switchboard.conversations.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.conversations.domain.Account;
import io.switchboard.conversations.domain.AccountView;
import io.switchboard.conversations.domain.Agent;
import io.switchboard.conversations.domain.AgentView;
import io.switchboard.conversations.domain.Contact;
import io.switchboard.conversations.domain.ContactView;
import io.switchboard.conversations.domain.Conversation;
import io.switchboard.conversations.domain.ConversationView;
import io.switchboard.conversations.domain.CsatRating;
import io.switchboard.conversations.domain.CsatView;
import io.switchboard.conversations.domain.Inbox;
import io.switchboard.conversations.domain.InboxView;
import io.switchboard.conversations.domain.Message;
import io.switchboard.conversations.domain.MessageView;
import io.switchboard.conversations.domain.Team;
import io.switchboard.conversations.domain.TeamView;
import io.switchboard.eventlog.Actor;
import io.switchboard.eventlog.EventEnvelope;
import io.switchboard.eventlog.EventTypes;
import io.switchboard.eventlog.Ids;
import io.switchboard.eventlog.RoutingScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Builds the events of the log contract (docs/event-log.md). A change event's payload is the delta:
 * {@code changes} (new values of the fields that changed), {@code previous} (their old values) and the
 * new {@code version}, plus the whole entity (they are small) so a consumer that did not have it can add it.
 */
@ApplicationScoped
public class DomainEvents {

    /** Fields that change with every write and say nothing on their own. */
    private static final Set<String> NOT_A_CHANGE = Set.of("version", "updatedAt");

    @Inject
    ObjectMapper json;

    public EventEnvelope conversationCreated(Conversation c, Actor actor) {
        ObjectNode payload = versioned(c.version).set("conversation", tree(ConversationView.of(c)));
        return envelope(EventTypes.CONVERSATION_CREATED, c.accountId, EventTypes.AGGREGATE_CONVERSATION, c.id, c.version,
                c.updatedAt, actor, scopeOf(c, false), payload);
    }

    public EventEnvelope conversationChanged(String type, ConversationView before, Conversation after, Actor actor) {
        ObjectNode payload = delta(after.version, tree(before), tree(ConversationView.of(after)), "conversation");
        return envelope(type, after.accountId, EventTypes.AGGREGATE_CONVERSATION, after.id, after.version, after.updatedAt,
                actor, scopeOf(after, false), payload);
    }

    public EventEnvelope messageCreated(Message m, Conversation c, Actor actor) {
        ObjectNode payload = versioned(m.version).set("message", tree(MessageView.of(m)));
        return envelope(EventTypes.MESSAGE_CREATED, m.accountId, EventTypes.AGGREGATE_MESSAGE, m.id, m.version,
                m.createdAt, actor, scopeOf(c, m.privateNote), payload);
    }

    public EventEnvelope messageStatusChanged(MessageView before, Message after, Conversation c, Actor actor) {
        ObjectNode payload = delta(after.version, tree(before), tree(MessageView.of(after)), "message");
        return envelope(EventTypes.MESSAGE_STATUS_CHANGED, after.accountId, EventTypes.AGGREGATE_MESSAGE, after.id,
                after.version, after.updatedAt, actor, scopeOf(c, after.privateNote), payload);
    }

    /** {@code previous} is the rating this one replaces, or null for the first rating. */
    public EventEnvelope csatSubmitted(CsatView previous, CsatRating rating, Conversation c, Actor actor) {
        ObjectNode payload = versioned(rating.version);
        payload.set("csat", tree(CsatView.of(rating)));
        payload.set("previous", previous == null ? NullNode.getInstance() : tree(previous));
        payload.put("conversationResolvedAt", c.resolvedAt == null ? null : c.resolvedAt.toString());
        return envelope(EventTypes.CSAT_SUBMITTED, rating.accountId, EventTypes.AGGREGATE_CSAT, rating.id, rating.version,
                rating.updatedAt, actor, scopeOf(c, false), payload);
    }

    public EventEnvelope agentCreated(Agent a, Actor actor) {
        ObjectNode payload = versioned(a.version).set("agent", tree(AgentView.of(a)));
        return envelope(EventTypes.AGENT_CREATED, a.accountId, EventTypes.AGGREGATE_AGENT, a.id, a.version, a.updatedAt,
                actor, RoutingScope.AGENTS_ONLY, payload);
    }

    public EventEnvelope agentChanged(String type, AgentView before, Agent after, Actor actor) {
        ObjectNode payload = delta(after.version, tree(before), tree(AgentView.of(after)), "agent");
        return envelope(type, after.accountId, EventTypes.AGGREGATE_AGENT, after.id, after.version, after.updatedAt,
                actor, RoutingScope.AGENTS_ONLY, payload);
    }

    public EventEnvelope contactCreated(Contact c, Actor actor) {
        ObjectNode payload = versioned(1).set("contact", tree(ContactView.of(c)));
        return envelope(EventTypes.CONTACT_CREATED, c.accountId, EventTypes.AGGREGATE_CONTACT, c.id, 1, c.createdAt,
                actor, new RoutingScope(null, null, null, c.id, true), payload);
    }

    public EventEnvelope inboxCreated(Inbox i, Actor actor) {
        ObjectNode payload = versioned(1).set("inbox", tree(InboxView.of(i)));
        return envelope(EventTypes.INBOX_CREATED, i.accountId, EventTypes.AGGREGATE_INBOX, i.id, 1, i.createdAt, actor,
                RoutingScope.AGENTS_ONLY, payload);
    }

    public EventEnvelope teamCreated(Team t, Actor actor) {
        ObjectNode payload = versioned(1).set("team", tree(TeamView.of(t)));
        return envelope(EventTypes.TEAM_CREATED, t.accountId, EventTypes.AGGREGATE_TEAM, t.id, 1, t.createdAt, actor,
                RoutingScope.AGENTS_ONLY, payload);
    }

    public EventEnvelope accountCreated(Account a, Actor actor) {
        ObjectNode payload = versioned(a.version).set("account", tree(AccountView.of(a)));
        return envelope(EventTypes.ACCOUNT_CREATED, a.id, EventTypes.AGGREGATE_ACCOUNT, a.id, a.version, a.updatedAt,
                actor, RoutingScope.AGENTS_ONLY, payload);
    }

    public EventEnvelope accountUpdated(AccountView before, Account after, Actor actor) {
        ObjectNode payload = delta(after.version, tree(before), tree(AccountView.of(after)), "account");
        return envelope(EventTypes.ACCOUNT_UPDATED, after.id, EventTypes.AGGREGATE_ACCOUNT, after.id, after.version,
                after.updatedAt, actor, RoutingScope.AGENTS_ONLY, payload);
    }

    /** The conversation's routing scope: who may see events about it and its messages. */
    public static RoutingScope scopeOf(Conversation c, boolean privateToAgents) {
        return new RoutingScope(c.inboxId, c.teamId, c.assigneeId, c.contactId, privateToAgents);
    }

    private ObjectNode delta(long version, ObjectNode before, ObjectNode after, String entityKey) {
        ObjectNode changes = json.createObjectNode();
        ObjectNode previous = json.createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = after.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode old = before.get(field.getKey());
            if (!NOT_A_CHANGE.contains(field.getKey()) && !field.getValue().equals(old)) {
                changes.set(field.getKey(), field.getValue());
                previous.set(field.getKey(), old == null ? NullNode.getInstance() : old);
            }
        }
        ObjectNode payload = versioned(version);
        payload.set("changes", changes);
        payload.set("previous", previous);
        payload.set(entityKey, after);
        return payload;
    }

    private ObjectNode versioned(long version) {
        return json.createObjectNode().put("version", version);
    }

    private ObjectNode tree(Object view) {
        return json.valueToTree(view);
    }

    private static EventEnvelope envelope(String type, UUID accountId, String aggregateType, UUID aggregateId, long version,
            Instant occurredAt, Actor actor, RoutingScope scope, ObjectNode payload) {
        return new EventEnvelope(Ids.newId(), type, accountId, aggregateType, aggregateId, version, occurredAt, actor, scope, payload);
    }
}
