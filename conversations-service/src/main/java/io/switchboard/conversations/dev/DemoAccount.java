package io.switchboard.conversations.dev;

import io.switchboard.conversations.domain.Account;
import io.switchboard.conversations.domain.Agent;
import io.switchboard.conversations.domain.Contact;
import io.switchboard.conversations.security.Caller;
import java.util.List;
import java.util.Optional;

/** The demo account's fixed names, and the callers the seeder and the traffic simulator act as. */
final class DemoAccount {

    static final String NAME = "Demo Support";
    /** Agents a person signs in as; the simulator never acts as them or takes their conversations. */
    static final List<String> PEOPLE = List.of("Alex Agent", "Bea Agent", "Sam Supervisor");
    /** Colleagues the traffic simulator plays. */
    static final List<String> SIMULATED = List.of("Cleo (simulated)", "Dan (simulated)");

    private DemoAccount() {
    }

    static Optional<Account> find() {
        return Account.<Account>find("name", NAME).firstResultOptional();
    }

    static String email(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z]+", ".").replaceAll("^\\.|\\.$", "") + "@demo.switchboard.local";
    }

    static Caller operator() {
        return new Caller(Caller.Kind.OPERATOR, null, null, null, "demo-seeder", null, null);
    }

    static Caller agent(Agent agent) {
        return new Caller(Caller.Kind.AGENT, agent.accountId, agent.id, agent.role, "agent:" + agent.id, agent.name, agent.email);
    }

    static Caller customer(Account account, String subject, String name) {
        return new Caller(Caller.Kind.CUSTOMER, account.id, null, null, subject, name, null);
    }

    static Caller customer(Contact contact) {
        return new Caller(Caller.Kind.CUSTOMER, contact.accountId, null, null, contact.externalId, contact.name, null);
    }
}
