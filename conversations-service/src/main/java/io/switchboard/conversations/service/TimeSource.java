package io.switchboard.conversations.service;

import io.switchboard.conversations.config.ConversationsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jboss.logging.Logger;

/** Now, at PostgreSQL's precision (microseconds), so a timestamp reads back exactly as the events carry it. */
@ApplicationScoped
public class TimeSource {

    private static final Logger LOG = Logger.getLogger(TimeSource.class);

    private final Clock clock;

    @Inject
    public TimeSource(ConversationsConfig config) {
        if (!config.clockOffset().isZero()) {
            LOG.warnf("the service clock is shifted by %s (conversations.clock-offset)", config.clockOffset());
        }
        this.clock = Clock.offset(Clock.systemUTC(), config.clockOffset());
    }

    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
