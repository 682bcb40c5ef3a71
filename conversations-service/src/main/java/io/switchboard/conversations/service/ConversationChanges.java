package io.switchboard.conversations.service;

import io.switchboard.conversations.domain.Conversation;
import io.switchboard.conversations.domain.ConversationView;
import io.switchboard.conversations.events.DomainEvents;
import io.switchboard.conversations.events.EventPublisher;
import io.switchboard.conversations.rest.problem.Problems;
import io.switchboard.conversations.security.Caller;
import io.switchboard.eventlog.Actor;
import io.switchboard.eventlog.EventEnvelope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;

/**
 * The one way a conversation changes: take its ordering lock, load it (404 unless visible), check the
 * expected version (If-Match), apply the change, bump the version and write the event, all in the
 * caller's transaction.
 */
@ApplicationScoped
public class ConversationChanges {

    @Inject
    EventPublisher events;

    @Inject
    DomainEvents domainEvents;

    @Inject
    ConversationAccess access;

    @Inject
    TimeSource time;

    /** Locks and loads a visible conversation for a change; throws 412 when {@code expectedVersion} is stale. */
    public Conversation lockForChange(Caller caller, UUID conversationId, Long expectedVersion) {
        events.lockAggregates(conversationId);
        Conversation conversation = access.require(caller, conversationId);
        if (expectedVersion != null && expectedVersion != conversation.version) {
            throw Problems.versionConflict(expectedVersion, conversation.version, ConversationView.of(conversation));
        }
        return conversation;
    }

    /** A change to a locked conversation at {@code now}; returns the event type, or null if nothing changed. */
    @FunctionalInterface
    public interface Mutation {
        String apply(Conversation conversation, Instant now);
    }

    /** Applies {@code mutation}; when it changed something, bumps the version and writes the event. */
    public Conversation change(Caller caller, UUID conversationId, Long expectedVersion, Actor actor, Mutation mutation) {
        return apply(lockForChange(caller, conversationId, expectedVersion), actor, mutation);
    }

    /** A change the service makes on its own (e.g. a snooze ending); null if the conversation is gone. */
    public Conversation changeAsSystem(UUID conversationId, Mutation mutation) {
        events.lockAggregates(conversationId);
        Conversation conversation = Conversation.findById(conversationId);
        return conversation == null ? null : apply(conversation, Actor.system(), mutation);
    }

    private Conversation apply(Conversation conversation, Actor actor, Mutation mutation) {
        ConversationView before = ConversationView.of(conversation);
        Instant now = time.now();
        String eventType = mutation.apply(conversation, now);
        if (eventType != null) {
            events.publish(record(conversation, before, eventType, actor, now));
        }
        return conversation;
    }

    /** Stamps a change already applied to a locked conversation (version, time) and returns its event. */
    public EventEnvelope record(Conversation conversation, ConversationView before, String eventType, Actor actor, Instant now) {
        conversation.version++;
        conversation.updatedAt = now;
        return domainEvents.conversationChanged(eventType, before, conversation, actor);
    }
}
