package io.switchboard.gateway.events;

import io.switchboard.eventlog.EventCursor;
import io.switchboard.eventlog.LoggedEvent;
import io.switchboard.eventlog.ReadResult;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Database reads of resuming subscriptions, shared. A replay of an account from a cursor takes its answer from
 * a read of the same account that covers the cursor — the same read in flight, or the account's latest
 * finished read within {@link #reuseNanos} that started at or before the cursor and reached past it (its
 * events after the cursor). Such an answer is exact: a batch holds every event of the account in
 * (its start, {@code next}], and the replay goes on from {@code next}. So the connections of an account that
 * come back after a restart, each a little behind or ahead of the others, cost the database about one read
 * of the account's missed events, not one per connection.
 */
final class SharedReplayReads {

    /** Reads one account's events after a cursor. */
    interface Read {
        ReadResult read(UUID account, EventCursor after) throws SQLException;
    }

    private record Key(UUID account, EventCursor after) {
    }

    /** An account's latest finished read with progress: every event of the account in (after, batch.next]. */
    private record Kept(EventCursor after, ReadResult.Batch batch, long finishedAt) {

        boolean covers(EventCursor cursor) {
            return !after.isAfter(cursor) && cursor.isBefore(batch.next());
        }

        /** The events after {@code cursor} (which this covers), as a batch of their own. */
        ReadResult.Batch from(EventCursor cursor) {
            List<LoggedEvent> events = batch.events();
            int first = 0;
            while (first < events.size() && !events.get(first).cursor().isAfter(cursor)) {
                first++;
            }
            return new ReadResult.Batch(events.subList(first, events.size()), batch.next(), batch.heldBack(), batch.hasMore(),
                    batch.watermark(), batch.blockedBy());
        }
    }

    /**
     * Kept answers hold at most this many events together (parsed events are a few KiB each): past it, a new
     * answer is shared only while its read is in flight.
     */
    private static final int MAX_KEPT_EVENTS = 20_000;

    private final ConcurrentHashMap<Key, CompletableFuture<ReadResult>> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UUID, Kept> kept = new ConcurrentHashMap<>();
    private final Read database;
    private final long reuseNanos;
    private final AtomicLong databaseReads = new AtomicLong();
    private final AtomicLong sharedAnswers = new AtomicLong();
    private final AtomicLong keptEvents = new AtomicLong();
    private final AtomicLong lastSweep = new AtomicLong(System.nanoTime());

    SharedReplayReads(Read database, long reuseNanos) {
        this.database = database;
        this.reuseNanos = reuseNanos;
    }

    ReadResult read(UUID account, EventCursor after) throws SQLException {
        Kept answered = kept.get(account);
        if (answered != null && fresh(answered) && answered.covers(after)) {
            sharedAnswers.incrementAndGet();
            return answered.from(after);
        }
        Key key = new Key(account, after);
        CompletableFuture<ReadResult> mine = new CompletableFuture<>();
        CompletableFuture<ReadResult> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            sharedAnswers.incrementAndGet();
            return await(running);
        }
        databaseReads.incrementAndGet();
        try {
            ReadResult answer = database.read(account, after);
            if (answer instanceof ReadResult.Batch batch && (!batch.events().isEmpty() || batch.next().isAfter(after))) {
                keep(account, new Kept(after, batch, System.nanoTime()));
            }
            mine.complete(answer);
            return answer;
        } catch (SQLException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
            sweep();
        }
    }

    private void keep(UUID account, Kept answer) {
        int events = answer.batch().events().size();
        if (keptEvents.addAndGet(events) > MAX_KEPT_EVENTS) {
            keptEvents.addAndGet(-events);
            return;
        }
        Kept replaced = kept.put(account, answer);
        if (replaced != null) {
            keptEvents.addAndGet(-replaced.batch().events().size());
        }
    }

    /** Drops the answers past their reuse time, a few times per reuse time at most. */
    private void sweep() {
        long now = System.nanoTime();
        long last = lastSweep.get();
        if (now - last < reuseNanos / 4 || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        kept.forEach((account, answer) -> {
            if (!fresh(answer) && kept.remove(account, answer)) {
                keptEvents.addAndGet(-answer.batch().events().size());
            }
        });
    }

    /** Reads that went to the database. */
    long databaseReads() {
        return databaseReads.get();
    }

    /** Answers taken from another replay's read. */
    long sharedAnswers() {
        return sharedAnswers.get();
    }

    /** Events held by the answers kept for reuse. */
    long keptEvents() {
        return keptEvents.get();
    }

    private boolean fresh(Kept answer) {
        return System.nanoTime() - answer.finishedAt() < reuseNanos;
    }

    private static ReadResult await(CompletableFuture<ReadResult> answer) throws SQLException {
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a shared read", e);
        } catch (ExecutionException | CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw cause instanceof SQLException sql ? sql : new SQLException("a shared read failed: " + cause.getMessage(), cause);
        }
    }
}
