package io.switchboard.conversations.domain;

import jakarta.persistence.Converter;

/** The entry point an inbox represents. Lowercase on the wire, in the database and in the event log. */
public enum InboxChannel {
    WEB_WIDGET, EMAIL, API;

    @Converter(autoApply = true)
    public static class Column extends LowercaseEnumConverter<InboxChannel> {
        public Column() {
            super(InboxChannel.class);
        }
    }
}
