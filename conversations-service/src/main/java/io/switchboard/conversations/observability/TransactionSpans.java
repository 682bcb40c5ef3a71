package io.switchboard.conversations.observability;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionScoped;
import org.jboss.logging.Logger;

/**
 * One span per database transaction ({@code db.transaction}), from its begin to its commit or rollback, child
 * of the request that runs it. The events the transaction writes carry this span's context
 * (docs/event-log.md, "Trace context"), so the gateway's delivery spans link to the transaction that made them.
 * Every transaction boundary ({@code @Transactional}, {@code QuarkusTransaction}) passes here.
 */
@ApplicationScoped
public class TransactionSpans {

    private static final Logger LOG = Logger.getLogger(TransactionSpans.class);

    @Inject
    Tracer tracer;

    @Inject
    TransactionManager transactions;

    void begun(@Observes @Initialized(TransactionScoped.class) Object transactionId) {
        Span span = tracer.spanBuilder("db.transaction").setSpanKind(SpanKind.INTERNAL)
                .setAttribute("db.system.name", "postgresql").startSpan();
        if (!span.isRecording()) {
            return;
        }
        Scope scope = span.makeCurrent();
        try {
            Transaction transaction = transactions.getTransaction();
            if (transaction == null) {
                throw new IllegalStateException("no transaction on this thread");
            }
            transaction.registerSynchronization(new Ending(span, scope, Thread.currentThread()));
        } catch (SystemException | RollbackException | IllegalStateException e) {
            // the transaction is already ending (or not ours to follow): no span rather than a dangling one
            LOG.debugf(e, "no span for this transaction");
            scope.close();
            span.end();
        }
    }

    /** Ends the span when the transaction completes; the scope is closed on the thread that opened it. */
    private record Ending(Span span, Scope scope, Thread opener) implements Synchronization {

        @Override
        public void beforeCompletion() {
        }

        @Override
        public void afterCompletion(int status) {
            boolean committed = status == Status.STATUS_COMMITTED;
            span.setAttribute("db.transaction.outcome", committed ? "commit" : "rollback");
            if (!committed) {
                span.setStatus(StatusCode.ERROR, "rolled back");
            }
            if (Thread.currentThread() == opener) {
                scope.close();
            }
            span.end();
        }
    }
}
