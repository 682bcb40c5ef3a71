package io.switchboard.conversations.events;

import io.switchboard.eventlog.EventCursor;
import io.switchboard.eventlog.EventEnvelope;
import io.switchboard.eventlog.EventLogNotifier;
import io.switchboard.eventlog.EventLogReader;
import io.switchboard.eventlog.EventLogWriter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.List;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Writes domain events in the transaction of the state change they describe, on the same connection,
 * and wakes log readers once that transaction has committed.
 */
@ApplicationScoped
public class EventPublisher {

    private static final Object NOTIFY_REGISTERED = new Object();

    @Inject
    EntityManager entityManager;

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Inject
    EventLogWriter writer;

    @Inject
    EventLogReader reader;

    @Inject
    EventLogNotifier notifier;

    /**
     * Announces this transaction as an event writer and takes the ordering locks of aggregates it will
     * change. Must come before the transaction's first write (docs/event-log.md, "Writer rule").
     */
    public void lockAggregates(UUID... aggregateIds) {
        requireTransaction();
        session().doWork(connection -> writer.begin(connection, aggregateIds));
    }

    /**
     * Announces this transaction as an event writer, for a transaction that creates aggregates and changes
     * no existing one. Must come before the transaction's first write.
     */
    public void announce() {
        lockAggregates();
    }

    public void publish(EventEnvelope... events) {
        publish(List.of(events));
    }

    public void publish(List<EventEnvelope> events) {
        if (events.isEmpty()) {
            return;
        }
        requireTransaction();
        session().doWork(connection -> writer.append(connection, events));
        if (transactions.getResource(NOTIFY_REGISTERED) == null) {
            transactions.putResource(NOTIFY_REGISTERED, Boolean.TRUE);
            transactions.registerInterposedSynchronization(new NotifyAfterCommit(notifier));
        }
    }

    /** The event-log position a snapshot read taken after this call is complete up to. */
    public EventCursor head() {
        return session().doReturningWork(reader::head);
    }

    private void requireTransaction() {
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            throw new IllegalStateException("events are written inside the transaction of the change they describe");
        }
    }

    private Session session() {
        return entityManager.unwrap(Session.class);
    }

    private record NotifyAfterCommit(EventLogNotifier notifier) implements Synchronization {

        @Override
        public void beforeCompletion() {
        }

        @Override
        public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
                notifier.signal();
            }
        }
    }
}
