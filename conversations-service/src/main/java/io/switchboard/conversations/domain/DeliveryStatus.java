package io.switchboard.conversations.domain;

import jakarta.persistence.Converter;

/** A message's delivery state: sent, delivered, read (forward only), or failed. Lowercase on the wire, in the database and in the event log. */
public enum DeliveryStatus {
    SENT, DELIVERED, READ, FAILED;

    @Converter(autoApply = true)
    public static class Column extends LowercaseEnumConverter<DeliveryStatus> {
        public Column() {
            super(DeliveryStatus.class);
        }
    }
}
