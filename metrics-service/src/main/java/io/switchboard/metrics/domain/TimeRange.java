package io.switchboard.metrics.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/** A half-open interval [from, to) of whole quarter hours, named, in the time zone its hours are counted in. */
public record TimeRange(String name, Instant from, Instant to, ZoneId zone) {

    /** The period of equal length just before this one (for trends). */
    public TimeRange previous() {
        Duration length = Duration.between(from, to);
        return new TimeRange("previous", from.minus(length), from, zone);
    }
}
