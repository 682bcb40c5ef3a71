package io.switchboard.eventlog;

import java.util.List;

/** The answer to "everything after cursor C": a batch, or a reason the reader must reload instead. */
public sealed interface ReadResult {

    /**
     * Events after the requested cursor, in log order. {@code next} is where the following read starts.
     * {@code heldBack} means newer events are committed but an older writer transaction is still open, so
     * they cannot be returned yet without risking a gap; read again shortly. {@code blockedBy} is then the
     * id of that transaction (0 otherwise). {@code watermark} is the retention watermark: cursors below it
     * are expired.
     */
    record Batch(List<LoggedEvent> events, EventCursor next, boolean heldBack, boolean hasMore, EventCursor watermark, long blockedBy)
            implements ReadResult {
    }

    /** The cursor points at events already removed by retention. */
    record CursorExpired(EventCursor requested, EventCursor oldestAvailable) implements ReadResult {
    }

    /** The cursor lies beyond anything this log has written (another database, or a forged value). */
    record CursorUnknown(EventCursor requested, EventCursor head) implements ReadResult {
    }
}
