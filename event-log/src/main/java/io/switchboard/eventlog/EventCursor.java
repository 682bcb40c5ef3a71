package io.switchboard.eventlog;

import java.util.Locale;

/**
 * A position in the event log: the writer's transaction id and the event's sequence inside it.
 * Clients see it only as an opaque string ({@link #encode()}); ordering is (txId, seq).
 */
public record EventCursor(long txId, long seq) implements Comparable<EventCursor> {

    /** The position before every event ever written. */
    public static final EventCursor ORIGIN = new EventCursor(0, 0);

    private static final String PREFIX = "v1.";

    public EventCursor {
        if (txId < 0 || seq < 0) {
            throw new InvalidCursorException("cursor components must not be negative");
        }
    }

    /** Parses a cursor produced by {@link #encode()}; anything else is an {@link InvalidCursorException}. */
    public static EventCursor parse(String text) {
        if (text == null || !text.startsWith(PREFIX) || text.length() > 64) {
            throw new InvalidCursorException("not an event-log cursor");
        }
        String body = text.substring(PREFIX.length());
        int dot = body.indexOf('.');
        if (dot <= 0 || dot == body.length() - 1 || body.indexOf('.', dot + 1) >= 0) {
            throw new InvalidCursorException("not an event-log cursor");
        }
        try {
            return new EventCursor(Long.parseLong(body.substring(0, dot), 36), Long.parseLong(body.substring(dot + 1), 36));
        } catch (NumberFormatException e) {
            throw new InvalidCursorException("not an event-log cursor");
        }
    }

    public String encode() {
        return PREFIX + Long.toString(txId, 36).toLowerCase(Locale.ROOT) + "." + Long.toString(seq, 36).toLowerCase(Locale.ROOT);
    }

    public boolean isAfter(EventCursor other) {
        return compareTo(other) > 0;
    }

    public boolean isBefore(EventCursor other) {
        return compareTo(other) < 0;
    }

    @Override
    public int compareTo(EventCursor other) {
        int byTx = Long.compare(txId, other.txId);
        return byTx != 0 ? byTx : Long.compare(seq, other.seq);
    }

    public static EventCursor max(EventCursor a, EventCursor b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public String toString() {
        return encode();
    }
}
