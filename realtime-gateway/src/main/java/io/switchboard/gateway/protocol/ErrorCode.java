package io.switchboard.gateway.protocol;

import java.util.Locale;

/** Codes of {@code error} frames; stable, documented in asyncapi.yaml. */
public enum ErrorCode {
    INVALID_JSON,
    INVALID_FRAME,
    UNKNOWN_TYPE,
    BINARY_NOT_SUPPORTED,
    NOT_AUTHENTICATED,
    INVALID_TOKEN,
    IDENTITY_MISMATCH,
    UNKNOWN_TOPIC,
    INVALID_FILTER,
    INVALID_CURSOR,
    DUPLICATE_SUBSCRIPTION,
    UNKNOWN_SUBSCRIPTION,
    TOO_MANY_SUBSCRIPTIONS,
    FORBIDDEN,
    NOT_FOUND,
    RATE_LIMITED,
    UNAVAILABLE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
