package io.switchboard.eventlog;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.util.regex.Pattern;

/**
 * The W3C trace context stored with each event ({@code traceparent} header form, version 00), written from
 * the span current at append time and parsed back by consumers that link their spans to the writer's.
 */
public final class TraceContext {

    private static final Pattern TRACEPARENT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    private TraceContext() {
    }

    /** The current span's context as a traceparent, or null when no valid span is current (tracing off). */
    public static String currentTraceparent() {
        return traceparent(Span.current().getSpanContext());
    }

    public static String traceparent(SpanContext context) {
        if (!context.isValid()) {
            return null;
        }
        return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
    }

    /** The remote span context a traceparent names, or null when it is absent or not a valid version-00 value. */
    public static SpanContext parse(String traceparent) {
        if (traceparent == null || !TRACEPARENT.matcher(traceparent).matches()) {
            return null;
        }
        SpanContext context = SpanContext.createFromRemoteParent(traceparent.substring(3, 35), traceparent.substring(36, 52),
                TraceFlags.fromHex(traceparent, 53), TraceState.getDefault());
        return context.isValid() ? context : null;
    }
}
