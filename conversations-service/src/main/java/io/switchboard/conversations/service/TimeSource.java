package io.switchboard.conversations.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Now, at PostgreSQL's precision (microseconds), so a timestamp reads back exactly as the events carry it. */
@ApplicationScoped
public class TimeSource {

    private final Clock clock = Clock.systemUTC();

    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
