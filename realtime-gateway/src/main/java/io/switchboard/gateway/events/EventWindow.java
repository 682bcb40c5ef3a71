package io.switchboard.gateway.events;

import io.switchboard.eventlog.EventCursor;
import java.util.ArrayList;
import java.util.List;

/**
 * The most recent events in log order, kept in memory so most resumes need no database read. Covers the
 * positions after {@link #start()} up to the newest event. Used by the router thread only.
 */
final class EventWindow {

    private final RoutedEvent[] ring;
    private final EventCursor[] cursors;
    private int first;
    private int size;
    private EventCursor start;

    EventWindow(int capacity, EventCursor start) {
        this.ring = new RoutedEvent[capacity];
        this.cursors = new EventCursor[capacity];
        this.start = start;
    }

    /** Positions after this one are all in the window. */
    EventCursor start() {
        return start;
    }

    int size() {
        return size;
    }

    void add(RoutedEvent event) {
        if (size == ring.length) {
            start = cursors[first];
            ring[first] = null;
            first = (first + 1) % ring.length;
            size--;
        }
        int index = (first + size) % ring.length;
        ring[index] = event;
        cursors[index] = event.logged().cursor();
        size++;
    }

    /**
     * Drops events at or below the retention watermark: a cursor older than retention must get the same
     * "expired" answer from every instance, whatever this one still remembers.
     */
    void expire(EventCursor watermark) {
        while (size > 0 && cursors[first].compareTo(watermark) <= 0) {
            ring[first] = null;
            first = (first + 1) % ring.length;
            size--;
        }
        if (watermark.isAfter(start)) {
            start = watermark;
        }
    }

    /** Whether a replay from {@code after} can be served from memory. */
    boolean covers(EventCursor after) {
        return after.compareTo(start) >= 0;
    }

    /** The events after {@code after}, oldest first; call only when {@link #covers} holds. */
    List<RoutedEvent> after(EventCursor after) {
        int low = 0;
        int high = size;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (cursors[(first + mid) % ring.length].compareTo(after) <= 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        List<RoutedEvent> events = new ArrayList<>(size - low);
        for (int i = low; i < size; i++) {
            events.add(ring[(first + i) % ring.length]);
        }
        return events;
    }
}
