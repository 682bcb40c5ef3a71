package io.switchboard.conversations.domain;

import jakarta.persistence.Converter;

/** An agent's role: what it may see and do (README, "Who sees what"). Lowercase on the wire, in the database and in the event log. */
public enum AgentRole {
    AGENT, SUPERVISOR, ADMIN;

    @Converter(autoApply = true)
    public static class Column extends LowercaseEnumConverter<AgentRole> {
        public Column() {
            super(AgentRole.class);
        }
    }
}
