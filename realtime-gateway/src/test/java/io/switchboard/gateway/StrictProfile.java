package io.switchboard.gateway;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Tight limits so timeouts, floods, slow consumers and database replays happen within a test. */
public class StrictProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(Map.entry("quarkus.fault-tolerance.\"io.switchboard.gateway.auth.IdentityLoader/load\".bulkhead.value", "2"),
                Map.entry("gateway.auth.timeout", "1s"),
                Map.entry("gateway.auth.expiry-warning", "4s"),
                Map.entry("gateway.limits.frames-per-second", "5"),
                Map.entry("gateway.limits.frame-burst", "10"),
                Map.entry("gateway.limits.flood-close-after", "30"),
                Map.entry("gateway.limits.max-queued-frames", "200"),
                Map.entry("gateway.limits.max-queued-bytes", "262144"),
                Map.entry("gateway.log.window-size", "3"),
                Map.entry("gateway.liveness.idle-timeout", "12s"),
                Map.entry("gateway.liveness.ping-interval", "2s"));
    }
}
