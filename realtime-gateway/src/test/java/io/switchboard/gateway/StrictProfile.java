package io.switchboard.gateway;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Tight limits so timeouts, floods, slow consumers and database replays happen within a test. */
public class StrictProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "gateway.auth.timeout", "1s",
                "gateway.auth.expiry-warning", "4s",
                "gateway.limits.frames-per-second", "5",
                "gateway.limits.frame-burst", "10",
                "gateway.limits.flood-close-after", "30",
                "gateway.limits.max-queued-frames", "200",
                "gateway.limits.max-queued-bytes", "262144",
                "gateway.log.window-size", "3",
                "gateway.liveness.idle-timeout", "12s",
                "quarkus.websockets-next.server.auto-ping-interval", "2s");
    }
}
