package io.switchboard.gateway.isolation;

import io.switchboard.testing.Tenant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The model: what the workload did, in the order it did it, on a logical clock (one tick per action). It
 * knows every entity's account, every conversation's routing scope by version, every agent's memberships
 * over time and which messages are private, so the oracle can decide from the README's rules alone whether
 * a frame was allowed, independently of the gateway's code.
 */
final class World {

    /** Who may see a conversation: its inbox, team, assignee and customer (README, "Who sees what"). */
    record Scope(UUID inboxId, UUID teamId, UUID assigneeId, UUID contactId) {
    }

    record Memberships(long time, Set<UUID> inboxIds, Set<UUID> teamIds) {
    }

    /** A scope that holds from {@code fromVersion} of the conversation on, set at {@code time}. */
    record ScopeSegment(long fromVersion, long time, Scope scope) {
    }

    record MessageFact(UUID conversationId, long time, Scope scope, boolean privateNote) {
    }

    static final class Account {
        final Tenant tenant;
        final UUID inboxB;
        final UUID teamU;
        final Set<UUID> ids = new HashSet<>();
        final List<Agent> agents = new ArrayList<>();
        final List<Customer> customers = new ArrayList<>();
        final List<Conversation> conversations = new ArrayList<>();

        Account(Tenant tenant, UUID inboxB, UUID teamU) {
            this.tenant = tenant;
            this.inboxB = inboxB;
            this.teamU = teamU;
            ids.add(tenant.accountId());
            ids.add(tenant.inboxId());
            ids.add(tenant.teamId());
            ids.add(inboxB);
            ids.add(teamU);
        }

        UUID id() {
            return tenant.accountId();
        }
    }

    /** Someone holding connections: an agent (with a role) or a customer. */
    abstract static sealed class Party permits Agent, Customer {
        final Account account;
        final String token;
        final String label;

        Party(Account account, String token, String label) {
            this.account = account;
            this.token = token;
            this.label = label;
        }
    }

    static final class Agent extends Party {
        final UUID id;
        final String role;
        final List<Memberships> memberships = new ArrayList<>();

        Agent(Account account, UUID id, String role, String token, String label, Set<UUID> inboxIds, Set<UUID> teamIds) {
            super(account, token, label);
            this.id = id;
            this.role = role;
            memberships.add(new Memberships(0, inboxIds, teamIds));
        }

        boolean seesWholeAccount() {
            return role.equals("admin") || role.equals("supervisor");
        }

        Memberships current() {
            return memberships.get(memberships.size() - 1);
        }

        /** The memberships in force at some moment of [from, to]. */
        List<Memberships> during(long from, long to) {
            return inForce(memberships, Memberships::time, from, to);
        }
    }

    static final class Customer extends Party {
        final String subject;
        UUID contactId;

        Customer(Account account, String subject, String token) {
            super(account, token, "customer " + subject);
            this.subject = subject;
        }
    }

    static final class Conversation {
        final UUID id;
        final Account account;
        final Customer customer;
        final List<ScopeSegment> scopes = new ArrayList<>();
        final long createdAt;
        long version;
        String status = "open";
        boolean archived;
        boolean rated;

        Conversation(UUID id, Account account, Customer customer, long time, long version, Scope scope) {
            this.id = id;
            this.account = account;
            this.customer = customer;
            this.createdAt = time;
            this.version = version;
            scopes.add(new ScopeSegment(1, time, scope));
        }

        Scope scope() {
            return scopes.get(scopes.size() - 1).scope();
        }

        int segmentOf(long version) {
            int found = 0;
            for (int i = 0; i < scopes.size(); i++) {
                if (scopes.get(i).fromVersion() <= version) {
                    found = i;
                }
            }
            return found;
        }

        List<Scope> scopesDuring(long from, long to) {
            return inForce(scopes, ScopeSegment::time, from, to).stream().map(ScopeSegment::scope).toList();
        }
    }

    /** Of a history (each entry in force from its time until the next one's), the entries in force at some moment of [from, to]. */
    static <T> List<T> inForce(List<T> history, java.util.function.ToLongFunction<T> since, long from, long to) {
        List<T> result = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            long until = i + 1 < history.size() ? since.applyAsLong(history.get(i + 1)) : Long.MAX_VALUE;
            if (since.applyAsLong(history.get(i)) <= to && until > from) {
                result.add(history.get(i));
            }
        }
        return result;
    }

    final List<Account> accounts = new ArrayList<>();
    final Map<UUID, Account> accountOf = new HashMap<>();
    final Map<UUID, Conversation> conversations = new HashMap<>();
    final Map<UUID, MessageFact> messages = new HashMap<>();
    /** csat rating id → conversation id */
    final Map<UUID, UUID> ratings = new HashMap<>();
    final Map<UUID, Agent> agents = new HashMap<>();
    /** conversation id → time of the last typing signal sent in it */
    final Map<UUID, Long> lastTyping = new HashMap<>();
    long clock;

    long tick() {
        return ++clock;
    }

    void own(Account account, UUID id) {
        account.ids.add(id);
        accountOf.put(id, account);
    }

    Account add(Account account) {
        accounts.add(account);
        for (UUID id : account.ids) {
            accountOf.put(id, account);
        }
        return account;
    }

    Agent addAgent(Account account, Agent agent) {
        account.agents.add(agent);
        agents.put(agent.id, agent);
        own(account, agent.id);
        return agent;
    }

    Conversation addConversation(Conversation conversation) {
        conversation.account.conversations.add(conversation);
        conversations.put(conversation.id, conversation);
        own(conversation.account, conversation.id);
        return conversation;
    }

    // ---- the rules (README "Who sees what"), applied to the model ----

    static boolean sees(Party party, Memberships memberships, Scope scope) {
        if (party instanceof Customer customer) {
            return customer.contactId != null && customer.contactId.equals(scope.contactId());
        }
        Agent agent = (Agent) party;
        return agent.seesWholeAccount()
                || agent.id.equals(scope.assigneeId())
                || memberships.inboxIds().contains(scope.inboxId())
                || (scope.teamId() != null && memberships.teamIds().contains(scope.teamId()));
    }

    /** Whether the party could see any of these scopes with the memberships it held at some moment of [from, to]. */
    static boolean couldSee(Party party, List<Scope> scopes, long from, long to) {
        List<Memberships> held = party instanceof Agent agent ? agent.during(from, to) : List.of(new Memberships(0, Set.of(), Set.of()));
        for (Memberships memberships : held) {
            for (Scope scope : scopes) {
                if (sees(party, memberships, scope)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the party may see the conversation now (what REST answers). */
    static boolean seesNow(Party party, Conversation conversation) {
        Memberships now = party instanceof Agent agent ? agent.current() : null;
        return sees(party, now == null ? new Memberships(0, Set.of(), Set.of()) : now, conversation.scope());
    }
}
