package io.switchboard.gateway.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.eventlog.EventCursor;
import io.switchboard.eventlog.EventTypes;
import io.switchboard.eventlog.LoggedEvent;
import io.switchboard.gateway.auth.Principal;
import io.switchboard.gateway.observability.GatewayMetrics;
import io.switchboard.gateway.observability.RelayTracing;
import io.switchboard.gateway.protocol.ErrorCode;
import io.switchboard.gateway.protocol.Frames;
import io.switchboard.gateway.session.Access;
import io.switchboard.gateway.session.ClientSession;
import io.switchboard.gateway.session.PendingSubscribe;
import io.switchboard.gateway.session.Subscription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * The one thread that decides what every connection receives. Events from the log, subscriptions,
 * replays and signals are all commands executed here in order, so a subscription switches from replay to
 * live delivery without a gap or a reordering, and per-event authorization needs no locks.
 */
public final class Router {

    private static final Logger LOG = Logger.getLogger(Router.class);
    private static final String ACCESS_CHANGED = "your inbox or team memberships changed; reload and subscribe again";

    /** Reads the database part of a replay off the router thread. */
    public interface DatabaseReplay {
        /**
         * Reads the subscriber's account's events after {@code after}, handing each batch to
         * {@link #replayBatch}, then {@link #finishReplay}; or {@link #reset} when the cursor cannot be served.
         */
        void start(ClientSession session, Subscription subscription, EventCursor after);

        /** Asks the log whether it produced {@code cursor}; answers with {@link Router#cursorChecked}. */
        void verifyKnown(ClientSession session, Subscription subscription, EventCursor cursor, String ref);

        /** Whether the frames queued to all connections are over the replay backlog: replays wait, live delivery does not. */
        boolean backlogFull();

        /** Continues a replay from {@code cursor} with {@link Router#finishReplay} once the backlog is below its limit. */
        void whenBacklogAllows(ClientSession session, Subscription subscription, EventCursor cursor);
    }

    private record Memberships(long version, Set<UUID> inboxIds, Set<UUID> teamIds) {
    }

    /** An event frame's text, built for one event, detail and set of subscription operations. */
    private record BuiltFrame(RoutedEvent event, RoutedEvent.Detail detail, Map<String, Subscription.Op> ops, String text) {

        boolean isFor(RoutedEvent otherEvent, RoutedEvent.Detail otherDetail, Map<String, Subscription.Op> otherOps) {
            return event == otherEvent && detail == otherDetail && ops.equals(otherOps);
        }
    }

    private final LinkedBlockingQueue<Runnable> commands = new LinkedBlockingQueue<>();
    /** Every frame a command sends goes through here, so a connection's frames keep the router's order. */
    private final FrameHandOver frames;
    private final Map<UUID, Set<ClientSession>> byAccount = new HashMap<>();
    private final Map<UUID, Memberships> memberships = new HashMap<>();
    /** Subscribes waiting for the log to confirm a cursor ahead of this instance (see {@link #cursorChecked}). */
    private final Map<Subscription, PendingSubscribe> cursorChecks = new IdentityHashMap<>();
    private final GatewayMetrics metrics;
    private final RelayTracing tracing;
    private final ObjectMapper json = Frames.json();
    private final int maxSubscriptions;
    private final EventWindow window;
    private final Thread thread;
    private DatabaseReplay databaseReplay;
    // The event frame built last: the connections of an account mostly hold the same subscriptions (one
    // client application, the same ids), so the next connection usually needs exactly this text.
    private BuiltFrame lastFrame;
    /** Events routed for database replays, by position, the most recent few thousand (router thread only). */
    private final Map<EventCursor, RoutedEvent> recentlyReplayed = new java.util.LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<EventCursor, RoutedEvent> eldest) {
            return size() > 4096;
        }
    };
    private volatile EventCursor position;
    private volatile EventCursor windowStart;
    private volatile boolean stopped;

    public Router(EventCursor start, int windowSize, int maxSubscriptions, GatewayMetrics metrics) {
        this(start, windowSize, maxSubscriptions, metrics, RelayTracing.OFF);
    }

    public Router(EventCursor start, int windowSize, int maxSubscriptions, GatewayMetrics metrics, RelayTracing tracing) {
        this.tracing = tracing;
        this.frames = new FrameHandOver(metrics);
        this.window = new EventWindow(windowSize, start);
        this.position = start;
        this.windowStart = start;
        this.maxSubscriptions = maxSubscriptions;
        this.metrics = metrics;
        this.thread = Thread.ofPlatform().name("gateway-router").daemon().unstarted(this::run);
    }

    /**
     * Fills the window with events read before anyone is served (a warm start: resumes after a restart are
     * served from memory); {@code through} is where the log follows on. Call before {@link #start} only.
     */
    public void preload(List<LoggedEvent> events, EventCursor through) {
        if (thread.isAlive()) {
            throw new IllegalStateException("preload only before the router starts");
        }
        for (LoggedEvent logged : events) {
            window.add(new RoutedEvent(logged));
        }
        windowStart = window.start();
        position = EventCursor.max(position, through);
    }

    public void start(DatabaseReplay replay) {
        this.databaseReplay = replay;
        thread.start();
    }

    public void stop() {
        stopped = true;
        thread.interrupt();
    }

    /** The position up to which every live subscription has been served. */
    public EventCursor position() {
        return position;
    }

    /** Whether a replay that reached {@code cursor} can continue from memory (a hint; the router re-checks). */
    public boolean windowCovers(EventCursor cursor) {
        return cursor.compareTo(windowStart) >= 0;
    }

    public int pendingCommands() {
        return commands.size();
    }

    public void submit(Runnable command) {
        commands.add(command);
    }

    private void run() {
        while (!stopped) {
            Runnable command;
            try {
                command = commands.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                command.run();
            } catch (RuntimeException e) {
                LOG.error("router command failed", e);
            }
            frames.handOver();
        }
    }

    // ---- commands (each runs on the router thread) ----

    /** New events from the log tailer, in log order. */
    public void onEvents(List<LoggedEvent> events) {
        submit(() -> dispatch(events));
    }

    /** The log's retention watermark moved. */
    public void onWatermark(EventCursor watermark) {
        submit(() -> {
            window.expire(watermark);
            windowStart = window.start();
        });
    }

    /** Positions after this are served from memory (for health output). */
    public EventCursor windowStart() {
        return windowStart;
    }

    public void register(ClientSession session) {
        submit(() -> {
            Principal principal = session.principal();
            byAccount.computeIfAbsent(principal.accountId(), a -> new HashSet<>()).add(session);
            if (principal.isAgent()) {
                Memberships latest = memberships.get(principal.agentId());
                if (latest != null) {
                    principal.applyMemberships(latest.version(), latest.inboxIds(), latest.teamIds());
                }
            }
        });
    }

    public void unregister(ClientSession session) {
        submit(() -> {
            Principal principal = session.principal();
            if (principal != null) {
                Set<ClientSession> sessions = byAccount.get(principal.accountId());
                if (sessions != null && sessions.remove(session) && sessions.isEmpty()) {
                    byAccount.remove(principal.accountId());
                }
            }
            metrics.subscriptionsChanged(-session.subscriptions().size());
            session.subscriptions().clear();
        });
    }

    /**
     * Adds a subscription. Without {@code since} it is live from the current position; with it, the events
     * after {@code since} are replayed first (from memory, else from the database) and then it goes live.
     * {@code subscribed} is sent once the cursor is known to be servable: at once when live or replayed from
     * memory; after the first database read otherwise; after a check with the log for a cursor ahead of this
     * instance. A cursor that cannot be served gets {@code reset} instead of {@code subscribed}.
     */
    public void subscribe(ClientSession session, Subscription subscription, EventCursor since, String ref) {
        submit(() -> add(session, subscription, since, ref, false, null));
    }

    /** The subscribe announced with {@link #subscribePending}, now checked: added unless an unsubscribe cancelled it. */
    public void subscribe(ClientSession session, Subscription subscription, EventCursor since, String ref, PendingSubscribe pending) {
        submit(() -> add(session, subscription, since, ref, false, pending));
    }

    /**
     * A subscribe that needs a check before it reaches {@link #subscribe} (a conversation's access): from now on
     * an unsubscribe of its id cancels it. Call in frame order, before the next frame of the connection is handled.
     */
    public void subscribePending(ClientSession session, PendingSubscribe pending) {
        submit(() -> session.subscribePending(pending));
    }

    /** The check of a pending subscribe refused it: {@code frame} (an error) goes out unless it was cancelled. */
    public void subscribeRefused(ClientSession session, PendingSubscribe pending, String frame) {
        submit(() -> {
            if (!session.endPendingSubscribe(pending)) {
                send(session, frame, Frames.ERROR);
            }
        });
    }

    /**
     * The log's answer to {@link DatabaseReplay#verifyKnown}: subscribe now ({@code refusal} null), or refuse
     * the cursor with a reset of that reason ({@code cursor_unknown}, {@code replay_failed}).
     */
    public void cursorChecked(ClientSession session, Subscription subscription, EventCursor since, String ref, String refusal) {
        submit(() -> {
            PendingSubscribe check = cursorChecks.remove(subscription);
            if (check != null && session.endPendingSubscribe(check)) {
                return; // unsubscribed while the log was asked; the client already has its answer
            }
            if (refusal == null) {
                add(session, subscription, since, ref, true, null);
            } else if (!session.isClosed()) {
                String message = refusal.equals("cursor_unknown") ? "this log never produced the cursor; reload and subscribe again"
                        : "the gateway could not read the log; reload and subscribe again";
                metrics.reset(refusal);
                send(session, Frames.reset(subscription.id(), refusal, message), Frames.RESET);
            }
        });
    }

    private void add(ClientSession session, Subscription subscription, EventCursor since, String ref, boolean sinceVerified,
            PendingSubscribe pending) {
        if (pending != null && session.endPendingSubscribe(pending) || session.isClosed()) {
            return;
        }
        Map<String, Subscription> subscriptions = session.subscriptions();
        if (subscriptions.containsKey(subscription.id())) {
            send(session, Frames.error(ErrorCode.DUPLICATE_SUBSCRIPTION, "subscription id " + subscription.id() + " is in use", ref), Frames.ERROR);
            return;
        }
        if (subscriptions.size() >= maxSubscriptions) {
            send(session, Frames.error(ErrorCode.TOO_MANY_SUBSCRIPTIONS, "at most " + maxSubscriptions + " subscriptions per connection", ref), Frames.ERROR);
            return;
        }
        if (subscription instanceof Subscription.ConversationTopic topic) {
            // the conversations service said yes a moment ago; events dispatched since then may have changed that
            topic.learn(window.latestState(topic.conversationId()));
            if (!Access.sees(session.principal(), topic.state())) {
                send(session, Frames.error(ErrorCode.NOT_FOUND, "no such conversation", ref), Frames.ERROR);
                return;
            }
        }
        if (since != null && since.isAfter(position) && !sinceVerified) {
            // ahead of this instance (a fresh REST snapshot, another instance's cursor, or a forged one): ask the log first
            PendingSubscribe check = new PendingSubscribe(subscription.id());
            session.subscribePending(check);
            cursorChecks.put(subscription, check);
            databaseReplay.verifyKnown(session, subscription, since, ref);
            return;
        }
        subscriptions.put(subscription.id(), subscription);
        metrics.subscriptionsChanged(1);
        if (since == null || since.isAfter(position)) {
            EventCursor from = since == null ? position : since;
            if (since != null) {
                metrics.resumed("live");
            }
            subscription.goLive(from);
            acknowledge(session, subscription, from);
        } else if (window.covers(since)) {
            metrics.resumed("window");
            subscription.replayFrom(since);
            acknowledge(session, subscription, since);
            if (databaseReplay.backlogFull()) {
                databaseReplay.whenBacklogAllows(session, subscription, since);
            } else {
                replayFromWindow(session, subscription, since);
            }
        } else {
            metrics.resumed("database");
            subscription.replayFrom(since);
            databaseReplay.start(session, subscription, since);
        }
    }

    private void acknowledge(ClientSession session, Subscription subscription, EventCursor cursor) {
        subscription.acknowledge();
        sendResumable(session, Frames.subscribed(subscription.id(), subscription.topic(), cursor.encode()), Frames.SUBSCRIBED);
    }

    public void unsubscribe(ClientSession session, String id, String ref) {
        submit(() -> {
            if (!session.subscriptions().containsKey(id) && session.cancelPendingSubscribe(id)) {
                // its subscribe is still being checked: it never starts, and this is its last frame
                send(session, Frames.unsubscribed(id, "requested"), Frames.UNSUBSCRIBED);
                return;
            }
            if (session.subscriptions().remove(id) == null) {
                send(session, Frames.error(ErrorCode.UNKNOWN_SUBSCRIPTION, "no subscription with id " + id, ref), Frames.ERROR);
                return;
            }
            metrics.subscriptionsChanged(-1);
            send(session, Frames.unsubscribed(id, "requested"), Frames.UNSUBSCRIBED);
        });
    }

    /**
     * One database read of a replaying subscription: its account's events after the previous read, complete up
     * to {@code next}. The first one acknowledges the subscription (its cursor is servable).
     */
    public void replayBatch(ClientSession session, Subscription subscription, List<LoggedEvent> events, EventCursor next) {
        submit(() -> {
            if (!isCurrent(session, subscription)) {
                return;
            }
            if (!subscription.isAcknowledged()) {
                acknowledge(session, subscription, subscription.completeUpTo(position));
            }
            for (LoggedEvent logged : events) {
                deliver(session, replayed(logged), subscription);
                if (!isCurrent(session, subscription)) {
                    return;
                }
            }
            subscription.replayedThrough(next);
            metrics.replayedFromDatabase(events.size());
        });
    }

    /** The database part of a replay reached {@code cursor}: continue from memory, or read more. */
    public void finishReplay(ClientSession session, Subscription subscription, EventCursor cursor) {
        submit(() -> {
            if (!isCurrent(session, subscription)) {
                return;
            }
            if (!window.covers(cursor)) {
                databaseReplay.start(session, subscription, cursor);
            } else if (databaseReplay.backlogFull()) {
                databaseReplay.whenBacklogAllows(session, subscription, cursor);
            } else {
                replayFromWindow(session, subscription, cursor);
            }
        });
    }

    /** Ends a subscription whose position cannot be served; the client reloads its snapshot. */
    public void reset(ClientSession session, Subscription subscription, String reason, String message) {
        submit(() -> {
            if (!session.isClosed()) {
                endWithReset(session, subscription, reason, message);
            }
        });
    }

    /**
     * Answers an application-level ping in order with event frames: for each acknowledged subscription the
     * cursor it is complete up to (a subscription still replaying is behind the live position), and the
     * lowest of them as {@code cursor}.
     */
    public void pong(ClientSession session, String ref) {
        submit(() -> {
            Map<String, String> cursors = new LinkedHashMap<>();
            EventCursor lowest = null;
            for (Subscription subscription : session.subscriptions().values()) {
                if (subscription.isAcknowledged()) {
                    EventCursor complete = subscription.completeUpTo(position);
                    cursors.put(subscription.id(), complete.encode());
                    lowest = lowest == null || complete.isBefore(lowest) ? complete : lowest;
                }
            }
            sendResumable(session, Frames.pong(ref, (lowest == null ? position : lowest).encode(), cursors), Frames.PONG);
        });
    }

    /** Sends a signal frame to the connections of the account that {@code accepts} (never to another account's). */
    public void signal(UUID accountId, String frame, String type, Predicate<ClientSession> accepts) {
        submit(() -> {
            Set<ClientSession> sessions = byAccount.get(accountId);
            if (sessions == null) {
                return;
            }
            for (ClientSession session : sessions) {
                if (Access.sameAccount(session.principal(), accountId) && accepts.test(session)) {
                    send(session, frame, type);
                }
            }
        });
    }

    /** The accounts that have at least one connection on this instance (for the metrics relay). */
    public void withAccounts(java.util.function.Consumer<Set<UUID>> consumer) {
        submit(() -> consumer.accept(Set.copyOf(byAccount.keySet())));
    }

    // ---- router-thread internals ----

    private void send(ClientSession session, String frame, String type) {
        frames.add(session, frame, type, null, null);
    }

    /**
     * A frame after which the connection may resume: on SSE it carries, as its event id, the cursor every
     * subscription of the stream is complete up to (one Last-Event-ID resumes them all).
     */
    private void sendResumable(ClientSession session, String frame, String type) {
        frames.add(session, frame, type, streamCursor(session), null);
    }

    /** SSE only: the lowest cursor any subscription of the stream is complete up to; null for WebSockets. */
    private String streamCursor(ClientSession session) {
        if (!ClientSession.SSE.equals(session.transport())) {
            return null;
        }
        EventCursor lowest = null;
        for (Subscription subscription : session.subscriptions().values()) {
            EventCursor complete = subscription.completeUpTo(position);
            lowest = lowest == null || complete.isBefore(lowest) ? complete : lowest;
        }
        return lowest == null ? null : lowest.encode();
    }

    private void dispatch(List<LoggedEvent> events) {
        for (LoggedEvent logged : events) {
            RoutedEvent event = new RoutedEvent(logged);
            window.add(event);
            windowStart = window.start();
            position = logged.cursor();
            applyDirectoryEffects(event);
            RelayTracing.Relay relay = tracing.start(logged);
            Set<ClientSession> sessions = byAccount.get(logged.envelope().accountId());
            if (sessions != null) {
                for (ClientSession session : sessions) {
                    if (deliver(session, event, null) && relay != null) {
                        relay.reached(session);
                    }
                }
            }
            if (relay != null) {
                relay.end();
            }
        }
    }

    /**
     * The routed form of an event read for a replay. Replays of one account from one cursor share their reads,
     * so its connections share one RoutedEvent too: its state and frame bodies are built once, not once per
     * connection.
     */
    private RoutedEvent replayed(LoggedEvent logged) {
        return recentlyReplayed.computeIfAbsent(logged.cursor(), cursor -> new RoutedEvent(logged));
    }

    private void replayFromWindow(ClientSession session, Subscription subscription, EventCursor after) {
        UUID account = session.principal().accountId();
        int replayed = 0;
        for (RoutedEvent event : window.after(after)) {
            if (!account.equals(event.accountId())) {
                continue;
            }
            replayed++;
            deliver(session, event, subscription);
            if (!isCurrent(session, subscription)) {
                return;
            }
        }
        metrics.replayedFromWindow(replayed);
        subscription.goLive(EventCursor.max(after, position));
    }

    /**
     * Sends {@code event} to the session's matching subscriptions in one frame: all live ones, or only
     * {@code replaying} during its replay. Each subscription decides through {@link Subscription#decide}, which
     * refuses another account's events first. True when a frame went to the session.
     */
    private boolean deliver(ClientSession session, RoutedEvent event, Subscription replaying) {
        Principal principal = session.principal();
        if (!Access.sameAccount(principal, event.accountId())) {
            return false;
        }
        if (replaying != null) {
            if (replaying.replayDependsOnMemberships() && event.changesMembershipsOf(principal.agentId())) {
                // the events replayed so far were checked against the memberships of now, not those of their time
                endWithReset(session, replaying, "access_changed", ACCESS_CHANGED);
                return false;
            }
            replaying.replayedThrough(event.logged().cursor());
        }
        Map<String, Subscription.Op> ops = null;
        List<String> revoked = null;
        RoutedEvent.Detail detail = RoutedEvent.Detail.MINIMAL;
        for (Subscription subscription : session.subscriptions().values()) {
            if (replaying == null ? !subscription.isLive() || !subscription.wants(event.logged().cursor()) : subscription != replaying) {
                continue;
            }
            Subscription.Op op = subscription.decide(principal, event);
            if (op == null) {
                continue;
            }
            if (op == Subscription.Op.REVOKED) {
                if (revoked == null) {
                    revoked = new ArrayList<>(1);
                }
                revoked.add(subscription.id());
                continue;
            }
            if (ops == null) {
                ops = new LinkedHashMap<>(4);
            }
            ops.put(subscription.id(), op);
            RoutedEvent.Detail needed = detailFor(op, event);
            if (needed.compareTo(detail) > 0) {
                detail = needed;
            }
        }
        if (ops != null) {
            // the commit → frame lag is measured on live delivery only: a replay's age is the client's time away
            frames.add(session, eventFrame(event, detail, ops), Frames.EVENT, streamCursorOr(session, event.cursor()),
                    replaying == null ? event.logged().recordedAt() : null);
        }
        if (revoked != null) {
            for (String id : revoked) {
                endRevoked(session, session.subscriptions().get(id));
            }
        }
        return ops != null;
    }

    private String streamCursorOr(ClientSession session, String eventCursor) {
        String stream = streamCursor(session);
        return stream == null ? eventCursor : stream;
    }

    /** Ends a subscription with a reset frame: the client reloads its snapshot and subscribes again. */
    private void endWithReset(ClientSession session, Subscription subscription, String reason, String message) {
        if (remove(session, subscription)) {
            metrics.reset(reason);
            send(session, Frames.reset(subscription.id(), reason, message), Frames.RESET);
        }
    }

    /** Ends a subscription whose subscriber lost access to what it follows; nothing of it is sent afterwards. */
    private void endRevoked(ClientSession session, Subscription subscription) {
        if (remove(session, subscription)) {
            send(session, Frames.unsubscribed(subscription.id(), "access_revoked"), Frames.UNSUBSCRIBED);
        }
    }

    private boolean remove(ClientSession session, Subscription subscription) {
        if (subscription == null || !session.subscriptions().remove(subscription.id(), subscription)) {
            return false;
        }
        metrics.subscriptionsChanged(-1);
        return true;
    }

    private String eventFrame(RoutedEvent event, RoutedEvent.Detail detail, Map<String, Subscription.Op> ops) {
        if (lastFrame == null || !lastFrame.isFor(event, detail, ops)) {
            lastFrame = new BuiltFrame(event, detail, ops, Frames.event(ops, event.body(detail, json)));
        }
        return lastFrame.text();
    }

    private static RoutedEvent.Detail detailFor(Subscription.Op op, RoutedEvent event) {
        return switch (op) {
            case ENTER -> RoutedEvent.Detail.FULL;
            case LEAVE -> RoutedEvent.Detail.MINIMAL;
            case CHANGE -> RoutedEvent.Detail.CHANGES;
            default -> event.type().endsWith(".created") || EventTypes.CSAT_SUBMITTED.equals(event.type())
                    ? RoutedEvent.Detail.FULL : RoutedEvent.Detail.CHANGES;
        };
    }

    /** Membership and contact changes arrive as events and update the principals they concern. */
    private void applyDirectoryEffects(RoutedEvent event) {
        JsonNode payload = event.envelope().payload();
        if (EventTypes.AGGREGATE_AGENT.equals(event.aggregateType()) && payload.has("agent")) {
            JsonNode agent = payload.get("agent");
            Memberships latest = new Memberships(event.envelope().aggregateVersion(), uuids(agent.get("inboxIds")), uuids(agent.get("teamIds")));
            UUID agentId = event.envelope().aggregateId();
            memberships.put(agentId, latest);
            boolean membershipsChanged = event.changesMembershipsOf(agentId);
            forSessions(event.envelope().accountId(), s -> agentId.equals(s.principal().agentId()), session -> {
                boolean loadedAhead = session.principal().agentVersion() >= latest.version();
                if (session.principal().applyMemberships(latest.version(), latest.inboxIds(), latest.teamIds())) {
                    accessChanged(session);
                } else if (loadedAhead && membershipsChanged) {
                    membershipsLoadedAhead(session, event.logged().cursor());
                }
            });
        } else if (EventTypes.CONTACT_CREATED.equals(event.type()) && payload.has("contact")) {
            String subject = payload.at("/contact/externalId").asText();
            UUID contactId = event.envelope().aggregateId();
            forSessions(event.envelope().accountId(), s -> s.principal().isCustomer() && subject.equals(s.principal().subject()),
                    session -> session.principal().contactId(contactId));
        }
    }

    /**
     * The agent's memberships changed: its views must be reloaded (conversations may have entered or left
     * its scope), and a conversation it no longer sees ends with {@code access_revoked}.
     */
    private void accessChanged(ClientSession session) {
        for (Subscription subscription : List.copyOf(session.subscriptions().values())) {
            if (subscription.dependsOnMemberships()) {
                endWithReset(session, subscription, "access_changed", ACCESS_CHANGED);
            } else if (subscription instanceof Subscription.ConversationTopic topic && !Access.sees(session.principal(), topic.state())) {
                endRevoked(session, subscription);
            }
        }
    }

    /**
     * The connection loaded the agent's memberships after this change was committed but before it reached the
     * router: a subscription that started before the change has had the events before it decided with the
     * memberships after it, so it is reset like a replay that crosses the change.
     */
    private void membershipsLoadedAhead(ClientSession session, EventCursor change) {
        for (Subscription subscription : List.copyOf(session.subscriptions().values())) {
            if (subscription.replayDependsOnMemberships() && subscription.startedBefore(change)) {
                endWithReset(session, subscription, "access_changed", ACCESS_CHANGED);
            }
        }
    }

    private void forSessions(UUID accountId, Predicate<ClientSession> filter, java.util.function.Consumer<ClientSession> action) {
        Set<ClientSession> sessions = byAccount.get(accountId);
        if (sessions != null) {
            for (ClientSession session : sessions) {
                if (filter.test(session)) {
                    action.accept(session);
                }
            }
        }
    }

    private static boolean isCurrent(ClientSession session, Subscription subscription) {
        return !session.isClosed() && session.subscriptions().get(subscription.id()) == subscription;
    }

    private static Set<UUID> uuids(JsonNode array) {
        if (array == null || !array.isArray()) {
            return Set.of();
        }
        Set<UUID> ids = new HashSet<>();
        array.forEach(id -> ids.add(UUID.fromString(id.asText())));
        return ids;
    }
}
