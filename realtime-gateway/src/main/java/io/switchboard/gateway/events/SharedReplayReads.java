package io.switchboard.gateway.events;

import io.switchboard.eventlog.EventCursor;
import io.switchboard.eventlog.ReadResult;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Database reads of resuming subscriptions, shared: replays of one account from the same cursor (the
 * connections of one account that were caught up together, as after a gateway restart) get the answer of one
 * read — the one in flight, or one finished within {@link #reuseNanos}. An answer read a moment earlier is
 * still exact: a batch is complete up to its {@code next}, and the reader goes on from there. So a storm of
 * resumes costs the database one read per account and cursor, not one per connection.
 */
final class SharedReplayReads {

    /** Reads one account's events after a cursor. */
    interface Read {
        ReadResult read(UUID account, EventCursor after) throws SQLException;
    }

    private record Key(UUID account, EventCursor after) {
    }

    /** {@code finishedAt}: when the read finished (System.nanoTime), {@link Long#MAX_VALUE} while in flight. */
    private record Shared(CompletableFuture<ReadResult> answer, AtomicLong finishedAt) {
    }

    /**
     * Finished answers kept for reuse hold at most this many events together (parsed events are a few KiB each):
     * past it, an answer is shared only while its read is in flight.
     */
    private static final int MAX_KEPT_EVENTS = 20_000;

    private final ConcurrentHashMap<Key, Shared> reads = new ConcurrentHashMap<>();
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
        Key key = new Key(account, after);
        Shared mine = new Shared(new CompletableFuture<>(), new AtomicLong(Long.MAX_VALUE));
        Shared shared = reads.compute(key, (k, existing) -> existing != null && fresh(existing) ? existing : mine);
        if (shared != mine) {
            sharedAnswers.incrementAndGet();
            return await(shared.answer());
        }
        databaseReads.incrementAndGet();
        try {
            ReadResult answer = database.read(account, after);
            int events = answer instanceof ReadResult.Batch batch ? batch.events().size() : 0;
            if (madeProgress(answer, after) && keptEvents.addAndGet(events) <= MAX_KEPT_EVENTS) {
                mine.finishedAt().set(System.nanoTime());
            } else {
                // nothing new (held back: whoever asks next reads again), or no room to keep it
                if (madeProgress(answer, after)) {
                    keptEvents.addAndGet(-events);
                }
                reads.remove(key, mine);
            }
            mine.answer().complete(answer);
            return answer;
        } catch (SQLException | RuntimeException e) {
            reads.remove(key, mine);
            mine.answer().completeExceptionally(e);
            throw e;
        } finally {
            sweep();
        }
    }

    /** Drops the answers past their reuse time, a few times per reuse time at most. */
    private void sweep() {
        long now = System.nanoTime();
        long last = lastSweep.get();
        if (now - last < reuseNanos / 4 || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        reads.entrySet().removeIf(entry -> {
            Shared shared = entry.getValue();
            if (!shared.answer().isDone() || fresh(shared)) {
                return false;
            }
            if (shared.answer().isCompletedExceptionally()) {
                return true;
            }
            if (shared.answer().getNow(null) instanceof ReadResult.Batch batch && shared.finishedAt().get() != Long.MAX_VALUE) {
                keptEvents.addAndGet(-batch.events().size());
            }
            return true;
        });
    }

    /** Events held by finished answers kept for reuse. */
    long keptEvents() {
        return keptEvents.get();
    }

    /** Reads that went to the database. */
    long databaseReads() {
        return databaseReads.get();
    }

    /** Answers taken from another replay's read. */
    long sharedAnswers() {
        return sharedAnswers.get();
    }

    private boolean fresh(Shared entry) {
        long finished = entry.finishedAt().get();
        return finished == Long.MAX_VALUE || System.nanoTime() - finished < reuseNanos;
    }

    private static boolean madeProgress(ReadResult answer, EventCursor after) {
        return !(answer instanceof ReadResult.Batch batch) || !batch.events().isEmpty() || batch.next().isAfter(after);
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
