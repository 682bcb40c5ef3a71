package io.switchboard.gateway.session;

import io.switchboard.eventlog.EventCursor;
import io.switchboard.eventlog.EventTypes;
import io.switchboard.gateway.auth.Principal;
import io.switchboard.gateway.events.ConversationState;
import io.switchboard.gateway.events.RoutedEvent;
import java.util.UUID;

/**
 * One subscription of a connection. State is touched by the router thread only. {@link #decide} says
 * whether and how an event goes to this subscription.
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
    private EventCursor deliverAfter;

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

    public void goLive(EventCursor after) {
        this.live = true;
        this.deliverAfter = after;
    }

    public void pause() {
        this.live = false;
    }

    /** Live delivery skips events at or before this position (the client already has them). */
    public boolean wants(EventCursor cursor) {
        return deliverAfter == null || cursor.isAfter(deliverAfter);
    }

    /** The operation for {@code event}, or null when it does not concern this subscription. */
    public abstract Op decide(Principal principal, RoutedEvent event);

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
        public Op decide(Principal principal, RoutedEvent event) {
            if (!event.isConversationEvent()) {
                return null;
            }
            return transition(inView(principal, event.before()), inView(principal, event.after()));
        }

        private boolean inView(Principal principal, ConversationState state) {
            return state != null && Access.sees(principal, state) && filter.matches(principal, state);
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
        public Op decide(Principal principal, RoutedEvent event) {
            if (!event.isConversationEvent()) {
                return null;
            }
            return transition(queued(principal, event.before()), queued(principal, event.after()));
        }

        private static boolean queued(Principal principal, ConversationState state) {
            return state != null && state.queued() && Access.sees(principal, state);
        }
    }

    /** One conversation: its changes, messages, rating and typing signals. */
    public static final class ConversationTopic extends Subscription {
        private final UUID conversationId;

        public ConversationTopic(String id, UUID conversationId) {
            super(id);
            this.conversationId = conversationId;
        }

        public UUID conversationId() {
            return conversationId;
        }

        @Override
        public String topic() {
            return "conversation:" + conversationId;
        }

        @Override
        public Op decide(Principal principal, RoutedEvent event) {
            if (!conversationId.equals(event.conversationId())) {
                return null;
            }
            if (event.isConversationEvent()) {
                if (Access.sees(principal, event.after())) {
                    return Op.EVENT;
                }
                return event.before() != null && Access.sees(principal, event.before()) ? Op.REVOKED : null;
            }
            return Access.sees(principal, event.scope()) ? Op.EVENT : null;
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
        public Op decide(Principal principal, RoutedEvent event) {
            return EventTypes.AGGREGATE_AGENT.equals(event.aggregateType()) ? Op.EVENT : null;
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
