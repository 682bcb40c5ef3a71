package io.switchboard.metrics.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.metrics.domain.Reports.HourCount;
import io.switchboard.metrics.domain.TimeRange;
import io.switchboard.metrics.fold.Buckets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hourly message series over the days on which clocks change, in every time zone the JVM knows: it ends,
 * moves forward point by point, and counts every quarter-hour bucket of the day exactly once, whatever the
 * zone does (30-minute shifts as on Lord Howe Island, Pyongyang's 2015 half-hour change, repeated and skipped
 * hours).
 */
class HourlySeriesTest {

    private static final Instant FIRST = LocalDate.of(2010, 1, 1).atStartOfDay(ZoneId.of("UTC")).toInstant();
    private static final Instant LAST = LocalDate.of(2030, 12, 31).atStartOfDay(ZoneId.of("UTC")).toInstant();

    @Test
    @Timeout(60)
    void everyZonesTransitionDaysGiveAFiniteForwardSeriesCountingEachBucketOnce() {
        int days = 0;
        for (String id : ZoneId.getAvailableZoneIds()) {
            ZoneId zone = ZoneId.of(id);
            for (LocalDate day : transitionDays(zone)) {
                if (!day.atStartOfDay(zone).isBefore(day.plusDays(1).atStartOfDay(zone))) {
                    continue; // a day the zone skipped entirely (Pacific/Fakaofo, 2011-12-30): no range, a 400
                }
                try {
                    check(RangeResolver.resolve("custom", day.toString(), day.toString(), zone, Instant.now()));
                } catch (io.switchboard.metrics.rest.problem.ProblemException e) {
                    throw new AssertionError(zone + " " + day + ": " + e.problem(), e);
                }
                days++;
            }
        }
        assertThat(days).as("transition days checked").isGreaterThan(1000);
    }

    @Test
    @Timeout(10)
    void theDaysThatLoopedForeverBefore() {
        List<HourCount> lordHowe = check(RangeResolver.resolve("custom", "2026-04-05", "2026-04-05", ZoneId.of("Australia/Lord_Howe"), Instant.now()));
        assertThat(lordHowe).hasSizeBetween(24, 26);
        check(RangeResolver.resolve("custom", "2015-08-14", "2015-08-15", ZoneId.of("Asia/Pyongyang"), Instant.now()));
    }

    private static List<HourCount> check(TimeRange range) {
        TreeMap<Instant, Long> buckets = new TreeMap<>();
        long quarters = 0;
        for (Instant t = Buckets.of(range.from()); t.isBefore(range.to()); t = t.plusSeconds(Buckets.SECONDS)) {
            if (!t.isBefore(range.from())) {
                buckets.put(t, 1L);
                quarters++;
            }
        }
        List<HourCount> series = MetricsQueries.hourly(range, buckets);
        assertThat(series).as("%s in %s", range.from(), range.zone()).hasSizeBetween(20, 60);
        for (int i = 1; i < series.size(); i++) {
            assertThat(series.get(i).hour().toInstant()).as("points move forward in %s", range.zone()).isAfter(series.get(i - 1).hour().toInstant());
        }
        assertThat(series.stream().mapToLong(HourCount::messages).sum()).as("every bucket of the day once, %s", range.zone()).isEqualTo(quarters);
        return series;
    }

    private static List<LocalDate> transitionDays(ZoneId zone) {
        List<LocalDate> days = new ArrayList<>();
        ZoneOffsetTransition next = zone.getRules().nextTransition(FIRST);
        while (next != null && next.getInstant().isBefore(LAST)) {
            days.add(next.getDateTimeBefore().toLocalDate());
            next = zone.getRules().nextTransition(next.getInstant());
        }
        return days;
    }
}
