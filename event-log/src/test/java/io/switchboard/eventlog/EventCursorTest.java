package io.switchboard.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventCursorTest {

    @Test
    void encodesToAnOpaqueStringAndBack() {
        EventCursor cursor = new EventCursor(9_876_543_210L, 42);
        assertThat(cursor.encode()).startsWith("v1.");
        assertThat(EventCursor.parse(cursor.encode())).isEqualTo(cursor);
        assertThat(EventCursor.parse(EventCursor.ORIGIN.encode())).isEqualTo(EventCursor.ORIGIN);
    }

    @Test
    void ordersByTransactionThenSequence() {
        assertThat(new EventCursor(2, 1)).isGreaterThan(new EventCursor(1, 99));
        assertThat(new EventCursor(2, 5)).isGreaterThan(new EventCursor(2, 4));
        assertThat(EventCursor.max(new EventCursor(3, 1), new EventCursor(2, 9))).isEqualTo(new EventCursor(3, 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "v1.", "v1.abc", "v1..1", "v1.1.", "v1.1.2.3", "v2.1.2", "v1.-1.2", "v1.zz!.1",
            "v1.1y2p0ij32e8e8.1", "12345"})
    void rejectsAnythingItDidNotProduce(String text) {
        assertThatThrownBy(() -> EventCursor.parse(text)).isInstanceOf(InvalidCursorException.class);
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> EventCursor.parse(null)).isInstanceOf(InvalidCursorException.class);
    }
}
