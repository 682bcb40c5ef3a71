package io.switchboard.conversations.domain;

import jakarta.persistence.Converter;

/** A conversation's priority. Lowercase on the wire, in the database and in the event log. */
public enum Priority {
    LOW, MEDIUM, HIGH, URGENT;

    @Converter(autoApply = true)
    public static class Column extends LowercaseEnumConverter<Priority> {
        public Column() {
            super(Priority.class);
        }
    }
}
