package io.switchboard.metrics.security;

import java.util.UUID;

/**
 * Who is asking. Supervisors and admins see their account; an agent sees its own performance; operators and
 * other Switchboard services (the gateway) name the account they ask about.
 */
public record Caller(Kind kind, UUID accountId, UUID agentId) {

    public enum Kind { OPERATOR, SERVICE, SUPERVISOR, AGENT, CUSTOMER }

    public boolean seesWholeAccount() {
        return kind != Kind.AGENT && kind != Kind.CUSTOMER;
    }
}
