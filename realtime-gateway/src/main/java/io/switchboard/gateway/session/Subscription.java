package io.switchboard.gateway.session;

import io.switchboard.eventlog.EventCursor;
import io.switchboard.eventlog.EventTypes;
import io.switchboard.gateway.auth.Principal;
import io.switchboard.gateway.events.ConversationState;
import io.switchboard.gateway.events.RoutedEvent;
import java.util.UUID;

/**
 * One subscription of a connection. State is touched by the router thread only. {@link #decide} says
 * whether and how an event goes to this subscription; it is the only way an event reaches a subscriber,
 * and it refuses every event of another account before a subscription type looks at it.
 *
 * <p>Progress: a subscription is <em>complete up to</em> a cursor when every event at or before it that
 * it may see has been handed to the connection. That cursor is what the gateway may give a client to
 * resume from ({@code subscribed}, {@code pong}, the SSE event id), never more.
 */
public abstract sealed class Subscription
        permits Subscription.ConversationsView, Subscription.Queue, Subscription.ConversationTopic, Subscription.Agents {

    /** What an event means for a subscription. */
    public enum Op {
        /** The entity enters the view (the frame carries it whole). */
        ENTER,
        /** The entity changed and stays in the view. */
        CHANGE,
        /** The entity leaves the view. */
        LEAVE,
        /** An event of a topic (a conversation, the agents). */
        EVENT,
        /** The subscriber lost access; the subscription ends. */
        REVOKED
    }

    private final String id;
    private boolean live;
    private boolean acknowledged;
    private EventCursor deliverAfter;
    private EventCursor replayedThrough;
    private EventCursor origin;

    Subscription(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public abstract String topic();

    /** Live subscriptions receive dispatched events; a replaying one receives its replay only. */
    public boolean isLive() {
        return live;
    }

    /** From now on every dispatched event after {@code after} goes to this subscription. */
    public void goLive(EventCursor after) {
        if (origin == null) {
            origin = after;
        }
        this.live = true;
        this.deliverAfter = after;
        this.replayedThrough = after;
    }

    /** Replays from {@code since}: complete up to it until the replay moves on. */
    public void replayFrom(EventCursor since) {
        this.origin = since;
        this.live = false;
        this.replayedThrough = since;
    }

    /** The replay has handed over everything up to {@code cursor}. */
    public void replayedThrough(EventCursor cursor) {
        if (replayedThrough == null || cursor.isAfter(replayedThrough)) {
            this.replayedThrough = cursor;
        }
    }

    /** Whether the subscription started from a position before {@code cursor} (its client state is older). */
    public boolean startedBefore(EventCursor cursor) {
        return origin != null && origin.isBefore(cursor);
    }

    /** Where this subscription is complete up to, given the router's live position. */
    public EventCursor completeUpTo(EventCursor livePosition) {
        return live ? EventCursor.max(deliverAfter, livePosition) : replayedThrough;
    }

    /** Whether the client was told {@code subscribed} (its cursors from then on are meaningful to it). */
    public boolean isAcknowledged() {
        return acknowledged;
    }

    public void acknowledge() {
        this.acknowledged = true;
    }

    /** Live delivery skips events at or before this position (the client already has them). */
    public boolean wants(EventCursor cursor) {
        return deliverAfter == null || cursor.isAfter(deliverAfter);
    }

    /** The operation for {@code event}, or null when it does not concern this subscription. */
    public final Op decide(Principal principal, RoutedEvent event) {
        if (!Access.sameAccount(principal, event.accountId())) {
            return null;
        }
        return decideInAccount(principal, event);
    }

    /** {@link #decide} for an event of the principal's own account. */
    protected abstract Op decideInAccount(Principal principal, RoutedEvent event);

    /** Whether a membership change of the subscriber makes this subscription's client state unreliable (views). */
    public boolean dependsOnMemberships() {
        return false;
    }

    /**
     * Whether a replay that reaches a membership change of the subscriber must end with a reset. A replay
     * decides past events with the memberships of now, so each event before the change may have been
     * decided under the wrong ones: a message the agent saw through an inbox it has since left would be
     * skipped while the conversation, assigned to it now, shows that message in REST.
     */
    public boolean replayDependsOnMemberships() {
        return dependsOnMemberships();
    }

    /** Views of conversations filtered like the REST list: enter, change, leave. */
    public static final class ConversationsView extends Subscription {
        private final ConversationFilter filter;

        public ConversationsView(String id, ConversationFilter filter) {
            super(id);
            this.filter = filter;
        }

        @Override
        public String topic() {
            return "conversations";
        }

        @Override
        protected Op decideInAccount(Principal principal, RoutedEvent event) {
            if (!event.isConversationEvent()) {
                return null;
            }
            return transition(inView(principal, event.before()), inView(principal, event.after()));
        }

        @Override
        public boolean dependsOnMemberships() {
            return true;
        }

        private boolean inView(Principal principal, ConversationState state) {
            return Access.sees(principal, state) && filter.matches(principal, state);
        }
    }

    /** The waiting queue: open, unassigned, not archived conversations the subscriber sees. */
    public static final class Queue extends Subscription {

        public Queue(String id) {
            super(id);
        }

        @Override
        public String topic() {
            return "queue";
        }

        @Override
        protected Op decideInAccount(Principal principal, RoutedEvent event) {
            if (!event.isConversationEvent()) {
                return null;
            }
            return transition(queued(principal, event.before()), queued(principal, event.after()));
        }

        @Override
        public boolean dependsOnMemberships() {
            return true;
        }

        private static boolean queued(Principal principal, ConversationState state) {
            return state != null && state.queued() && Access.sees(principal, state);
        }
    }

    /**
     * One conversation: its changes, messages, rating and typing signals. It keeps the conversation's latest
     * known state, so a membership change (which arrives as an agent event, not as an event of this
     * conversation) and every typing signal can be checked against who may see the conversation now.
     */
    public static final class ConversationTopic extends Subscription {
        private final UUID conversationId;
        private ConversationState state;

        public ConversationTopic(String id, UUID conversationId, ConversationState state) {
            super(id);
            this.conversationId = conversationId;
            this.state = state;
        }

        public UUID conversationId() {
            return conversationId;
        }

        /** The newest state of the conversation this subscription has seen. */
        public ConversationState state() {
            return state;
        }

        public void learn(ConversationState newer) {
            state = ConversationState.newer(state, newer);
        }

        @Override
        public String topic() {
            return "conversation:" + conversationId;
        }

        @Override
        public boolean replayDependsOnMemberships() {
            return true;
        }

        @Override
        protected Op decideInAccount(Principal principal, RoutedEvent event) {
            if (!conversationId.equals(event.conversationId())) {
                return null;
            }
            if (event.isConversationEvent()) {
                learn(event.after());
                if (Access.sees(principal, event.after())) {
                    return Op.EVENT;
                }
                return Access.sees(principal, event.before()) ? Op.REVOKED : null;
            }
            return Access.sees(principal, event) ? Op.EVENT : null;
        }
    }

    /** Agents of the account: directory changes and status; presence signals go to it too. */
    public static final class Agents extends Subscription {

        public Agents(String id) {
            super(id);
        }

        @Override
        public String topic() {
            return "agents";
        }

        @Override
        protected Op decideInAccount(Principal principal, RoutedEvent event) {
            return EventTypes.AGGREGATE_AGENT.equals(event.aggregateType()) && Access.seesDirectory(principal, event.accountId())
                    ? Op.EVENT : null;
        }
    }

    static Op transition(boolean before, boolean after) {
        if (before && after) {
            return Op.CHANGE;
        }
        if (after) {
            return Op.ENTER;
        }
        return before ? Op.LEAVE : null;
    }
}
