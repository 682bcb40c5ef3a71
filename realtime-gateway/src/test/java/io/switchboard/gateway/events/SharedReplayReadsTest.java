package io.switchboard.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.eventlog.EventCursor;
import io.switchboard.eventlog.ReadResult;
import java.sql.SQLException;
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

/** Replays of one account from one cursor share a read; anything else reads the database itself. */
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
        shared.read(ACCOUNT, new EventCursor(11, 0));
        assertThat(reads).hasValue(3);
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
        io.switchboard.eventlog.LoggedEvent event = new io.switchboard.eventlog.LoggedEvent(new EventCursor(15, 0),
                new io.switchboard.eventlog.EventEnvelope(UUID.randomUUID(), "conversation.updated", ACCOUNT, "conversation", UUID.randomUUID(), 2,
                        java.time.Instant.now(), io.switchboard.eventlog.Actor.system(), new io.switchboard.eventlog.RoutingScope(null, null, null, null, false),
                        io.switchboard.eventlog.EventJson.object()),
                java.time.Instant.now(), null);
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
