package io.switchboard.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import io.switchboard.gateway.session.PendingSubscribe;
import io.switchboard.gateway.session.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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

        volatile boolean backlogFull;
        final List<EventCursor> deferred = new CopyOnWriteArrayList<>();

        @Override
        public boolean backlogFull() {
            return backlogFull;
        }

        @Override
        public void whenBacklogAllows(ClientSession session, Subscription subscription, EventCursor cursor) {
            deferred.add(cursor);
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
    void aResumeFromTheWindowWaitsWhileTheBacklogIsFullAndThenReplaysWithoutLoss() {
        Connection admin = connect(MINE, "websocket");
        EventCursor before = origin;
        List<LoggedEvent> missed = List.of(created(MINE), created(MINE));
        router.onEvents(missed);
        replay.backlogFull = true;
        router.subscribe(admin.session, new Subscription.ConversationsView("all", everything()), before, "all");
        await().atMost(Duration.ofSeconds(5)).until(() -> replay.deferred.size() == 1);
        LoggedEvent meanwhile = created(MINE);
        router.onEvents(List.of(meanwhile));
        sync();
        assertThat(admin.frames("subscribed")).hasSize(1);
        assertThat(admin.frames("event")).as("nothing while the replay waits, not even live events").isEmpty();

        replay.backlogFull = false;
        router.finishReplay(admin.session, admin.subscription("all"), replay.deferred.get(0));
        LoggedEvent live = created(MINE);
        router.onEvents(List.of(live));
        sync();
        assertThat(admin.frames("event")).extracting(f -> f.path("id").asText()).containsExactly(
                missed.get(0).envelope().aggregateId().toString(), missed.get(1).envelope().aggregateId().toString(),
                meanwhile.envelope().aggregateId().toString(), live.envelope().aggregateId().toString());
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

    /**
     * Found by IsolationModelTest (seed 13817577305963): a customer resumed its conversation topic with a cursor ahead
     * of the instance and unsubscribed while the log was asked. The unsubscribe got unknown_subscription and the
     * subscription started afterwards: events kept coming for a topic the client had dropped.
     */
    @Test
    void anUnsubscribeWhileTheCursorIsCheckedCancelsTheSubscription() {
        Connection agent = connect(MINE, "websocket");
        EventCursor ahead = new EventCursor(tx + 1_000_000, 1);
        Subscription.Queue queue = new Subscription.Queue("queue");
        router.subscribe(agent.session, queue, ahead, "queue");
        await().atMost(Duration.ofSeconds(5)).until(() -> replay.verified.size() == 1);
        router.unsubscribe(agent.session, "queue", "queue");
        router.cursorChecked(agent.session, queue, ahead, "queue", null);
        router.onEvents(List.of(created(MINE)));
        sync();
        assertThat(agent.frames("error")).isEmpty();
        assertThat(agent.frame("unsubscribed").path("reason").asText()).isEqualTo("requested");
        assertThat(agent.frames("subscribed")).isEmpty();
        assertThat(agent.frames("event")).isEmpty();
        assertThat(agent.session.subscriptions()).isEmpty();

        // the id is free again: a new subscribe with it works as usual
        router.subscribe(agent.session, new Subscription.Queue("queue"), null, "queue");
        sync();
        assertThat(agent.frames("subscribed")).hasSize(1);
    }

    @Test
    void anUnsubscribeWhileAConversationsAccessIsCheckedCancelsItAndItsRefusal() {
        Connection agent = connect(MINE, "websocket");
        PendingSubscribe c1 = new PendingSubscribe("c1");
        PendingSubscribe c2 = new PendingSubscribe("c2");
        router.subscribePending(agent.session, c1);
        router.subscribePending(agent.session, c2);
        router.unsubscribe(agent.session, "c1", "c1");
        router.unsubscribe(agent.session, "c2", "c2");
        router.subscribeRefused(agent.session, c2, notFound("c2"));
        router.subscribe(agent.session, new Subscription.Queue("c1"), null, "c1", c1);
        sync();
        assertThat(agent.frames("unsubscribed")).extracting(f -> f.path("id").asText()).containsExactly("c1", "c2");
        assertThat(agent.frames("error")).isEmpty();
        assertThat(agent.frames("subscribed")).isEmpty();
        assertThat(agent.session.subscriptions()).isEmpty();

        // without an unsubscribe, the refusal goes out
        PendingSubscribe c3 = new PendingSubscribe("c3");
        router.subscribePending(agent.session, c3);
        router.subscribeRefused(agent.session, c3, notFound("c3"));
        sync();
        assertThat(agent.frame("error").path("ref").asText()).isEqualTo("c3");
    }

    /**
     * Found by an adversarial run against the system: subscribe r, unsubscribe r, subscribe r again, sent back to
     * back (a console switching conversations). The cancellation was kept per id, so whichever check finished first
     * took it: the cancelled subscription came back, or the new one vanished. Each subscribe has its own now, in
     * either order of the checks' answers.
     */
    @Test
    void reusingAnIdRightAfterCancellingItsSubscribeKeepsTheTwoApart() {
        for (boolean newerAnswersFirst : new boolean[] {true, false}) {
            Connection agent = connect(MINE, "websocket");
            PendingSubscribe cancelled = new PendingSubscribe("r");
            PendingSubscribe current = new PendingSubscribe("r");
            router.subscribePending(agent.session, cancelled);
            router.unsubscribe(agent.session, "r", "r");
            router.subscribePending(agent.session, current);
            Subscription.Queue wanted = new Subscription.Queue("r");
            if (newerAnswersFirst) {
                router.subscribe(agent.session, wanted, null, "r", current);
                router.subscribeRefused(agent.session, cancelled, notFound("r"));
            } else {
                router.subscribe(agent.session, new Subscription.Queue("r"), null, "r", cancelled);
                router.subscribe(agent.session, wanted, null, "r", current);
            }
            sync();
            assertThat(agent.frames("unsubscribed")).as("newer first: %s", newerAnswersFirst).hasSize(1);
            assertThat(agent.frames("error")).as("newer first: %s", newerAnswersFirst).isEmpty();
            assertThat(agent.frames("subscribed")).as("newer first: %s", newerAnswersFirst).hasSize(1);
            assertThat(agent.session.subscriptions().get("r")).isSameAs(wanted);
        }
        // and when the newer one is refused, the client hears it, whatever the cancelled one's answer
        Connection agent = connect(MINE, "websocket");
        PendingSubscribe cancelled = new PendingSubscribe("r");
        PendingSubscribe refused = new PendingSubscribe("r");
        router.subscribePending(agent.session, cancelled);
        router.unsubscribe(agent.session, "r", "r");
        router.subscribePending(agent.session, refused);
        router.subscribeRefused(agent.session, refused, notFound("r"));
        router.subscribe(agent.session, new Subscription.Queue("r"), null, "r", cancelled);
        sync();
        assertThat(agent.frames("error")).hasSize(1);
        assertThat(agent.frames("subscribed")).isEmpty();
        assertThat(agent.session.subscriptions()).isEmpty();
    }

    private static String notFound(String ref) {
        return "{\"type\":\"error\",\"code\":\"not_found\",\"ref\":\"" + ref + "\"}";
    }

    /**
     * Found by IsolationModelTest (seed 8460241651783): an agent saw a conversation's message through an inbox,
     * lost the inbox while away, and got the conversation assigned. Its resumed topic replay checked the message
     * against the memberships of now, skipped it, and went on: the client missed a message REST shows.
     */
    @Test
    void aTopicReplayThatCrossesTheSubscribersMembershipChangeEndsWithReset() {
        UUID inbox = Ids.newId();
        Connection agent = connectAgent(MINE, 1, Set.of(inbox));
        UUID conversation = Ids.newId();
        LoggedEvent created = conversationCreated(MINE, conversation, inbox);
        List<LoggedEvent> afterwards = List.of(message(MINE, conversation, inbox, null), membershipsChanged(agent, 2, Set.of()),
                assigned(MINE, conversation, inbox, agent.session.principal().agentId(), 2));
        router.onEvents(List.of(created));
        router.onEvents(afterwards);
        // the client reconnects: the new connection's agent has the memberships of now
        Connection resumed = connectAgent(MINE, agent.session.principal().agentId(), 2, Set.of());
        router.subscribe(resumed.session, new Subscription.ConversationTopic("c", conversation, null), created.cursor(), "c");
        sync();
        assertThat(resumed.frame("reset").path("reason").asText()).isEqualTo("access_changed");
        assertThat(resumed.session.subscriptions()).isEmpty();
    }

    /**
     * The same, when the connection loaded the agent's memberships after the change was committed but before
     * the router dispatched it: the change arrives live, after the replay, and still resets the topic.
     */
    @Test
    void membershipsLoadedAheadOfTheRouterResetATopicStartedBeforeTheChange() {
        UUID inbox = Ids.newId();
        Connection before = connectAgent(MINE, 1, Set.of(inbox));
        UUID agentId = before.session.principal().agentId();
        UUID conversation = Ids.newId();
        LoggedEvent created = conversationCreated(MINE, conversation, inbox);
        router.onEvents(List.of(created, message(MINE, conversation, inbox, null)));
        Connection resumed = connectAgent(MINE, agentId, 2, Set.of());
        ConversationState assignedNow = ConversationState.found(MINE, conversation, inbox, null, agentId, null, 2);
        router.subscribe(resumed.session, new Subscription.ConversationTopic("c", conversation, assignedNow), created.cursor(), "c");
        sync();
        assertThat(resumed.frames("subscribed")).hasSize(1);
        router.onEvents(List.of(membershipsChanged(before, 2, Set.of()), assigned(MINE, conversation, inbox, agentId, 2)));
        sync();
        assertThat(resumed.frame("reset").path("reason").asText()).isEqualTo("access_changed");
        assertThat(resumed.frames("event")).isEmpty();
        // a topic that started after the change is left alone
        Connection fresh = connectAgent(MINE, agentId, 2, Set.of());
        router.subscribe(fresh.session, new Subscription.ConversationTopic("c", conversation, assignedNow), null, "c");
        router.onEvents(List.of(message(MINE, conversation, inbox, agentId)));
        sync();
        assertThat(fresh.frames("reset")).isEmpty();
        assertThat(fresh.frames("event")).hasSize(1);
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

    private Connection connectAgent(UUID account, long version, Set<UUID> inboxes) {
        return connectAgent(account, Ids.newId(), version, inboxes);
    }

    /** An agent (role agent) whose memberships, at {@code version}, are these inboxes. */
    private Connection connectAgent(UUID account, UUID agentId, long version, Set<UUID> inboxes) {
        Connection connection = new Connection("websocket");
        Principal principal = new Principal(Principal.Kind.AGENT, account, agentId, "agent", "sub", "token", Instant.now().plusSeconds(3600));
        principal.applyMemberships(version, inboxes, Set.of());
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

    private LoggedEvent conversationCreated(UUID account, UUID id, UUID inbox) {
        ObjectNode payload = EventJson.object();
        payload.putObject("conversation").put("id", id.toString()).put("inboxId", inbox.toString()).put("status", "open")
                .put("archived", false).put("version", 1).putNull("assigneeId");
        return logged(new EventEnvelope(Ids.newId(), EventTypes.CONVERSATION_CREATED, account, EventTypes.AGGREGATE_CONVERSATION, id, 1,
                Instant.now(), Actor.system(), new RoutingScope(inbox, null, null, null, false), payload));
    }

    private LoggedEvent assigned(UUID account, UUID id, UUID inbox, UUID assignee, long version) {
        ObjectNode payload = EventJson.object();
        payload.putObject("conversation").put("id", id.toString()).put("inboxId", inbox.toString()).put("status", "open")
                .put("archived", false).put("version", version).put("assigneeId", assignee.toString());
        payload.putObject("previous").putNull("assigneeId");
        return logged(new EventEnvelope(Ids.newId(), EventTypes.CONVERSATION_ASSIGNED, account, EventTypes.AGGREGATE_CONVERSATION, id,
                version, Instant.now(), Actor.system(), new RoutingScope(inbox, null, assignee, null, false), payload));
    }

    /** A customer's message in a conversation of this inbox, assigned to {@code assignee} (or none) when written. */
    private LoggedEvent message(UUID account, UUID conversation, UUID inbox, UUID assignee) {
        UUID id = Ids.newId();
        ObjectNode payload = EventJson.object();
        payload.putObject("message").put("id", id.toString()).put("conversationId", conversation.toString()).put("content", "hello");
        return logged(new EventEnvelope(Ids.newId(), EventTypes.MESSAGE_CREATED, account, EventTypes.AGGREGATE_MESSAGE, id, 1,
                Instant.now(), Actor.system(), new RoutingScope(inbox, null, assignee, null, false), payload));
    }

    private LoggedEvent membershipsChanged(Connection agent, long version, Set<UUID> inboxes) {
        UUID agentId = agent.session.principal().agentId();
        ObjectNode payload = EventJson.object();
        ObjectNode entity = payload.putObject("agent").put("id", agentId.toString());
        ArrayNode inboxIds = entity.putArray("inboxIds");
        inboxes.forEach(inbox -> inboxIds.add(inbox.toString()));
        entity.putArray("teamIds");
        payload.putObject("changes").putArray("inboxIds");
        return logged(new EventEnvelope(Ids.newId(), EventTypes.AGENT_MEMBERSHIPS_CHANGED, agent.session.principal().accountId(),
                EventTypes.AGGREGATE_AGENT, agentId, version, Instant.now(), Actor.system(), RoutingScope.AGENTS_ONLY, payload));
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
