package io.switchboard.metrics.fold;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.switchboard.eventlog.TraceContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The span of one fold tick ({@code metrics.fold}): events folded, accounts touched, its duration, and links to
 * a sample of the requests that wrote those events. A tick that folded nothing and did not fail leaves no span.
 */
final class FoldTrace {

    private final Tracer tracer;
    private final Instant started = Instant.now();
    private final Set<UUID> accounts = new HashSet<>();
    private final List<String> writers = new ArrayList<>();
    private int events;
    private int steps;

    FoldTrace(Tracer tracer) {
        this.tracer = tracer;
    }

    void add(Folder.Step step) {
        steps++;
        events += step.events();
        accounts.addAll(step.accounts());
        for (String writer : step.writers()) {
            if (writers.size() < Folder.TRACED_WRITERS && !writers.contains(writer)) {
                writers.add(writer);
            }
        }
    }

    void end(Exception failure) {
        if (events == 0 && failure == null) {
            return;
        }
        SpanBuilder builder = tracer.spanBuilder("metrics.fold").setSpanKind(SpanKind.CONSUMER).setNoParent()
                .setStartTimestamp(started.toEpochMilli(), TimeUnit.MILLISECONDS)
                .setAttribute("switchboard.fold.events", events)
                .setAttribute("switchboard.fold.accounts", accounts.size())
                .setAttribute("switchboard.fold.steps", steps);
        for (String writer : writers) {
            SpanContext context = TraceContext.parse(writer);
            if (context != null) {
                builder.addLink(context);
            }
        }
        Span span = builder.startSpan();
        if (failure != null) {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR, "fold tick failed");
        }
        span.end();
    }
}
