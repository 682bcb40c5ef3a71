package io.switchboard.testing;

import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Trace ids and settings for the tests that follow a request's trace (the services' tracing tests, TracingIT). */
public final class TestTraces {

    /**
     * Test-profile settings of a service under test that traces: SDK on, spans to the in-memory exporter only (no
     * collector listens), exported every 50 ms.
     */
    public static final Map<String, String> IN_MEMORY = Map.of("quarkus.otel.sdk.disabled", "false",
            "quarkus.otel.bsp.schedule.delay", "50ms", "quarkus.otel.exporter.otlp.enabled", "false");

    private TestTraces() {
    }

    /** A random, valid (never all-zero) 16-byte trace id in lower-case hex. */
    public static String traceId() {
        return randomHex(16);
    }

    /** A random, valid 8-byte span id in lower-case hex. */
    public static String spanId() {
        return randomHex(8);
    }

    /** A W3C traceparent header value, sampled or not. */
    public static String traceparent(String traceId, String spanId, boolean sampled) {
        return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        random[0] |= 1;
        return HexFormat.of().formatHex(random);
    }
}
