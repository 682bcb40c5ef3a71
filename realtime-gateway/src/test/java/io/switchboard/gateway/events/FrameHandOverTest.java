package io.switchboard.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.gateway.observability.GatewayMetrics;
import io.switchboard.gateway.session.ClientSession;
import io.switchboard.gateway.session.Outbound;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The router's frames reach each connection on its own event loop, in the router's order, only once handed over. */
class FrameHandOverTest {

    private Vertx vertx;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void framesWaitForTheHandOverAndArriveOnTheConnectionsEventLoopInOrder() throws Exception {
        Context loopA = vertx.getOrCreateContext();
        Context loopB = vertx.getOrCreateContext();
        RecordingOutbound a = new RecordingOutbound(loopA, "websocket");
        RecordingOutbound b = new RecordingOutbound(loopB, "websocket");
        ClientSession sessionA = a.session("a");
        ClientSession sessionB = b.session("b");
        FrameHandOver handOver = new FrameHandOver(new GatewayMetrics());

        handOver.add(sessionA, "a1", "event", "c1", null);
        handOver.add(sessionB, "b1", "event", "c1", null);
        handOver.add(sessionA, "a2", "pong", null, null);
        assertThat(a.sent).as("nothing is written before the command ends").isEmpty();

        handOver.handOver();

        assertThat(a.awaitTexts(2)).containsExactly("a1", "a2");
        assertThat(b.awaitTexts(1)).containsExactly("b1");
        assertThat(a.threads()).containsOnly(threadOf(loopA));
        assertThat(b.threads()).containsOnly(threadOf(loopB));
    }

    @Test
    void framesOnTheirWayToTheEventLoopsCountInTheOutboundBacklogUntilTheConnectionTakesThem() {
        Context loop = vertx.getOrCreateContext();
        RecordingOutbound outbound = new RecordingOutbound(loop, "websocket");
        ClientSession session = outbound.session("a");
        GatewayMetrics metrics = new GatewayMetrics();
        FrameHandOver handOver = new FrameHandOver(metrics);

        handOver.add(session, "a1", "event", "c1", null);
        handOver.add(session, "a2", "event", "c2", null);
        assertThat(metrics.outboundBacklogBytes()).isEqualTo(ClientSession.heapOf("a1") + ClientSession.heapOf("a2"));

        handOver.handOver();
        outbound.awaitTexts(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics.outboundBacklogBytes() == 0);
    }

    @Test
    void manyCommandsKeepEveryConnectionsOrder() {
        List<RecordingOutbound> recordings = new ArrayList<>();
        List<ClientSession> sessions = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            RecordingOutbound recording = new RecordingOutbound(vertx.getOrCreateContext(), "websocket");
            recordings.add(recording);
            sessions.add(recording.session("s" + i));
        }
        FrameHandOver handOver = new FrameHandOver(new GatewayMetrics());
        int commands = 300;
        for (int command = 0; command < commands; command++) {
            for (ClientSession session : sessions) {
                handOver.add(session, command + "/0", "event", null, null);
                handOver.add(session, command + "/1", "event", null, null);
            }
            handOver.handOver();
        }
        List<String> expected = new ArrayList<>();
        for (int command = 0; command < commands; command++) {
            expected.add(command + "/0");
            expected.add(command + "/1");
        }
        for (RecordingOutbound recording : recordings) {
            assertThat(recording.awaitTexts(expected.size())).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void anEventLoopThatRefusesItsShareDoesNotHoldUpTheOthersOrComeBackLater() throws Exception {
        Vertx stopped = Vertx.vertx();
        Context refusing = stopped.getOrCreateContext();
        stopped.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        RecordingOutbound gone = new RecordingOutbound(refusing, "websocket");
        RecordingOutbound live = new RecordingOutbound(vertx.getOrCreateContext(), "websocket");
        ClientSession goneSession = gone.session("gone");
        ClientSession liveSession = live.session("live");
        FrameHandOver handOver = new FrameHandOver(new GatewayMetrics());

        handOver.add(goneSession, "lost", "event", null, null);
        handOver.add(liveSession, "first", "event", null, null);
        handOver.handOver();
        handOver.add(liveSession, "second", "event", null, null);
        handOver.handOver();

        assertThat(live.awaitTexts(2)).containsExactly("first", "second");
        assertThat(gone.sent).isEmpty();
    }

    @Test
    void aTransportWithoutEventLoopIsWrittenAtOnceFromTheCaller() {
        RecordingOutbound sse = new RecordingOutbound(null, "sse");
        ClientSession session = sse.session("sse");

        new FrameHandOver(new GatewayMetrics()).add(session, "now", "event", "c1", null);

        assertThat(sse.texts()).containsExactly("now");
        assertThat(sse.threads()).containsOnly(Thread.currentThread().getName());
    }

    private static String threadOf(Context context) throws Exception {
        CompletableFuture<String> name = new CompletableFuture<>();
        context.runOnContext(ignored -> name.complete(Thread.currentThread().getName()));
        return name.get(5, TimeUnit.SECONDS);
    }
}
