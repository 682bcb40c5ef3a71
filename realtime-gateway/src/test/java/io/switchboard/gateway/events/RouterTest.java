package io.switchboard.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.eventlog.Actor;
import io.switchboard.eventlog.EventCursor;
import io.switchboard.eventlog.EventEnvelope;
import io.switchboard.eventlog.EventJson;
import io.switchboard.eventlog.EventTypes;
import io.switchboard.eventlog.Ids;
import io.switchboard.eventlog.LoggedEvent;
import io.switchboard.eventlog.RoutingScope;
import io.switchboard.gateway.auth.Principal;
import io.switchboard.gateway.observability.GatewayMetrics;
import io.switchboard.gateway.session.ClientSession;
import io.switchboard.gateway.session.ConversationFilter;
import io.switchboard.gateway.session.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The router's decisions with the database part of a replay under the test's control: which events a
 * resuming subscriber gets (its account's only, whatever the replay hands it), and which cursor the gateway
 * may give it (never ahead of what it was sent).
 */
class RouterTest {

    private static final UUID MINE = Ids.newId();
    private static final UUID THEIRS = Ids.newId();

    /** Records the replays the router asks for instead of reading a database. */
    private static final class ControlledReplay implements Router.DatabaseReplay {
        final List<EventCursor> started = new CopyOnWriteArrayList<>();
        final List<EventCursor> verified = new CopyOnWriteArrayList<>();

        @Override
        public void start(ClientSession session, Subscription subscription, EventCursor after) {
            started.add(after);
        }

        @Override
        public void verifyKnown(ClientSession session, Subscription subscription, EventCursor cursor, String ref) {
            verified.add(cursor);
        }
    }

    private final ControlledReplay replay = new ControlledReplay();
    private final EventCursor origin = new EventCursor(1000, 0);
    private Router router;
    private long tx = origin.txId();

    @BeforeEach
    void start() {
        GatewayMetrics metrics = new GatewayMetrics();
        metrics.init(new SimpleMeterRegistry());
        router = new Router(origin, 4, 50, metrics);
        router.start(replay);
    }

    @AfterEach
    void stop() {
        router.stop();
    }

    @Test
    void aReplayFromTheWindowCarriesOnlyTheSubscribersAccount() {
        Connection admin = connect(MINE, "websocket");
        List<LoggedEvent> events = List.of(created(MINE), created(THEIRS), agentChanged(THEIRS), created(MINE));
        EventCursor before = origin;
        router.onEvents(events);
        router.subscribe(admin.session, new Subscription.ConversationsView("all", everything()), before, "all");
        router.subscribe(admin.session, new Subscription.Agents("agents"), before, "agents");
        router.subscribe(admin.session, new Subscription.Queue("queue"), before, "queue");
        await().atMost(Duration.ofSeconds(5)).until(() -> admin.frames("subscribed").size() == 3);
        sync();
        assertThat(admin.frames("event")).hasSize(4).allSatisfy(frame -> assertThat(frame.path("id").asText())
                .isIn(events.get(0).envelope().aggregateId().toString(), events.get(3).envelope().aggregateId().toString()));
    }

    @Test
    void eventsOfAnotherAccountHandedToADatabaseReplayAreNeverDelivered() {
        Connection admin = connect(MINE, "websocket");
        router.onEvents(List.of(created(MINE), created(MINE), created(MINE), created(MINE), created(MINE)));
        EventCursor since = new EventCursor(tx - 100, 0);
        router.subscribe(admin.session, new Subscription.ConversationsView("all", everything()), since, "all");
        await().atMost(Duration.ofSeconds(5)).until(() -> replay.started.size() == 1);
        // a database answer that (wrongly) includes another account's events: the router's own decision refuses them
        LoggedEvent foreign = created(THEIRS);
        LoggedEvent own = created(MINE);
        router.replayBatch(admin.session, admin.subscription("all"), List.of(foreign, own), own.cursor());
        sync();
        assertThat(admin.frames("event")).extracting(f -> f.path("id").asText()).containsExactly(own.envelope().aggregateId().toString());
    }

    @Test
    void aPongDuringADatabaseReplayGivesTheReplaysProgressNotTheLivePosition() {
        Connection agent = connect(MINE, "websocket");
        List<LoggedEvent> live = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            live.add(created(MINE));
        }
        router.onEvents(live);
        EventCursor since = new EventCursor(tx - 100, 0);
        router.subscribe(agent.session, new Subscription.ConversationsView("all", everything()), since, "all");
        await().atMost(Duration.ofSeconds(5)).until(() -> replay.started.size() == 1);
        Subscription all = agent.subscription("all");

        router.pong(agent.session, "before");
        sync();
        JsonNode unacknowledged = agent.frame("pong");
        assertThat(unacknowledged.path("cursors").has("all")).as("not acknowledged yet: no cursor for it").isFalse();
        assertThat(agent.frames("subscribed")).isEmpty();

        router.replayBatch(agent.session, all, live.subList(0, 3), live.get(2).cursor());
        router.pong(agent.session, "during");
        sync();
        assertThat(agent.frames("subscribed")).hasSize(1);
        JsonNode during = agent.frames("pong").get(1);
        assertThat(during.path("cursors").path("all").asText()).isEqualTo(live.get(2).cursor().encode());
        assertThat(during.path("cursor").asText()).isEqualTo(live.get(2).cursor().encode());

        router.replayBatch(agent.session, all, live.subList(3, 6), live.get(5).cursor());
        router.finishReplay(agent.session, all, live.get(5).cursor());
        router.pong(agent.session, "after");
        sync();
        assertThat(agent.frames("event")).hasSize(10);
        assertThat(agent.frames("pong").get(2).path("cursors").path("all").asText()).isEqualTo(live.get(9).cursor().encode());
    }

    @Test
    void anSseStreamsEventIdIsTheCursorEverySubscriptionOfItIsCompleteUpTo() {
        Connection stream = connect(MINE, "sse");
        List<LoggedEvent> live = List.of(created(MINE), created(MINE), created(MINE), created(MINE), created(MINE), created(MINE));
        router.onEvents(live);
        router.subscribe(stream.session, new Subscription.Queue("queue"), null, "queue");
        EventCursor since = new EventCursor(tx - 100, 0);
        router.subscribe(stream.session, new Subscription.ConversationsView("conversations", everything()), since, "conversations");
        await().atMost(Duration.ofSeconds(5)).until(() -> replay.started.size() == 1);
        LoggedEvent next = created(MINE);
        router.onEvents(List.of(next));
        sync();
        // the queue got the new event live, but the replaying list is still at its start: the id stays there
        RecordingOutbound.Sent queued = stream.sent.stream().filter(s -> s.type().equals("event")).findFirst().orElseThrow();
        assertThat(queued.cursor()).isEqualTo(since.encode());
        router.replayBatch(stream.session, stream.subscription("conversations"), live, live.get(5).cursor());
        router.finishReplay(stream.session, stream.subscription("conversations"), live.get(5).cursor());
        sync();
        RecordingOutbound.Sent last = stream.sent.get(stream.sent.size() - 1);
        assertThat(last.cursor()).isEqualTo(next.cursor().encode());
    }

    @Test
    void aCursorAheadOfThisInstanceIsCheckedBeforeSubscribedAndAnUnknownOneIsRefused() {
        Connection agent = connect(MINE, "websocket");
        EventCursor ahead = new EventCursor(tx + 1_000_000, 1);
        Subscription.Queue queue = new Subscription.Queue("queue");
        router.subscribe(agent.session, queue, ahead, "queue");
        await().atMost(Duration.ofSeconds(5)).until(() -> replay.verified.size() == 1);
        sync();
        assertThat(agent.sent).isEmpty();
        router.cursorChecked(agent.session, queue, ahead, "queue", "cursor_unknown");
        sync();
        assertThat(agent.frames("subscribed")).isEmpty();
        assertThat(agent.frame("reset").path("reason").asText()).isEqualTo("cursor_unknown");
        assertThat(agent.session.subscriptions()).isEmpty();

        Subscription.Queue again = new Subscription.Queue("queue");
        router.subscribe(agent.session, again, ahead, "queue");
        await().atMost(Duration.ofSeconds(5)).until(() -> replay.verified.size() == 2);
        router.cursorChecked(agent.session, again, ahead, "queue", null);
        sync();
        assertThat(agent.frame("subscribed").path("cursor").asText()).isEqualTo(ahead.encode());
    }

    @Test
    void signalsNeverReachAnotherAccountsConnection() {
        Connection mine = connect(MINE, "websocket");
        Connection theirs = connect(THEIRS, "websocket");
        router.signal(MINE, "{\"type\":\"presence\"}", "presence", session -> true);
        sync();
        assertThat(mine.frames("presence")).hasSize(1);
        assertThat(theirs.sent).isEmpty();
    }

    // ---- helpers ----

    /** Waits until the router has run every command submitted before. */
    private void sync() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        router.submit(() -> done.complete(null));
        done.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();
    }

    private Connection connect(UUID account, String transport) {
        Connection connection = new Connection(transport);
        Principal principal = new Principal(Principal.Kind.AGENT, account, Ids.newId(), "admin", "sub", "token", Instant.now().plusSeconds(3600));
        connection.session.authenticated(principal);
        router.register(connection.session);
        sync();
        return connection;
    }

    private static ConversationFilter everything() {
        try {
            return ConversationFilter.parse(null);
        } catch (ConversationFilter.InvalidFilter e) {
            throw new IllegalStateException(e);
        }
    }

    private LoggedEvent created(UUID account) {
        UUID id = Ids.newId();
        ObjectNode payload = EventJson.object();
        payload.putObject("conversation").put("id", id.toString()).put("inboxId", Ids.newId().toString()).put("status", "open")
                .put("archived", false).put("version", 1).putNull("assigneeId");
        return logged(new EventEnvelope(Ids.newId(), EventTypes.CONVERSATION_CREATED, account, EventTypes.AGGREGATE_CONVERSATION, id, 1,
                Instant.now(), Actor.system(), RoutingScope.ACCOUNT, payload));
    }

    private LoggedEvent agentChanged(UUID account) {
        UUID id = Ids.newId();
        ObjectNode payload = EventJson.object();
        payload.putObject("changes").put("status", "away");
        return logged(new EventEnvelope(Ids.newId(), EventTypes.AGENT_STATUS_CHANGED, account, EventTypes.AGGREGATE_AGENT, id, 2,
                Instant.now(), Actor.system(), RoutingScope.AGENTS_ONLY, payload));
    }

    private LoggedEvent logged(EventEnvelope envelope) {
        return new LoggedEvent(new EventCursor(++tx, 1), envelope, Instant.now());
    }

    /** A recorded connection and its session, authenticated by {@link #connect}. */
    private static final class Connection {
        final RecordingOutbound outbound;
        final ClientSession session;
        final List<RecordingOutbound.Sent> sent;

        Connection(String transport) {
            this.outbound = new RecordingOutbound(null, transport);
            this.session = outbound.session(Ids.newId().toString());
            this.sent = outbound.sent;
        }

        /** Read after {@link #sync()}: the router thread is idle then. */
        Subscription subscription(String id) {
            return session.subscriptions().get(id);
        }

        List<JsonNode> frames(String type) {
            return outbound.frames(type);
        }

        JsonNode frame(String type) {
            return outbound.frame(type);
        }
    }
}
