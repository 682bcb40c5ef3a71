package io.switchboard.conversations.domain;

import jakarta.persistence.Converter;

/** Who wrote a message. Lowercase on the wire, in the database and in the event log. */
public enum SenderKind {
    CUSTOMER, AGENT, SYSTEM;

    @Converter(autoApply = true)
    public static class Column extends LowercaseEnumConverter<SenderKind> {
        public Column() {
            super(SenderKind.class);
        }
    }
}
