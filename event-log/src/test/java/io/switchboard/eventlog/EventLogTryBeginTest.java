package io.switchboard.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@link EventLogWriter#tryBegin}: announces the transaction, takes the ordering locks that are free and names
 * the ones another transaction holds, without waiting and without taking a transaction id.
 */
class EventLogTryBeginTest {

    private final TestDatabase database = LogFixture.database();
    private final EventLogWriter writer = new EventLogWriter();

    @Test
    void takesTheFreeLocksNamesTheHeldOnesAndWaitsForNobody() throws Exception {
        UUID held = UUID.randomUUID();
        UUID free = UUID.randomUUID();
        try (Connection holder = LogFixture.transaction(database); Connection trying = LogFixture.transaction(database)) {
            writer.begin(holder, held);

            long started = System.nanoTime();
            Set<UUID> busy = writer.tryBegin(trying, List.of(held, free));
            assertThat(busy).containsExactly(held);
            assertThat((System.nanoTime() - started) / 1_000_000).as("ms, no waiting").isLessThan(2_000);
            assertThat(announced(trying)).isTrue();
            assertThat(transactionId(trying)).as("no transaction id taken").isNull();

            // it holds the free one now: the holder's own try sees it held
            assertThat(writer.tryBegin(holder, List.of(free))).containsExactly(free);
            // and it may write events of the aggregate it locked
            writer.append(trying, List.of(LogFixture.event(free, 1)));
            trying.rollback();
            holder.rollback();
        }
    }

    @Test
    void nothingToLockOnlyAnnounces() throws Exception {
        try (Connection connection = LogFixture.transaction(database)) {
            assertThat(writer.tryBegin(connection, List.of())).isEmpty();
            assertThat(announced(connection)).isTrue();
            connection.rollback();
        }
    }

    private static boolean announced(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT current_setting('event_log.writer', true) = 'announced'")) {
            row.next();
            return row.getBoolean(1);
        }
    }

    private static Long transactionId(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT pg_current_xact_id_if_assigned()::text::bigint")) {
            row.next();
            long id = row.getLong(1);
            return row.wasNull() ? null : id;
        }
    }
}
