package io.switchboard.gateway.observability;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.switchboard.eventlog.LoggedEvent;
import io.switchboard.eventlog.TraceContext;
import io.switchboard.gateway.session.ClientSession;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Spans for live delivery ({@code gateway.relay}): one per event whose writer was traced and sampled, in the
 * writer's trace (child of the writing transaction's span, and linked to it), with the event's type, account,
 * sockets reached and commit → hand-over lag; each socket reached is a span event. Ids only, never content. An
 * event whose writer was not traced costs one null check, one whose writer was not sampled a parse of its
 * traceparent: the router's hot path stays as it was.
 */
public final class RelayTracing {

    /** No spans at all (tracing switched off). */
    public static final RelayTracing OFF = new RelayTracing(null);

    private static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("switchboard.event.type");
    private static final AttributeKey<String> ACCOUNT = AttributeKey.stringKey("switchboard.account_id");
    private static final AttributeKey<String> CURSOR = AttributeKey.stringKey("switchboard.event.cursor");
    private static final AttributeKey<Long> SOCKETS = AttributeKey.longKey("switchboard.sockets");
    private static final AttributeKey<Double> LAG = AttributeKey.doubleKey("switchboard.delivery.lag_ms");
    private static final AttributeKey<String> CONNECTION = AttributeKey.stringKey("switchboard.connection.id");
    private static final AttributeKey<String> TRANSPORT = AttributeKey.stringKey("switchboard.connection.transport");
    private static final AttributeKey<String> AGENT = AttributeKey.stringKey("switchboard.agent_id");

    private final Tracer tracer;

    public RelayTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** The relay span of a live event, or null when it is not traced. Call on the router thread. */
    public Relay start(LoggedEvent event) {
        if (tracer == null || event.traceparent() == null) {
            return null;
        }
        SpanContext writer = TraceContext.parse(event.traceparent());
        if (writer == null || !writer.isSampled()) {
            return null;
        }
        Span span = tracer.spanBuilder("gateway.relay").setSpanKind(SpanKind.CONSUMER)
                .setParent(Context.root().with(Span.wrap(writer))).addLink(writer)
                .setAttribute(EVENT_TYPE, event.envelope().type())
                .setAttribute(ACCOUNT, event.envelope().accountId().toString())
                .setAttribute(CURSOR, event.cursor().encode())
                .setAttribute(LAG, Duration.between(event.recordedAt(), Instant.now()).toNanos() / 1e6)
                .startSpan();
        return span.isRecording() ? new Relay(span) : null;
    }

    /** One event's relay span while the router hands its frames over. */
    public static final class Relay {

        private final Span span;
        private long sockets;

        Relay(Span span) {
            this.span = span;
        }

        public void reached(ClientSession session) {
            sockets++;
            UUID agent = session.principal().agentId();
            span.addEvent("frame", agent == null ? Attributes.of(CONNECTION, session.id(), TRANSPORT, session.transport())
                    : Attributes.of(CONNECTION, session.id(), TRANSPORT, session.transport(), AGENT, agent.toString()));
        }

        public void end() {
            span.setAttribute(SOCKETS, sockets);
            span.end();
        }
    }
}
