package io.switchboard.metrics.fold;

import io.switchboard.metrics.fold.RollupDeltas.ActiveConversation;
import io.switchboard.metrics.fold.RollupDeltas.AgentState;
import io.switchboard.metrics.fold.RollupDeltas.ConversationKey;
import io.switchboard.metrics.fold.RollupDeltas.CsatKey;
import io.switchboard.metrics.fold.RollupDeltas.MessageKey;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Writes a batch's {@link RollupDeltas}: one set-based statement per table (arrays unnested server-side),
 * whatever the number of events, so a tick costs what changed.
 */
public final class RollupStore {

    private static final String MESSAGES = """
            INSERT INTO metrics.message_rollup AS r
                   (account_id, bucket, inbox_id, agent_id, message_type, direction, status, messages)
            SELECT a::uuid, b::timestamptz, i::uuid, g::uuid, t, d, s, n
              FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[])
                   AS x(a, b, i, g, t, d, s, n)
            ON CONFLICT ON CONSTRAINT message_rollup_key DO UPDATE SET messages = r.messages + excluded.messages""";

    private static final String CONVERSATIONS = """
            INSERT INTO metrics.conversation_rollup AS r
                   (account_id, bucket, measure, inbox_id, team_id, agent_id, conversations, duration_micros)
            SELECT a::uuid, b::timestamptz, m, i::uuid, t::uuid, g::uuid, n, u
              FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[])
                   AS x(a, b, m, i, t, g, n, u)
            ON CONFLICT ON CONSTRAINT conversation_rollup_key DO UPDATE
               SET conversations = r.conversations + excluded.conversations,
                   duration_micros = r.duration_micros + excluded.duration_micros""";

    private static final String RATINGS = """
            INSERT INTO metrics.csat_rollup AS r (account_id, bucket, inbox_id, agent_id, rating, ratings)
            SELECT a::uuid, b::timestamptz, i::uuid, g::uuid, v, n
              FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::smallint[], ?::bigint[]) AS x(a, b, i, g, v, n)
            ON CONFLICT ON CONSTRAINT csat_rollup_key DO UPDATE SET ratings = r.ratings + excluded.ratings""";

    private static final String AGENTS = """
            INSERT INTO metrics.agents (id, account_id, name, role, status)
            SELECT i::uuid, a::uuid, n, r, s FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS x(i, a, n, r, s)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, status = excluded.status""";

    private static final String ACCOUNTS = """
            INSERT INTO metrics.accounts (id, time_zone)
            SELECT i::uuid, z FROM unnest(?::text[], ?::text[]) AS x(i, z)
            ON CONFLICT (id) DO UPDATE SET time_zone = excluded.time_zone""";

    private static final String ACTIVE_UPSERT = """
            INSERT INTO metrics.active_conversations (id, account_id, inbox_id, status, assignee_id, waiting_since, created_at)
            SELECT i::uuid, a::uuid, b::uuid, s, g::uuid, w::timestamptz, c::timestamptz
              FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS x(i, a, b, s, g, w, c)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, assignee_id = excluded.assignee_id,
                   waiting_since = excluded.waiting_since""";

    private static final String ACTIVE_DELETE = "DELETE FROM metrics.active_conversations WHERE id = ANY (?::uuid[])";

    private static final String QUEUE = """
            INSERT INTO metrics.queue_snapshots AS q
                   (account_id, depth, waiting, average_wait_micros, longest_wait_micros, computed_at)
            SELECT t.account_id, count(c.id), count(c.waiting_since),
                   coalesce(sum(w.micros) / nullif(count(c.waiting_since), 0), 0), coalesce(max(w.micros), 0), ?
              FROM unnest(?::uuid[]) AS t(account_id)
              LEFT JOIN metrics.active_conversations c
                     ON c.account_id = t.account_id AND c.status = 'open' AND c.assignee_id IS NULL
              LEFT JOIN LATERAL (SELECT (extract(epoch FROM (?::timestamptz - c.waiting_since)) * 1000000)::bigint AS micros) w
                     ON true
             GROUP BY t.account_id
            ON CONFLICT (account_id) DO UPDATE
               SET depth = excluded.depth, waiting = excluded.waiting, average_wait_micros = excluded.average_wait_micros,
                   longest_wait_micros = excluded.longest_wait_micros, computed_at = excluded.computed_at""";

    private RollupStore() {
    }

    public static void write(Connection connection, RollupDeltas deltas) throws SQLException {
        writeMessages(connection, nonZero(deltas.messages));
        writeConversations(connection, deltas.conversations);
        writeRatings(connection, nonZero(deltas.ratings));
        writeAgents(connection, deltas.agents.values());
        writeAccounts(connection, deltas.accountTimeZones);
        writeActive(connection, deltas.activeConversations.values());
    }

    /** Recomputes the queue figures of these accounts as of {@code now}. */
    public static void refreshQueues(Connection connection, Collection<UUID> accounts, Instant now) throws SQLException {
        if (accounts.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(QUEUE)) {
            Timestamp at = Timestamp.from(now);
            statement.setTimestamp(1, at);
            statement.setArray(2, connection.createArrayOf("uuid", accounts.toArray()));
            statement.setTimestamp(3, at);
            statement.executeUpdate();
        }
    }

    private static <K> List<Map.Entry<K, long[]>> nonZero(Map<K, long[]> sums) {
        List<Map.Entry<K, long[]>> changed = new ArrayList<>();
        for (Map.Entry<K, long[]> entry : sums.entrySet()) {
            if (entry.getValue()[0] != 0) {
                changed.add(entry);
            }
        }
        return changed;
    }

    private static void writeMessages(Connection connection, List<Map.Entry<MessageKey, long[]>> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(MESSAGES)) {
            int i = 1;
            statement.setArray(i++, texts(connection, rows, e -> e.getKey().accountId()));
            statement.setArray(i++, texts(connection, rows, e -> e.getKey().bucket()));
            statement.setArray(i++, texts(connection, rows, e -> e.getKey().inboxId()));
            statement.setArray(i++, texts(connection, rows, e -> e.getKey().agentId()));
            statement.setArray(i++, texts(connection, rows, e -> e.getKey().type()));
            statement.setArray(i++, texts(connection, rows, e -> e.getKey().direction()));
            statement.setArray(i++, texts(connection, rows, e -> e.getKey().status()));
            statement.setArray(i, longs(connection, rows, 0));
            statement.executeUpdate();
        }
    }

    private static void writeConversations(Connection connection, Map<ConversationKey, long[]> sums) throws SQLException {
        List<Map.Entry<ConversationKey, long[]>> rows = new ArrayList<>();
        for (Map.Entry<ConversationKey, long[]> entry : sums.entrySet()) {
            if (entry.getValue()[0] != 0 || entry.getValue()[1] != 0) {
                rows.add(entry);
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(CONVERSATIONS)) {
            int i = 1;
            statement.setArray(i++, texts(connection, rows, e -> e.getKey().accountId()));
            statement.setArray(i++, texts(connection, rows, e -> e.getKey().bucket()));
            statement.setArray(i++, texts(connection, rows, e -> e.getKey().measure()));
            statement.setArray(i++, texts(connection, rows, e -> e.getKey().inboxId()));
            statement.setArray(i++, texts(connection, rows, e -> e.getKey().teamId()));
            statement.setArray(i++, texts(connection, rows, e -> e.getKey().agentId()));
            statement.setArray(i++, longs(connection, rows, 0));
            statement.setArray(i, longs(connection, rows, 1));
            statement.executeUpdate();
        }
    }

    private static void writeRatings(Connection connection, List<Map.Entry<CsatKey, long[]>> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(RATINGS)) {
            int i = 1;
            statement.setArray(i++, texts(connection, rows, e -> e.getKey().accountId()));
            statement.setArray(i++, texts(connection, rows, e -> e.getKey().bucket()));
            statement.setArray(i++, texts(connection, rows, e -> e.getKey().inboxId()));
            statement.setArray(i++, texts(connection, rows, e -> e.getKey().agentId()));
            statement.setArray(i++, connection.createArrayOf("int2",
                    rows.stream().map(e -> (short) e.getKey().rating()).toArray()));
            statement.setArray(i, longs(connection, rows, 0));
            statement.executeUpdate();
        }
    }

    private static void writeAgents(Connection connection, Collection<AgentState> agents) throws SQLException {
        if (agents.isEmpty()) {
            return;
        }
        List<AgentState> rows = List.copyOf(agents);
        try (PreparedStatement statement = connection.prepareStatement(AGENTS)) {
            statement.setArray(1, texts(connection, rows, AgentState::id));
            statement.setArray(2, texts(connection, rows, AgentState::accountId));
            statement.setArray(3, texts(connection, rows, AgentState::name));
            statement.setArray(4, texts(connection, rows, AgentState::role));
            statement.setArray(5, texts(connection, rows, AgentState::status));
            statement.executeUpdate();
        }
    }

    private static void writeAccounts(Connection connection, Map<UUID, String> zones) throws SQLException {
        if (zones.isEmpty()) {
            return;
        }
        List<Map.Entry<UUID, String>> rows = List.copyOf(zones.entrySet());
        try (PreparedStatement statement = connection.prepareStatement(ACCOUNTS)) {
            statement.setArray(1, texts(connection, rows, Map.Entry::getKey));
            statement.setArray(2, texts(connection, rows, Map.Entry::getValue));
            statement.executeUpdate();
        }
    }

    private static void writeActive(Connection connection, Collection<ActiveConversation> states) throws SQLException {
        List<ActiveConversation> active = states.stream().filter(ActiveConversation::active).toList();
        List<ActiveConversation> gone = states.stream().filter(s -> !s.active()).toList();
        if (!gone.isEmpty()) {
            try (PreparedStatement statement = connection.prepareStatement(ACTIVE_DELETE)) {
                statement.setArray(1, connection.createArrayOf("uuid", gone.stream().map(ActiveConversation::id).toArray()));
                statement.executeUpdate();
            }
        }
        if (!active.isEmpty()) {
            try (PreparedStatement statement = connection.prepareStatement(ACTIVE_UPSERT)) {
                statement.setArray(1, texts(connection, active, ActiveConversation::id));
                statement.setArray(2, texts(connection, active, ActiveConversation::accountId));
                statement.setArray(3, texts(connection, active, ActiveConversation::inboxId));
                statement.setArray(4, texts(connection, active, ActiveConversation::status));
                statement.setArray(5, texts(connection, active, ActiveConversation::assigneeId));
                statement.setArray(6, texts(connection, active, ActiveConversation::waitingSince));
                statement.setArray(7, texts(connection, active, ActiveConversation::createdAt));
                statement.executeUpdate();
            }
        }
    }

    private static <T> Array texts(Connection connection, List<T> rows, Function<T, Object> column) throws SQLException {
        Object[] values = new Object[rows.size()];
        for (int i = 0; i < values.length; i++) {
            Object value = column.apply(rows.get(i));
            values[i] = value == null ? null : value.toString();
        }
        return connection.createArrayOf("text", values);
    }

    private static <K> Array longs(Connection connection, List<Map.Entry<K, long[]>> rows, int index) throws SQLException {
        Object[] values = new Object[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = rows.get(i).getValue()[index];
        }
        return connection.createArrayOf("int8", values);
    }
}
