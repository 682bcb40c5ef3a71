package io.switchboard.conversations.domain;

import jakarta.persistence.Converter;

/** What a message carries; all but text carry attachments (URL plus metadata). Lowercase on the wire, in the database and in the event log. */
public enum MessageType {
    TEXT, IMAGE, FILE, AUDIO, VIDEO;

    @Converter(autoApply = true)
    public static class Column extends LowercaseEnumConverter<MessageType> {
        public Column() {
            super(MessageType.class);
        }
    }
}
