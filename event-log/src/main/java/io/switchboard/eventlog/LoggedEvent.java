package io.switchboard.eventlog;

import java.time.Instant;

/** An event read back from the log, with its position and the time the log recorded it. */
public record LoggedEvent(EventCursor cursor, EventEnvelope envelope, Instant recordedAt) {
}
