package io.switchboard.eventlog;

import java.time.Instant;

/**
 * An event read back from the log, with its position, the time the log recorded it and the W3C
 * {@code traceparent} of the span that wrote it (null when the writer was not traced).
 */
public record LoggedEvent(EventCursor cursor, EventEnvelope envelope, Instant recordedAt, String traceparent) {

    /** An event whose writer was not traced. */
    public LoggedEvent(EventCursor cursor, EventEnvelope envelope, Instant recordedAt) {
        this(cursor, envelope, recordedAt, null);
    }
}
