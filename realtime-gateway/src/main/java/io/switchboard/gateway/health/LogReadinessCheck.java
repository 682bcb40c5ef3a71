package io.switchboard.gateway.health;

import io.switchboard.gateway.events.LogFollower;
import io.switchboard.gateway.lifecycle.Drain;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the log reader has caught up with the head of the log, and no longer ready while draining. */
@Readiness
@ApplicationScoped
public class LogReadinessCheck implements HealthCheck {

    @Inject
    LogFollower follower;

    @Inject
    Drain drain;

    @Override
    public HealthCheckResponse call() {
        boolean caughtUp = follower.caughtUp();
        return HealthCheckResponse.named("event-log-reader")
                .status(caughtUp && !drain.draining())
                .withData("caughtUp", caughtUp)
                .withData("draining", drain.draining())
                .withData("position", follower.router() == null ? "" : follower.position().encode())
                .withData("windowStart", follower.router() == null ? "" : follower.router().windowStart().encode())
                .withData("heldBackMs", follower.heldBackAge().toMillis())
                .build();
    }
}
