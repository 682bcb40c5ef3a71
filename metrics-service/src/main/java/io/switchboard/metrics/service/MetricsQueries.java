package io.switchboard.metrics.service;

import io.switchboard.metrics.domain.Figures;
import io.switchboard.metrics.domain.Reports.AgentPerformance;
import io.switchboard.metrics.domain.Reports.CsatFigures;
import io.switchboard.metrics.domain.Reports.HourCount;
import io.switchboard.metrics.domain.Reports.Overview;
import io.switchboard.metrics.domain.Reports.QueueFigures;
import io.switchboard.metrics.domain.Reports.RatingShare;
import io.switchboard.metrics.domain.Reports.TeamPerformance;
import io.switchboard.metrics.domain.TimeRange;
import io.switchboard.metrics.fold.Buckets;
import io.switchboard.metrics.fold.EventFolder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;

/** Reads figures from the rollups: sums over the range's buckets, never over raw history. */
final class MetricsQueries {

    static final List<String> MESSAGE_TYPES = List.of("text", "image", "file", "audio", "video");
    static final List<String> DELIVERY_STATUSES = List.of("sent", "delivered", "read", "failed");

    private MetricsQueries() {
    }

    static ZoneId accountZone(Connection connection, UUID account) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT time_zone FROM metrics.accounts WHERE id = ?")) {
            query.setObject(1, account);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? ZoneId.of(row.getString(1)) : ZoneId.of("UTC");
            }
        }
    }

    static CsatFigures csat(Connection connection, UUID account, TimeRange range, Filters filters) throws SQLException {
        long[] counts = new long[6];
        for (long[] row : Sql.rollup("SELECT rating, sum(ratings)", "csat_rollup", account, range.from(), range.to(), filters)
                .then("GROUP BY rating").list(connection, r -> new long[] {r.getInt(1), r.getLong(2)})) {
            counts[(int) row[0]] = row[1];
        }
        long ratings = 0;
        long sum = 0;
        for (int rating = 1; rating <= 5; rating++) {
            ratings += counts[rating];
            sum += rating * counts[rating];
        }
        List<RatingShare> distribution = new ArrayList<>();
        for (int rating = 1; rating <= 5; rating++) {
            distribution.add(new RatingShare(rating, counts[rating], Figures.percent(counts[rating], ratings)));
        }
        long resolved = Sql.rollup("SELECT coalesce(sum(conversations), 0)", "conversation_rollup", account, range.from(),
                range.to(), filters).and("measure = ?", EventFolder.RESOLVED).list(connection, r -> r.getLong(1)).get(0);
        return new CsatFigures(ratings, Figures.ratio(sum, ratings), Figures.percent(counts[4] + counts[5], ratings),
                distribution, resolved, Figures.percent(ratings, resolved));
    }

    /** Message totals: {@code [total, incoming, outgoing]}, by type and by status. */
    record MessageTotals(long[] directions, Map<String, Long> byType, Map<String, Long> byStatus) {
    }

    static MessageTotals messageTotals(Connection connection, UUID account, TimeRange range, Filters filters)
            throws SQLException {
        Map<String, Long> byType = zeros(MESSAGE_TYPES);
        Map<String, Long> byStatus = zeros(DELIVERY_STATUSES);
        long[] directions = new long[3];
        Sql query = Sql.rollup("SELECT message_type, direction, status, sum(messages)", "message_rollup", account,
                range.from(), range.to(), filters).then("GROUP BY message_type, direction, status");
        for (Object[] row : query.list(connection, r -> new Object[] {r.getString(1), r.getString(2), r.getString(3), r.getLong(4)})) {
            long count = (Long) row[3];
            byType.merge((String) row[0], count, Long::sum);
            byStatus.merge((String) row[2], count, Long::sum);
            directions[0] += count;
            directions[EventFolder.INCOMING.equals(row[1]) ? 1 : 2] += count;
        }
        return new MessageTotals(directions, byType, byStatus);
    }

    /** Messages per hour of the zone over the range; hours without messages are present with zero. */
    static List<HourCount> perHour(Connection connection, UUID account, TimeRange range, Filters filters) throws SQLException {
        TreeMap<Instant, Long> buckets = new TreeMap<>();
        Sql query = Sql.rollup("SELECT bucket, sum(messages)", "message_rollup", account, range.from(), range.to(), filters)
                .then("GROUP BY bucket");
        for (Object[] row : query.list(connection, r -> new Object[] {r.getTimestamp(1).toInstant(), r.getLong(2)})) {
            buckets.put((Instant) row[0], (Long) row[1]);
        }
        return hourly(range, buckets);
    }

    /**
     * The hourly series of a range from quarter-hour buckets. Walks the instants quarter by quarter (the rollups'
     * bucket size) and starts a point whenever the local hour or the offset changes: every step moves forward
     * whatever the zone's clocks do (30-minute shifts, repeated and skipped hours), and each bucket lands in
     * exactly one point.
     */
    static List<HourCount> hourly(TimeRange range, NavigableMap<Instant, Long> buckets) {
        List<HourCount> series = new ArrayList<>();
        ZoneId zone = range.zone();
        Instant start = range.from();
        ZonedDateTime startLocal = start.atZone(zone);
        Instant quarter = start;
        while (quarter.isBefore(range.to())) {
            Instant next = quarter.plusSeconds(Buckets.SECONDS);
            if (next.isAfter(range.to())) {
                next = range.to();
            }
            ZonedDateTime nextLocal = next.atZone(zone);
            boolean pointEnds = !next.isBefore(range.to()) || !nextLocal.getOffset().equals(startLocal.getOffset())
                    || !nextLocal.truncatedTo(ChronoUnit.HOURS).toLocalDateTime().equals(startLocal.truncatedTo(ChronoUnit.HOURS).toLocalDateTime());
            if (pointEnds) {
                long count = buckets.subMap(start, next).values().stream().mapToLong(Long::longValue).sum();
                series.add(new HourCount(startLocal.toOffsetDateTime(), count));
                start = next;
                startLocal = nextLocal;
            }
            quarter = next;
        }
        return series;
    }

    /** Per agent of the account (or just {@code onlyAgent}), in name order. */
    static List<AgentPerformance> agents(Connection connection, UUID account, TimeRange range, Filters filters)
            throws SQLException {
        Map<UUID, long[]> conversations = new HashMap<>(); // handled, resolved, resolution µs, first replies, first reply µs
        Sql query = Sql.rollup("SELECT agent_id, measure, sum(conversations), sum(duration_micros)", "conversation_rollup",
                account, range.from(), range.to(), filters).and("agent_id IS NOT NULL").then("GROUP BY agent_id, measure");
        for (Object[] row : query.list(connection, r -> new Object[] {r.getObject(1, UUID.class), r.getString(2), r.getLong(3), r.getLong(4)})) {
            addMeasure(conversations.computeIfAbsent((UUID) row[0], k -> new long[5]), (String) row[1], (Long) row[2], (Long) row[3]);
        }
        Map<UUID, long[]> ratings = new HashMap<>(); // ratings, satisfied
        Sql csat = Sql.rollup("SELECT agent_id, rating, sum(ratings)", "csat_rollup", account, range.from(), range.to(), filters)
                .and("agent_id IS NOT NULL").then("GROUP BY agent_id, rating");
        for (Object[] row : csat.list(connection, r -> new Object[] {r.getObject(1, UUID.class), r.getInt(2), r.getLong(3)})) {
            long[] sums = ratings.computeIfAbsent((UUID) row[0], k -> new long[2]);
            sums[0] += (Long) row[2];
            sums[1] += (Integer) row[1] >= 4 ? (Long) row[2] : 0;
        }
        List<AgentPerformance> agents = new ArrayList<>();
        String agentQuery = "SELECT id, name, status FROM metrics.agents WHERE account_id = ?"
                + (filters.agentId() != null ? " AND id = ?" : "") + " ORDER BY name, id";
        try (PreparedStatement statement = connection.prepareStatement(agentQuery)) {
            statement.setObject(1, account);
            if (filters.agentId() != null) {
                statement.setObject(2, filters.agentId());
            }
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    UUID id = row.getObject(1, UUID.class);
                    long[] c = conversations.getOrDefault(id, new long[5]);
                    long[] r = ratings.getOrDefault(id, new long[2]);
                    agents.add(new AgentPerformance(id, row.getString(2), row.getString(3), c[0], c[1],
                            Figures.seconds(c[4], c[3]), Figures.seconds(c[2], c[1]), r[0], Figures.percent(r[1], r[0])));
                }
            }
        }
        return agents;
    }

    /** Per team (conversations' current team); conversations without a team are left out. */
    static List<TeamPerformance> teams(Connection connection, UUID account, TimeRange range, Filters filters)
            throws SQLException {
        Map<UUID, long[]> teams = new LinkedHashMap<>();
        Sql query = Sql.rollup("SELECT team_id, measure, sum(conversations), sum(duration_micros)", "conversation_rollup",
                account, range.from(), range.to(), filters).and("team_id IS NOT NULL").then("GROUP BY team_id, measure ORDER BY team_id");
        for (Object[] row : query.list(connection, r -> new Object[] {r.getObject(1, UUID.class), r.getString(2), r.getLong(3), r.getLong(4)})) {
            addMeasure(teams.computeIfAbsent((UUID) row[0], k -> new long[5]), (String) row[1], (Long) row[2], (Long) row[3]);
        }
        List<TeamPerformance> result = new ArrayList<>();
        teams.forEach((team, c) -> result.add(new TeamPerformance(team, c[0], c[1], Figures.seconds(c[4], c[3]),
                Figures.seconds(c[2], c[1]))));
        return result;
    }

    static QueueFigures queue(Connection connection, UUID account, String position) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT depth, waiting, average_wait_micros, longest_wait_micros, computed_at
                  FROM metrics.queue_snapshots WHERE account_id = ?""")) {
            query.setObject(1, account);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return new QueueFigures(0, 0, null, null, null, position);
                }
                int waiting = row.getInt(2);
                return new QueueFigures(row.getInt(1), waiting, Figures.seconds(row.getLong(3), waiting == 0 ? 0 : 1),
                        Figures.seconds(row.getLong(4), waiting == 0 ? 0 : 1), row.getTimestamp(5).toInstant(), position);
            }
        }
    }

    static Overview overview(Connection connection, UUID account, TimeRange today, String position) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT (SELECT count(*) FROM metrics.active_conversations WHERE account_id = ?),
                       (SELECT count(*) FROM metrics.active_conversations
                         WHERE account_id = ? AND status = 'open' AND assignee_id IS NULL),
                       (SELECT count(*) FROM metrics.agents WHERE account_id = ? AND status = 'online')""")) {
            query.setObject(1, account);
            query.setObject(2, account);
            query.setObject(3, account);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                long resolved = Sql.rollup("SELECT coalesce(sum(conversations), 0)", "conversation_rollup", account,
                        today.from(), today.to(), Filters.NONE).and("measure = ?", EventFolder.RESOLVED)
                        .list(connection, r -> r.getLong(1)).get(0);
                return new Overview(row.getLong(1), row.getInt(2), resolved, row.getLong(3), position);
            }
        }
    }

    private static void addMeasure(long[] sums, String measure, long conversations, long micros) {
        switch (measure) {
            case EventFolder.CREATED -> sums[0] += conversations;
            case EventFolder.RESOLVED -> {
                sums[1] += conversations;
                sums[2] += micros;
            }
            case EventFolder.FIRST_REPLY -> {
                sums[3] += conversations;
                sums[4] += micros;
            }
            default -> throw new IllegalStateException("unknown measure " + measure);
        }
    }

    private static Map<String, Long> zeros(List<String> keys) {
        Map<String, Long> map = new LinkedHashMap<>();
        keys.forEach(key -> map.put(key, 0L));
        return map;
    }
}
