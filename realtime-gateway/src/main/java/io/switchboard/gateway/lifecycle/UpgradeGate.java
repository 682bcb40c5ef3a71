package io.switchboard.gateway.lifecycle;

import io.smallrye.mutiny.Uni;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Refuses new WebSocket connections while draining (503), so a load balancer sends them to another instance. */
@ApplicationScoped
public class UpgradeGate implements HttpUpgradeCheck {

    @Inject
    Drain drain;

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        return drain.draining() ? CheckResult.rejectUpgrade(503) : CheckResult.permitUpgrade();
    }
}
