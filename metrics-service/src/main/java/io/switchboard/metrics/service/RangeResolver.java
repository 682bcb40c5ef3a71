package io.switchboard.metrics.service;

import io.switchboard.metrics.domain.TimeRange;
import io.switchboard.metrics.fold.Buckets;
import io.switchboard.metrics.rest.problem.Problem.Violation;
import io.switchboard.metrics.rest.problem.ProblemException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the {@code range}, {@code from}, {@code to} and {@code timeZone} parameters into a {@link TimeRange}.
 * Named ranges are whole days in the zone: {@code today}, {@code yesterday}, {@code last7d} and
 * {@code last30d} (the last 7 / 30 days including today). {@code custom} takes {@code from} and {@code to}
 * as dates (whole days in the zone; {@code to} inclusive) or as date-times with offset on quarter hours
 * ({@code to} exclusive).
 */
public final class RangeResolver {

    public static final Duration LONGEST = Duration.ofDays(400);

    private RangeResolver() {
    }

    /** The first and last day a range may touch (what the rollups and PostgreSQL can hold, with room to spare). */
    static final LocalDate EARLIEST = LocalDate.of(1970, 1, 1);
    static final LocalDate LATEST = LocalDate.of(9999, 12, 30);

    /** An IANA zone id (Europe/Berlin, UTC); a bare offset (+05:07) is refused, it may not even fall on quarter hours. */
    public static ZoneId zone(String timeZone, ZoneId accountZone) {
        if (timeZone == null || timeZone.isBlank()) {
            return accountZone;
        }
        if (!ZoneId.getAvailableZoneIds().contains(timeZone)) {
            throw ProblemException.invalid(List.of(new Violation("timeZone", "is not an IANA time zone id (such as Europe/Berlin or UTC)")));
        }
        return ZoneId.of(timeZone);
    }

    public static TimeRange resolve(String range, String from, String to, ZoneId zone, Instant now) {
        String name = range == null || range.isBlank() ? "today" : range;
        LocalDate today = now.atZone(zone).toLocalDate();
        List<Violation> violations = new ArrayList<>();
        if (!"custom".equals(name) && (from != null || to != null)) {
            violations.add(new Violation(from != null ? "from" : "to", "is only allowed with range=custom"));
        }
        TimeRange resolved = switch (name) {
            case "today" -> days(name, today, today, zone);
            case "yesterday" -> days(name, today.minusDays(1), today.minusDays(1), zone);
            case "last7d" -> days(name, today.minusDays(6), today, zone);
            case "last30d" -> days(name, today.minusDays(29), today, zone);
            case "custom" -> custom(from, to, zone, violations);
            default -> {
                violations.add(new Violation("range", "must be one of today, yesterday, last7d, last30d, custom"));
                yield null;
            }
        };
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations);
        }
        return resolved;
    }

    private static TimeRange days(String name, LocalDate first, LocalDate last, ZoneId zone) {
        return new TimeRange(name, first.atStartOfDay(zone).toInstant(), last.plusDays(1).atStartOfDay(zone).toInstant(), zone);
    }

    private static TimeRange custom(String from, String to, ZoneId zone, List<Violation> violations) {
        Instant start = bound("from", from, zone, false, violations);
        Instant end = bound("to", to, zone, true, violations);
        if (start == null || end == null) {
            return null;
        }
        if (!start.isBefore(end)) {
            violations.add(new Violation("to", "must be after from"));
        } else if (Duration.between(start, end).compareTo(LONGEST) > 0) {
            violations.add(new Violation("to", "the range may span at most " + LONGEST.toDays() + " days"));
        }
        return new TimeRange("custom", start, end, zone);
    }

    private static boolean outOfRange(String field, LocalDate date, List<Violation> violations) {
        if (date.isBefore(EARLIEST) || date.isAfter(LATEST)) {
            violations.add(new Violation(field, "must lie between " + EARLIEST + " and " + LATEST));
            return true;
        }
        return false;
    }

    private static Instant bound(String field, String value, ZoneId zone, boolean end, List<Violation> violations) {
        if (value == null || value.isBlank()) {
            violations.add(new Violation(field, "is required with range=custom"));
            return null;
        }
        try {
            if (value.length() == 10) {
                LocalDate date = LocalDate.parse(value);
                if (outOfRange(field, date, violations)) {
                    return null;
                }
                ZonedDateTime start = (end ? date.plusDays(1) : date).atStartOfDay(zone);
                return start.toInstant();
            }
            OffsetDateTime dateTime = OffsetDateTime.parse(value);
            if (outOfRange(field, dateTime.toLocalDate(), violations)) {
                return null;
            }
            Instant instant = dateTime.toInstant();
            if (!Buckets.isBoundary(instant)) {
                violations.add(new Violation(field, "must fall on a quarter hour (:00, :15, :30 or :45, no seconds)"));
                return null;
            }
            return instant;
        } catch (DateTimeException e) {
            violations.add(new Violation(field, "must be a date (2026-11-01) or a date-time with offset (2026-11-01T09:00:00+01:00)"));
            return null;
        }
    }
}
