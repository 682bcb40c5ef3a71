package io.switchboard.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Thousands of events of a month of randomized support work, written through the conversations API; every
 * figure the metrics API returns must equal the brute-force computation over the conversations tables, for
 * every range, time zone and filter.
 */
@QuarkusTest
class ExactnessTest {

    private static final List<Duration> PHASES = List.of(Duration.ofDays(-29).minusHours(3), Duration.ofDays(-8),
            Duration.ofDays(-2).minusHours(5), Duration.ofHours(-20), Duration.ofHours(-2), Duration.ZERO);

    private final MetricsApi api = new MetricsApi(null);

    @Test
    void everyFigureEqualsTheBruteForceComputation() throws Exception {
        Workload workload = new Workload(20261122L);
        for (Duration offset : PHASES) {
            workload.phase(offset, 220);
        }
        assertThat(workload.requests()).isGreaterThan(1000);
        api.awaitFolded();
        assertThat(api.status().getLong("foldedEvents")).isGreaterThan(2000);
        assertEverything(api, workload);
    }

    /** Compares every report for every range, zone and filter with {@link BruteForce}. */
    static void assertEverything(MetricsApi api, Workload workload) throws Exception {
        UUID account = workload.tenant().accountId();
        String supervisor = workload.agents().get(0).token();
        UUID agent = workload.agents().get(1).id();
        UUID inbox = workload.inboxes().get(1);
        int compared = 0;
        for (String zone : List.of("", "UTC", "America/New_York")) {
            ZoneId zoneId = ZoneId.of(zone.isEmpty() ? "Asia/Kathmandu" : zone);
            for (Map<String, String> range : ranges(zoneId)) {
                Map<String, String> parameters = new HashMap<>(range);
                if (!zone.isEmpty()) {
                    parameters.put("timeZone", zone);
                }
                JsonPath csat = api.get(supervisor, "csat", parameters);
                Instant from = OffsetDateTime.parse(csat.getString("range.from")).toInstant();
                Instant to = OffsetDateTime.parse(csat.getString("range.to")).toInstant();
                assertThat(csat.getString("range.timeZone")).isEqualTo(zoneId.getId());
                assertNamedRange(range.get("range"), zoneId, from, to);
                assertCsat(csat, "current", BruteForce.csat(account, from, to, null, null));
                Instant previousFrom = from.minus(Duration.between(from, to));
                assertCsat(csat, "previous", BruteForce.csat(account, previousFrom, from, null, null));
                for (Map<String, String> filter : List.of(Map.of("inboxId", inbox.toString()), Map.of("agentId", agent.toString()))) {
                    Map<String, String> filtered = new HashMap<>(parameters);
                    filtered.putAll(filter);
                    UUID inboxFilter = filter.containsKey("inboxId") ? inbox : null;
                    UUID agentFilter = filter.containsKey("agentId") ? agent : null;
                    assertCsat(api.get(supervisor, "csat", filtered), "current",
                            BruteForce.csat(account, from, to, inboxFilter, agentFilter));
                    assertMessages(api.get(supervisor, "messages", filtered),
                            BruteForce.messages(account, from, to, inboxFilter, agentFilter));
                }
                JsonPath messages = api.get(supervisor, "messages", parameters);
                assertMessages(messages, BruteForce.messages(account, from, to, null, null));
                assertPerHour(messages, BruteForce.perHour(account, from, to, zoneId), from, to);
                assertAgents(api.get(supervisor, "agents", parameters), BruteForce.agents(account, from, to));
                compared++;
            }
        }
        assertThat(compared).isEqualTo(18);
        JsonPath queue = api.get(supervisor, "queue", Map.of());
        Instant computedAt = Instant.parse(queue.getString("computedAt"));
        assertThat(List.of(queue.getLong("depth"), queue.getLong("waiting"), MetricsApi.text(queue.get("averageWaitSeconds")),
                MetricsApi.text(queue.get("longestWaitSeconds"))).toString())
                .isEqualTo(BruteForce.queue(account, computedAt).toString());
        JsonPath overview = api.get(supervisor, "overview", Map.of());
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Kathmandu"));
        Instant midnight = today.atStartOfDay(ZoneId.of("Asia/Kathmandu")).toInstant();
        assertThat(List.of(overview.getLong("activeConversations"), overview.getLong("waiting"),
                overview.getLong("resolvedToday"), overview.getLong("onlineAgents")).toString())
                .isEqualTo(BruteForce.overview(account, midnight, midnight.plus(Duration.ofDays(1))).toString());
    }

    /** Named ranges, whole days in the zone, a custom date range and a custom quarter-hour range. */
    private static List<Map<String, String>> ranges(ZoneId zone) {
        LocalDate today = LocalDate.now(zone);
        Instant quarter = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(45)).plus(Duration.ofMinutes(15));
        List<Map<String, String>> ranges = new ArrayList<>();
        for (String name : List.of("today", "yesterday", "last7d", "last30d")) {
            ranges.add(Map.of("range", name));
        }
        ranges.add(Map.of("range", "custom", "from", today.minusDays(9).toString(), "to", today.minusDays(1).toString()));
        ranges.add(Map.of("range", "custom", "from", quarter.atOffset(java.time.ZoneOffset.UTC).toString(),
                "to", quarter.plus(Duration.ofHours(44)).atOffset(java.time.ZoneOffset.ofHours(2)).toString()));
        return ranges;
    }

    private static void assertNamedRange(String name, ZoneId zone, Instant from, Instant to) {
        LocalDate today = LocalDate.now(zone);
        LocalDate first = switch (name) {
            case "today" -> today;
            case "yesterday" -> today.minusDays(1);
            case "last7d" -> today.minusDays(6);
            case "last30d" -> today.minusDays(29);
            default -> null;
        };
        if (first != null) {
            LocalDate last = "yesterday".equals(name) ? today.minusDays(1) : today;
            assertThat(from).isEqualTo(first.atStartOfDay(zone).toInstant());
            assertThat(to).isEqualTo(last.plusDays(1).atStartOfDay(zone).toInstant());
        }
    }

    private static void assertCsat(JsonPath report, String period, Map<String, Object> expected) {
        Map<String, Object> actual = new LinkedHashMap<>();
        actual.put("ratings", report.get(period + ".ratings"));
        actual.put("averageRating", report.get(period + ".averageRating"));
        actual.put("satisfactionScore", report.get(period + ".satisfactionScore"));
        for (int r = 1; r <= 5; r++) {
            actual.put("count" + r, report.get(period + ".distribution[" + (r - 1) + "].count"));
            actual.put("share" + r, report.get(period + ".distribution[" + (r - 1) + "].share"));
        }
        actual.put("resolvedConversations", report.get(period + ".resolvedConversations"));
        actual.put("responseRate", report.get(period + ".responseRate"));
        assertThat(texts(actual)).as("CSAT %s %s", period, report.getString("range")).isEqualTo(texts(expected));
    }

    private static void assertMessages(JsonPath report, Map<String, Object> expected) {
        Map<String, Object> actual = new TreeMap<>();
        report.getMap("byType").forEach((k, v) -> actual.put(k.toString(), v));
        report.getMap("byStatus").forEach((k, v) -> actual.put(k.toString(), v));
        actual.put("incoming", report.get("incoming"));
        actual.put("outgoing", report.get("outgoing"));
        actual.put("total", report.get("total"));
        assertThat(texts(actual)).as("messages %s", report.getString("range")).isEqualTo(texts(expected));
    }

    /** Every local hour of the range is present (zero or not), and the non-zero ones match. */
    private static void assertPerHour(JsonPath report, Map<OffsetDateTime, Long> expected, Instant from, Instant to) {
        List<Map<String, Object>> series = report.getList("perHour");
        Map<Instant, Long> actual = new TreeMap<>();
        Instant previous = null;
        for (Map<String, Object> point : series) {
            Instant hour = OffsetDateTime.parse(point.get("hour").toString()).toInstant();
            if (previous == null) {
                assertThat(hour).isEqualTo(from);
            } else {
                assertThat(Duration.between(previous, hour)).isLessThanOrEqualTo(Duration.ofHours(1)).isPositive();
            }
            previous = hour;
            long count = Long.parseLong(MetricsApi.text(point.get("messages")));
            if (count > 0) {
                actual.put(hour, count);
            }
        }
        assertThat(series).isNotEmpty();
        assertThat(Duration.between(previous, to)).isLessThanOrEqualTo(Duration.ofHours(1));
        Map<Instant, Long> wanted = new TreeMap<>();
        expected.forEach((hour, count) -> wanted.merge(max(hour.toInstant(), from), count, Long::sum));
        assertThat(actual).as("per hour %s", report.getString("range")).isEqualTo(wanted);
        long peak = wanted.values().stream().mapToLong(Long::longValue).max().orElse(0);
        if (peak > 0) {
            assertThat(Long.parseLong(MetricsApi.text(report.get("peakHour.messages")))).isEqualTo(peak);
        }
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static void assertAgents(JsonPath report, Map<UUID, List<Object>> expected) {
        Map<UUID, List<String>> actual = new TreeMap<>();
        for (Map<String, Object> row : report.<Map<String, Object>>getList("agents")) {
            actual.put(UUID.fromString(row.get("agentId").toString()), Arrays.asList(row.get("handled"), row.get("resolved"),
                    row.get("averageFirstResponseSeconds"), row.get("averageResolutionSeconds"), row.get("ratings"),
                    row.get("satisfactionScore")).stream().map(MetricsApi::text).toList());
        }
        Map<UUID, List<String>> wanted = new TreeMap<>();
        expected.forEach((id, figures) -> wanted.put(id, figures.stream().map(MetricsApi::text).toList()));
        assertThat(actual).as("agents %s", report.getString("range")).isEqualTo(wanted);
    }

    private static Map<String, String> texts(Map<String, Object> figures) {
        Map<String, String> texts = new TreeMap<>();
        figures.forEach((k, v) -> texts.put(k, MetricsApi.text(v)));
        return texts;
    }
}
