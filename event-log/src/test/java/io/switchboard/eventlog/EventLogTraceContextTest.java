package io.switchboard.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import io.switchboard.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each event carries the trace context of the span that wrote it, and readers get it back unchanged. */
class EventLogTraceContextTest {

    private static TestDatabase database;

    @BeforeAll
    static void migrate() {
        database = LogFixture.database();
    }

    @Test
    void eventsWrittenInsideASpanCarryItsTraceparentAndOthersNone() throws Exception {
        SpanContext writer = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", TraceFlags.getSampled(),
                TraceState.getDefault());
        EventCursor start = LogFixture.head(database);
        try (Connection connection = LogFixture.transaction(database)) {
            UUID aggregate = LogFixture.newAggregate(connection);
            try (Scope ignored = Span.wrap(writer).makeCurrent()) {
                LogFixture.changeAggregate(connection, aggregate, 2);
            }
            LogFixture.changeAggregate(connection, aggregate, 1);
            connection.commit();
        }

        List<LoggedEvent> events = ((ReadResult.Batch) LogFixture.read(database, start, 10)).events();
        assertThat(events).extracting(LoggedEvent::traceparent)
                .containsExactly("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null);
        SpanContext parsed = TraceContext.parse(events.get(0).traceparent());
        assertThat(parsed.getTraceId()).isEqualTo(writer.getTraceId());
        assertThat(parsed.getSpanId()).isEqualTo(writer.getSpanId());
        assertThat(parsed.isSampled()).isTrue();
        assertThat(parsed.isRemote()).isTrue();
    }

    @Test
    void malformedTraceparentsAreNeitherStoredNorParsed() throws Exception {
        assertThat(TraceContext.parse(null)).isNull();
        assertThat(TraceContext.parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isNull();
        assertThat(TraceContext.parse("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")).isNull();
        assertThat(TraceContext.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).isNull();
        assertThat(TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra")).isNull();
        assertThat(TraceContext.currentTraceparent()).isNull();

        try (Connection connection = LogFixture.transaction(database)) {
            LogFixture.changeAggregate(connection, LogFixture.newAggregate(connection), 1);
            connection.commit();
        }
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute("UPDATE event_log.events SET traceparent = 'not a traceparent' "
                    + "WHERE (tx_id, seq) = (SELECT tx_id, seq FROM event_log.events LIMIT 1)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("traceparent");
        }
    }
}
