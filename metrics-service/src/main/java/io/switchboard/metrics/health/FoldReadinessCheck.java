package io.switchboard.metrics.health;

import io.switchboard.metrics.fold.Folder;
import io.switchboard.metrics.fold.Leadership;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while folding is halted: the figures would silently stop moving (docs/metrics.md, "Rebuild"). */
@Readiness
@ApplicationScoped
public class FoldReadinessCheck implements HealthCheck {

    @Inject
    Folder folder;

    @Inject
    Leadership leadership;

    @Override
    public HealthCheckResponse call() {
        String halted = folder.halted();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("metrics-fold")
                .withData("leader", leadership.isLeader());
        return halted == null ? response.up().build() : response.down().withData("halted", halted).build();
    }
}
