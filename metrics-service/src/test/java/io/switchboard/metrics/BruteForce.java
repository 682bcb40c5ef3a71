package io.switchboard.metrics;

import io.switchboard.testing.TestDatabase;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The oracle: every figure computed from scratch over the conversations service's own tables, straight from
 * the definitions in docs/metrics.md. Deliberately naive — full scans, no rollups — so it shares no logic
 * with the service.
 */
final class BruteForce {

    private BruteForce() {
    }

    /** Figures as the API renders them: counts as longs, ratios as 2-decimal strings or null. */
    static Map<String, Object> csat(UUID account, Instant from, Instant to, UUID inbox, UUID agent) throws SQLException {
        long[] counts = new long[6];
        for (Object[] row : query("""
                SELECT r.rating, count(*) FROM conversations.csat_ratings r
                  JOIN conversations.conversations c ON c.id = r.conversation_id
                 WHERE r.account_id = ? AND r.created_at >= ? AND r.created_at < ?
                   AND (?::uuid IS NULL OR c.inbox_id = ?::uuid) AND (?::uuid IS NULL OR r.agent_id = ?::uuid)
                 GROUP BY r.rating""", account, ts(from), ts(to), inbox, inbox, agent, agent)) {
            counts[((Number) row[0]).intValue()] = ((Number) row[1]).longValue();
        }
        long ratings = 0;
        long sum = 0;
        for (int r = 1; r <= 5; r++) {
            ratings += counts[r];
            sum += r * counts[r];
        }
        long resolved = single("""
                SELECT count(*) FROM conversations.conversations
                 WHERE account_id = ? AND resolved_at >= ? AND resolved_at < ?
                   AND (?::uuid IS NULL OR inbox_id = ?::uuid) AND (?::uuid IS NULL OR assignee_id = ?::uuid)""",
                account, ts(from), ts(to), inbox, inbox, agent, agent);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("ratings", ratings);
        figures.put("averageRating", divide(sum, ratings));
        figures.put("satisfactionScore", divide((counts[4] + counts[5]) * 100, ratings));
        for (int r = 1; r <= 5; r++) {
            figures.put("count" + r, counts[r]);
            figures.put("share" + r, divide(counts[r] * 100, ratings));
        }
        figures.put("resolvedConversations", resolved);
        figures.put("responseRate", divide(ratings * 100, resolved));
        return figures;
    }

    static Map<String, Object> messages(UUID account, Instant from, Instant to, UUID inbox, UUID agent) throws SQLException {
        Map<String, Object> figures = new TreeMap<>();
        for (String key : List.of("text", "image", "file", "audio", "video", "sent", "delivered", "read", "failed",
                "incoming", "outgoing", "total")) {
            figures.put(key, 0L);
        }
        for (Object[] row : query("""
                SELECT m.message_type, m.status, m.sender_kind, count(*) FROM conversations.messages m
                  JOIN conversations.conversations c ON c.id = m.conversation_id
                 WHERE m.account_id = ? AND m.created_at >= ? AND m.created_at < ?
                   AND NOT m.private_note AND m.sender_kind IN ('customer', 'agent')
                   AND (?::uuid IS NULL OR c.inbox_id = ?::uuid)
                   AND (?::uuid IS NULL OR (m.sender_kind = 'agent' AND m.sender_id = ?::uuid))
                 GROUP BY 1, 2, 3""", account, ts(from), ts(to), inbox, inbox, agent, agent)) {
            long count = ((Number) row[3]).longValue();
            figures.merge((String) row[0], count, (a, b) -> (Long) a + (Long) b);
            figures.merge((String) row[1], count, (a, b) -> (Long) a + (Long) b);
            figures.merge("customer".equals(row[2]) ? "incoming" : "outgoing", count, (a, b) -> (Long) a + (Long) b);
            figures.merge("total", count, (a, b) -> (Long) a + (Long) b);
        }
        return figures;
    }

    /** Non-zero message counts per local hour start (hours as offset date-times in the zone). */
    static Map<OffsetDateTime, Long> perHour(UUID account, Instant from, Instant to, ZoneId zone) throws SQLException {
        Map<OffsetDateTime, Long> hours = new TreeMap<>();
        for (Object[] row : query("""
                SELECT created_at FROM conversations.messages
                 WHERE account_id = ? AND created_at >= ? AND created_at < ?
                   AND NOT private_note AND sender_kind IN ('customer', 'agent')""", account, ts(from), ts(to))) {
            Instant at = ((Timestamp) row[0]).toInstant();
            hours.merge(at.atZone(zone).truncatedTo(ChronoUnit.HOURS).toOffsetDateTime(), 1L, Long::sum);
        }
        return hours;
    }

    /** Per agent: handled, resolved, average first response and resolution (s), ratings, satisfaction. */
    static Map<UUID, List<Object>> agents(UUID account, Instant from, Instant to) throws SQLException {
        Map<UUID, List<Object>> agents = new TreeMap<>();
        for (Object[] row : query("SELECT id FROM conversations.agents WHERE account_id = ?", account)) {
            UUID id = (UUID) row[0];
            long handled = single("""
                    SELECT count(*) FROM conversations.conversations
                     WHERE account_id = ? AND assignee_id = ? AND created_at >= ? AND created_at < ?""",
                    account, id, ts(from), ts(to));
            Object[] resolved = query("""
                    SELECT count(*), coalesce(sum((extract(epoch FROM resolved_at - created_at) * 1000000)::bigint), 0)
                      FROM conversations.conversations
                     WHERE account_id = ? AND assignee_id = ? AND resolved_at >= ? AND resolved_at < ?""",
                    account, id, ts(from), ts(to)).get(0);
            Object[] replied = query("""
                    SELECT count(*), coalesce(sum((extract(epoch FROM first_reply_at - created_at) * 1000000)::bigint), 0)
                      FROM conversations.conversations
                     WHERE account_id = ? AND assignee_id = ? AND first_reply_at >= ? AND first_reply_at < ?""",
                    account, id, ts(from), ts(to)).get(0);
            Object[] rated = query("""
                    SELECT count(*), count(*) FILTER (WHERE rating >= 4) FROM conversations.csat_ratings
                     WHERE account_id = ? AND agent_id = ? AND created_at >= ? AND created_at < ?""",
                    account, id, ts(from), ts(to)).get(0);
            long resolvedCount = ((Number) resolved[0]).longValue();
            long replies = ((Number) replied[0]).longValue();
            long ratings = ((Number) rated[0]).longValue();
            List<Object> figures = new ArrayList<>();
            figures.add(handled);
            figures.add(resolvedCount);
            figures.add(divide(((Number) replied[1]).longValue(), replies * 1_000_000));
            figures.add(divide(((Number) resolved[1]).longValue(), resolvedCount * 1_000_000));
            figures.add(ratings);
            figures.add(divide(((Number) rated[1]).longValue() * 100, ratings));
            agents.put(id, figures);
        }
        return agents;
    }

    /** depth, waiting, average wait (s), longest wait (s) as of {@code now}. */
    static List<Object> queue(UUID account, Instant now) throws SQLException {
        Object[] row = query("""
                SELECT count(*), count(waiting_since),
                       coalesce(sum((extract(epoch FROM ?::timestamptz - waiting_since) * 1000000)::bigint), 0),
                       coalesce(max((extract(epoch FROM ?::timestamptz - waiting_since) * 1000000)::bigint), 0)
                  FROM conversations.conversations
                 WHERE account_id = ? AND status = 'open' AND assignee_id IS NULL AND NOT archived""",
                ts(now), ts(now), account).get(0);
        long waiting = ((Number) row[1]).longValue();
        long total = ((Number) row[2]).longValue();
        return List.of(((Number) row[0]).longValue(), waiting,
                waiting == 0 ? "null" : divide(total / waiting, 1_000_000), waiting == 0 ? "null" : divide(((Number) row[3]).longValue(), 1_000_000));
    }

    /** active conversations, waiting, resolved in [from, to), online agents. */
    static List<Object> overview(UUID account, Instant from, Instant to) throws SQLException {
        return List.of(
                single("SELECT count(*) FROM conversations.conversations WHERE account_id = ? AND status IN ('open', 'pending') AND NOT archived", account),
                single("SELECT count(*) FROM conversations.conversations WHERE account_id = ? AND status = 'open' AND assignee_id IS NULL AND NOT archived", account),
                single("SELECT count(*) FROM conversations.conversations WHERE account_id = ? AND resolved_at >= ? AND resolved_at < ?", account, ts(from), ts(to)),
                single("SELECT count(*) FROM conversations.agents WHERE account_id = ? AND status = 'online'", account));
    }

    /** A 2-decimal half-up quotient as text, or "null" for division by zero (as the API renders it). */
    static String divide(long numerator, long denominator) {
        return denominator == 0 ? "null"
                : BigDecimal.valueOf(numerator).divide(BigDecimal.valueOf(denominator), 2, RoundingMode.HALF_UP).toPlainString();
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    private static long single(String sql, Object... parameters) throws SQLException {
        return ((Number) query(sql, parameters).get(0)[0]).longValue();
    }

    private static List<Object[]> query(String sql, Object... parameters) throws SQLException {
        try (Connection connection = TestDatabase.shared().connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<Object[]> rows = new ArrayList<>();
            try (ResultSet row = statement.executeQuery()) {
                int columns = row.getMetaData().getColumnCount();
                while (row.next()) {
                    Object[] values = new Object[columns];
                    for (int c = 0; c < columns; c++) {
                        values[c] = row.getObject(c + 1);
                    }
                    rows.add(values);
                }
            }
            return rows;
        }
    }
}
