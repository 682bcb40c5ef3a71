package io.switchboard.conversations.domain;

import jakarta.persistence.Converter;

/** A conversation's lifecycle state; a new customer message reopens it. Lowercase on the wire, in the database and in the event log. */
public enum ConversationStatus {
    OPEN, PENDING, SNOOZED, RESOLVED;

    @Converter(autoApply = true)
    public static class Column extends LowercaseEnumConverter<ConversationStatus> {
        public Column() {
            super(ConversationStatus.class);
        }
    }
}
