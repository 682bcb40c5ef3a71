package io.switchboard.conversations.service;

import io.switchboard.conversations.rest.dto.Page;
import io.switchboard.eventlog.EventCursor;
import java.util.List;
import java.util.function.Function;

/**
 * Keyset pages. Queries fetch one row more than the page (Panache {@code range(0, size)} is inclusive at
 * both ends), which tells whether another page exists.
 */
final class Pages {

    private Pages() {
    }

    static <E, V> Page<V> of(List<E> rows, int size, Function<E, KeysetCursor> cursorOf, Function<E, V> view, EventCursor eventCursor) {
        boolean more = rows.size() > size;
        List<E> page = more ? rows.subList(0, size) : rows;
        String next = more ? cursorOf.apply(page.get(page.size() - 1)).encode() : null;
        return new Page<>(page.stream().map(view).toList(), next, eventCursor.encode());
    }
}
