package io.switchboard.conversations.service;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.conversations.config.ConversationsConfig;
import io.switchboard.conversations.rest.problem.Problems;
import io.switchboard.conversations.security.Caller;
import io.switchboard.eventlog.EventLogNotifier;
import io.switchboard.eventlog.TraceContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Group commit for message sends. A send waits in a queue; a writer thread takes every send waiting (up to
 * {@code conversations.message-writes.max-batch}) and commits them in one transaction ({@link MessageBatch}),
 * while the next sends gather for the next writer. Each send keeps its own answer: a refused one (404, 409)
 * changes nothing and does not stop the others, and if the shared transaction fails every send is written
 * again alone, so a fault fails only the send that causes it. Wake-ups go out after the commit.
 *
 * <p>No writer ever waits for another transaction: a send whose conversation is held elsewhere (its ordering lock
 * or its row) is left out of the batch and queued again every {@value #BUSY_RETRY_MILLIS} ms, up to
 * {@code busy-timeout}; so a conversation held for long delays its own sends only, and no writer holds a
 * transaction id while it waits (which would hold back the event log for every reader).
 *
 * <p>Each send is traced as its own {@code db.transaction} span, child of its request, carried by its events
 * (docs/event-log.md, "Trace context"); {@code db.transaction.batch_size} says how many sends shared the commit.
 */
@ApplicationScoped
public class MessageWrites {

    private static final Logger LOG = Logger.getLogger(MessageWrites.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MessageBatch batch;

    @Inject
    EventLogNotifier notifier;

    @Inject
    ConversationsConfig config;

    @Inject
    Tracer tracer;

    @Inject
    MeterRegistry registry;

    private LinkedBlockingQueue<Pending> waiting;
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean stopping;
    private DistributionSummary batchSizes;
    private Counter retriedAlone;
    private Counter deferred;
    private ScheduledExecutorService retries;

    /** A send waiting for its writer, with where to answer and when it came. */
    private record Pending(MessageBatch.Send send, Span span, Context context, CompletableFuture<MessageService.Sent> answer,
            long submittedNanos) {
    }

    /** How soon a send whose conversation was held is tried again. */
    private static final long BUSY_RETRY_MILLIS = 20;

    void start(@Observes StartupEvent startup) {
        var settings = config.messageWrites();
        waiting = new LinkedBlockingQueue<>(settings.maxWaiting());
        batchSizes = DistributionSummary.builder("switchboard.message.write.batch.size")
                .description("Message sends committed together in one transaction").register(registry);
        retriedAlone = Counter.builder("switchboard.message.write.retried.alone")
                .description("Sends written again alone after the transaction they shared failed").register(registry);
        deferred = Counter.builder("switchboard.message.write.deferred")
                .description("Times a send was put back because another transaction held its conversation").register(registry);
        retries = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("message-write-retries").daemon().factory());
        for (int i = 0; i < settings.writers(); i++) {
            Thread writer = Thread.ofPlatform().name("message-writer-" + i).daemon().unstarted(this::run);
            writers.add(writer);
            writer.start();
        }
    }

    /** Lets the writers finish what is waiting, then stop; sends after this are refused. */
    void stop(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent shutdown) {
        stopping = true;
        retries.shutdown();
        for (Thread writer : writers) {
            try {
                writer.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Pending left = waiting.poll(); left != null; left = waiting.poll()) {
            answer(left, 0, null, shuttingDown());
        }
    }

    private static RuntimeException shuttingDown() {
        return Problems.unavailable("the service is shutting down; send again (with the same clientMessageId)");
    }

    /** Queues a validated send; the answer completes on the caller's Vert.x context when there is one. */
    public CompletionStage<MessageService.Sent> submit(Caller caller, UUID conversationId, MessageService.Draft draft) {
        Span span = tracer.spanBuilder("db.transaction").setSpanKind(SpanKind.INTERNAL)
                .setAttribute("db.system.name", "postgresql").startSpan();
        Pending pending = new Pending(new MessageBatch.Send(caller, conversationId, draft, TraceContext.traceparent(span.getSpanContext())),
                span, Context.isOnEventLoopThread() ? Vertx.currentContext() : null, new CompletableFuture<>(), System.nanoTime());
        enqueue(pending);
        return pending.answer();
    }

    private void enqueue(Pending pending) {
        if (stopping) {
            answer(pending, 0, null, shuttingDown());
        } else if (!waiting.offer(pending)) {
            answer(pending, 0, null,
                    Problems.unavailable("too many messages are waiting to be written; send again shortly (with the same clientMessageId)"));
        }
    }

    /** A send whose conversation another transaction held: again shortly, until its time is up. */
    private void deferBusy(Pending pending) {
        deferred.increment();
        Duration limit = config.messageWrites().busyTimeout();
        if (System.nanoTime() - pending.submittedNanos() > limit.toNanos()) {
            answer(pending, 0, null, Problems.unavailable("the conversation has been held by another change for over "
                    + limit.toSeconds() + " s; send again (with the same clientMessageId)"));
            return;
        }
        try {
            retries.schedule(() -> enqueue(pending), BUSY_RETRY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            answer(pending, 0, null, shuttingDown());
        }
    }

    private void run() {
        int maxBatch = config.messageWrites().maxBatch();
        List<Pending> taken = new ArrayList<>(maxBatch);
        while (!(stopping && waiting.isEmpty())) {
            try {
                Pending first = waiting.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                taken.add(first);
                waiting.drainTo(taken, maxBatch - 1);
                write(taken);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                LOG.error("message writer failed outside a batch", e);
                taken.forEach(p -> answer(p, taken.size(), null, e instanceof RuntimeException r ? r : new IllegalStateException(e)));
            } finally {
                taken.clear();
            }
        }
    }

    /**
     * Commits {@code taken} together; if that fails, each one alone on the same connection. Without a usable
     * connection (none to be had, or it broke) every send not yet answered is refused as unavailable: the
     * database, not a send, is at fault, and trying each alone would only wait longer.
     */
    private void write(List<Pending> taken) {
        batchSizes.record(taken.size());
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                commit(connection, taken);
            } catch (SQLException | RuntimeException e) {
                if (lostConnection(e) || taken.size() == 1) {
                    fail(taken, e, lostConnection(e));
                    return;
                }
                LOG.warnf("a transaction of %d message sends failed (%s); writing each alone", taken.size(), describe(e));
                for (Pending pending : taken) {
                    retriedAlone.increment();
                    try {
                        commit(connection, List.of(pending));
                    } catch (SQLException | RuntimeException alone) {
                        if (lostConnection(alone)) {
                            fail(taken, alone, true);
                            return;
                        }
                        fail(List.of(pending), alone, false);
                    }
                }
            }
        } catch (SQLException e) {
            fail(taken, e, true); // no connection, or closing it failed (sends already answered stay answered)
        }
    }

    /** Answers the sends not answered yet: 503 when the database could not be used, else 500 (a bug or a fault). */
    private static void fail(List<Pending> sends, Exception e, boolean unavailable) {
        String cause = describe(e);
        List<Pending> open = sends.stream().filter(p -> !p.answer().isDone()).toList();
        if (open.isEmpty()) {
            return;
        }
        LOG.errorf("%d message write(s) failed: %s", open.size(), cause);
        RuntimeException problem = unavailable
                ? Problems.unavailable("the database could not be used; send again shortly with the same clientMessageId "
                        + "(if this send was written after all, the retry answers with it)")
                : new IllegalStateException("message write failed: " + cause);
        open.forEach(pending -> answer(pending, sends.size(), null, problem));
    }

    /** Connection-class failures (08…) and a server going away (57P0…): the database, not the statement. */
    static boolean lostConnection(Exception e) {
        String state = statementFailure(e) instanceof SQLException sql ? sql.getSQLState() : null;
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }

    /**
     * A failure without the statement's values: the driver's messages quote a failed batch's rows, message
     * content included, which must not reach the log.
     */
    static String describe(Exception e) {
        Exception cause = statementFailure(e);
        if (cause instanceof SQLException sql) {
            ServerErrorMessage server = sql instanceof PSQLException psql ? psql.getServerErrorMessage() : null;
            return "SQLState " + sql.getSQLState() + (server == null ? "" : " " + server.getMessage());
        }
        return cause.getClass().getName() + ": " + cause.getMessage();
    }

    /** The failure itself: a failed batch of statements reports it as its next exception. */
    private static Exception statementFailure(Exception e) {
        return e instanceof BatchUpdateException batch && batch.getNextException() != null ? batch.getNextException() : e;
    }

    /** One transaction for {@code sends}; rolled back if anything fails. Answers them once committed. */
    private void commit(Connection connection, List<Pending> sends) throws SQLException {
        List<MessageBatch.Outcome> outcomes;
        try {
            outcomes = batch.write(connection, sends.stream().map(Pending::send).toList());
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
        if (outcomes.stream().anyMatch(o -> o.sent() != null && o.sent().created())) {
            notifier.signal();
        }
        for (int i = 0; i < sends.size(); i++) {
            MessageBatch.Outcome outcome = outcomes.get(i);
            if (outcome.busy()) {
                deferBusy(sends.get(i));
            } else {
                answer(sends.get(i), sends.size(), outcome.sent(), outcome.problem());
            }
        }
    }

    /**
     * Ends the send's span and completes its answer, back on the request's event loop when it came from one (the
     * response is then written there, not on the writer thread); a caller on another thread is answered here.
     */
    private static void answer(Pending pending, int batchSize, MessageService.Sent sent, RuntimeException problem) {
        if (pending.answer().isDone()) {
            return;
        }
        pending.span().setAttribute("db.transaction.outcome", problem == null ? "commit" : "rollback");
        pending.span().setAttribute("db.transaction.batch_size", batchSize);
        if (problem != null) {
            pending.span().setStatus(StatusCode.ERROR, "not written");
        }
        pending.span().end();
        Runnable complete = problem == null ? () -> pending.answer().complete(sent) : () -> pending.answer().completeExceptionally(problem);
        if (pending.context() != null) {
            pending.context().runOnContext(ignored -> complete.run());
        } else {
            complete.run();
        }
    }
}
