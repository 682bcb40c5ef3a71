package io.switchboard.conversations.security;

import io.switchboard.conversations.domain.AgentRole;
import io.switchboard.eventlog.Actor;
import java.util.UUID;

/**
 * Who is calling, as the verified token says. Agents carry an account, their agent id and role;
 * customers an account and their external subject; operators (who create accounts) and services (other
 * Switchboard services) neither.
 */
public record Caller(Kind kind, UUID accountId, UUID agentId, AgentRole role, String subject, String name, String email) {

    public enum Kind {
        AGENT, CUSTOMER, OPERATOR, SERVICE
    }

    public boolean isAgent() {
        return kind == Kind.AGENT;
    }

    public boolean isCustomer() {
        return kind == Kind.CUSTOMER;
    }

    public boolean isService() {
        return kind == Kind.SERVICE;
    }

    /** Supervisors and admins see every conversation of their account. */
    public boolean seesWholeAccount() {
        return isAgent() && (role == AgentRole.SUPERVISOR || role == AgentRole.ADMIN);
    }

    public boolean isAdmin() {
        return isAgent() && role == AgentRole.ADMIN;
    }

    /** The event-log actor for an agent or operator; customers are resolved to their contact id by the caller. */
    public Actor actor() {
        return switch (kind) {
            case AGENT -> Actor.agent(agentId);
            case OPERATOR -> new Actor(Actor.OPERATOR, null);
            case SERVICE -> new Actor(Actor.SERVICE, null);
            case CUSTOMER -> throw new IllegalStateException("a customer's actor is its contact");
        };
    }
}
