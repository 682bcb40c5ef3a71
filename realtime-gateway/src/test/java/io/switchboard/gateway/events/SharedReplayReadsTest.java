package io.switchboard.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.eventlog.Actor;
import io.switchboard.eventlog.EventCursor;
import io.switchboard.eventlog.EventEnvelope;
import io.switchboard.eventlog.EventJson;
import io.switchboard.eventlog.LoggedEvent;
import io.switchboard.eventlog.ReadResult;
import io.switchboard.eventlog.RoutingScope;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Replays of one account share a read that covers their cursor; anything else reads the database itself. */
class SharedReplayReadsTest {

    private static final UUID ACCOUNT = UUID.randomUUID();
    private static final EventCursor FROM = new EventCursor(10, 0);
    private static final EventCursor HEAD = new EventCursor(20, 0);

    private static ReadResult.Batch progress(EventCursor next) {
        return new ReadResult.Batch(List.of(), next, false, false, EventCursor.ORIGIN, 0);
    }

    @Test
    void concurrentReplaysOfOneAccountFromOneCursorMakeOneRead() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        SharedReplayReads shared = new SharedReplayReads((account, after) -> {
            reads.incrementAndGet();
            await(release);
            return progress(HEAD);
        }, TimeUnit.SECONDS.toNanos(5));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ReadResult>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> shared.read(ACCOUNT, FROM)));
            }
            Thread.sleep(200);
            release.countDown();
            for (Future<ReadResult> answer : answers) {
                assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo(progress(HEAD));
            }
            // and a replay arriving just after, within the reuse time
            assertThat(shared.read(ACCOUNT, FROM)).isEqualTo(progress(HEAD));
        } finally {
            pool.shutdownNow();
        }
        assertThat(reads).hasValue(1);
        assertThat(shared.databaseReads()).isEqualTo(1);
        assertThat(shared.sharedAnswers()).isEqualTo(8);
    }

    @Test
    void anotherAccountOrCursorReadsForItself() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        SharedReplayReads shared = new SharedReplayReads((account, after) -> {
            reads.incrementAndGet();
            return progress(HEAD);
        }, TimeUnit.SECONDS.toNanos(5));
        shared.read(ACCOUNT, FROM);
        shared.read(UUID.randomUUID(), FROM);
        // past what the first read reached (HEAD)
        shared.read(ACCOUNT, new EventCursor(25, 0));
        assertThat(reads).hasValue(3);
    }

    @Test
    void aReplayFromACursorInsideAKeptReadGetsThatReadsEventsAfterIt() throws Exception {
        List<LoggedEvent> events = List.of(event(12), event(14), event(16));
        AtomicInteger reads = new AtomicInteger();
        SharedReplayReads shared = new SharedReplayReads((account, after) -> {
            reads.incrementAndGet();
            return new ReadResult.Batch(events, new EventCursor(16, 0), false, true, EventCursor.ORIGIN, 0);
        }, TimeUnit.SECONDS.toNanos(5));
        assertThat(((ReadResult.Batch) shared.read(ACCOUNT, FROM)).events()).hasSize(3);
        ReadResult.Batch later = (ReadResult.Batch) shared.read(ACCOUNT, new EventCursor(13, 0));
        assertThat(later.events()).extracting(LoggedEvent::cursor)
                .containsExactly(new EventCursor(14, 0), new EventCursor(16, 0));
        assertThat(later.next()).isEqualTo(new EventCursor(16, 0));
        assertThat(later.hasMore()).isTrue();
        assertThat(((ReadResult.Batch) shared.read(ACCOUNT, new EventCursor(14, 0))).events()).hasSize(1);
        assertThat(reads).as("both served by the first read").hasValue(1);
        // a cursor before the kept read's start, or at its end, reads the database
        shared.read(ACCOUNT, new EventCursor(9, 0));
        shared.read(ACCOUNT, new EventCursor(16, 0));
        assertThat(reads).hasValue(3);
    }

    private static LoggedEvent event(long tx) {
        return new LoggedEvent(new EventCursor(tx, 0),
                new EventEnvelope(UUID.randomUUID(), "conversation.updated", ACCOUNT, "conversation", UUID.randomUUID(), tx,
                        Instant.now(), Actor.system(), new RoutingScope(null, null, null, null, false),
                        EventJson.object()),
                Instant.now(), null);
    }

    @Test
    void anAnswerIsReusedOnlyForItsReuseTime() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        SharedReplayReads shared = new SharedReplayReads((account, after) -> {
            reads.incrementAndGet();
            return progress(HEAD);
        }, TimeUnit.MILLISECONDS.toNanos(50));
        shared.read(ACCOUNT, FROM);
        Thread.sleep(100);
        shared.read(ACCOUNT, FROM);
        assertThat(reads).hasValue(2);
    }

    @Test
    void anAnswerWithoutProgressIsNotReusedSoAHeldBackReplayReadsAgain() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        SharedReplayReads shared = new SharedReplayReads((account, after) -> reads.incrementAndGet() == 1
                ? new ReadResult.Batch(List.of(), after, true, false, EventCursor.ORIGIN, 42)
                : progress(HEAD), TimeUnit.SECONDS.toNanos(5));
        assertThat(((ReadResult.Batch) shared.read(ACCOUNT, FROM)).heldBack()).isTrue();
        assertThat(shared.read(ACCOUNT, FROM)).isEqualTo(progress(HEAD));
        assertThat(reads).hasValue(2);
    }

    @Test
    void aFailedReadFailsItsWaitersAndTheNextReplayReadsAgain() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        SharedReplayReads shared = new SharedReplayReads((account, after) -> {
            if (reads.incrementAndGet() == 1) {
                throw new SQLException("connection lost");
            }
            return progress(HEAD);
        }, TimeUnit.SECONDS.toNanos(5));
        assertThatThrownBy(() -> shared.read(ACCOUNT, FROM)).isInstanceOf(SQLException.class).hasMessage("connection lost");
        assertThat(shared.read(ACCOUNT, FROM)).isEqualTo(progress(HEAD));
        assertThat(reads).hasValue(2);
    }

    @Test
    void answersPastTheirReuseTimeAreDroppedSoTheirEventsAreNotKept() throws Exception {
        LoggedEvent event = event(15);
        SharedReplayReads shared = new SharedReplayReads((account, after) -> new ReadResult.Batch(List.of(event, event, event), HEAD, false, false,
                EventCursor.ORIGIN, 0), TimeUnit.MILLISECONDS.toNanos(40));
        shared.read(ACCOUNT, FROM);
        assertThat(shared.keptEvents()).isEqualTo(3);
        Thread.sleep(100);
        shared.read(UUID.randomUUID(), FROM);
        assertThat(shared.keptEvents()).as("the first answer is gone, the second kept").isEqualTo(3);
        Thread.sleep(100);
        shared.read(UUID.randomUUID(), FROM);
        shared.read(ACCOUNT, FROM);
        assertThat(shared.databaseReads()).isEqualTo(4);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
