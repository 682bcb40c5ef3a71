package io.switchboard.gateway.events;

import io.switchboard.eventlog.EventCursor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
    /** Per conversation, its newest event in the window (so a new subscriber can start from its latest state). */
    private final Map<UUID, RoutedEvent> latestByConversation = new HashMap<>();

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
            dropFirst();
        }
        int index = (first + size) % ring.length;
        ring[index] = event;
        cursors[index] = event.logged().cursor();
        size++;
        if (event.isConversationEvent()) {
            latestByConversation.put(event.conversationId(), event);
        }
    }

    private void dropFirst() {
        RoutedEvent dropped = ring[first];
        if (dropped.isConversationEvent()) {
            latestByConversation.remove(dropped.conversationId(), dropped);
        }
        ring[first] = null;
        first = (first + 1) % ring.length;
        size--;
    }

    /** The newest state of a conversation among the events in the window, or null. */
    ConversationState latestState(UUID conversationId) {
        RoutedEvent latest = latestByConversation.get(conversationId);
        return latest == null ? null : latest.after();
    }

    /**
     * Drops events at or below the retention watermark: a cursor older than retention must get the same
     * "expired" answer from every instance, whatever this one still remembers.
     */
    void expire(EventCursor watermark) {
        while (size > 0 && cursors[first].compareTo(watermark) <= 0) {
            dropFirst();
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
