package io.switchboard.conversations.domain;

import jakarta.persistence.Converter;

/** The status an agent chose. Lowercase on the wire, in the database and in the event log. */
public enum AgentStatus {
    ONLINE, BUSY, AWAY, OFFLINE;

    @Converter(autoApply = true)
    public static class Column extends LowercaseEnumConverter<AgentStatus> {
        public Column() {
            super(AgentStatus.class);
        }
    }
}
