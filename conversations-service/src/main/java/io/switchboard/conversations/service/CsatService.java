package io.switchboard.conversations.service;

import io.switchboard.conversations.domain.Conversation;
import io.switchboard.conversations.domain.ConversationStatus;
import io.switchboard.conversations.domain.CsatRating;
import io.switchboard.conversations.domain.CsatView;
import io.switchboard.conversations.events.DomainEvents;
import io.switchboard.conversations.events.EventPublisher;
import io.switchboard.conversations.rest.dto.CsatRequest;
import io.switchboard.conversations.rest.problem.Problems;
import io.switchboard.conversations.security.Caller;
import io.switchboard.eventlog.Actor;
import io.switchboard.eventlog.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** CSAT: one rating per resolved conversation, given by its customer; rating again replaces it. */
@ApplicationScoped
public class CsatService {

    @Inject
    ConversationChanges changes;

    @Inject
    ConversationAccess access;

    @Inject
    MessageService messages;

    @Inject
    EventPublisher events;

    @Inject
    DomainEvents domainEvents;

    @Inject
    TimeSource time;

    /** The rating, and whether this call created it (false: it replaced or repeated an earlier one). */
    public record Rated(CsatView csat, boolean created) {
    }

    @Transactional
    public Rated rate(Caller customer, UUID conversationId, CsatRequest request) {
        Actor actor = messages.actorOf(customer);
        // CSAT writes are ordered under their conversation's lock, like messages.
        Conversation conversation = changes.lockForChange(customer, conversationId, null);
        if (conversation.status != ConversationStatus.RESOLVED) {
            throw Problems.conflict("conversation-not-resolved", "Conversation not resolved",
                    "only a resolved conversation can be rated");
        }
        CsatRating rating = CsatRating.find("conversationId", conversationId).firstResult();
        Instant now = time.now();
        String feedback = request.feedback() == null || request.feedback().isBlank() ? null : request.feedback();
        if (rating == null) {
            rating = new CsatRating();
            rating.id = Ids.newId();
            rating.accountId = conversation.accountId;
            rating.conversationId = conversation.id;
            rating.contactId = conversation.contactId;
            rating.agentId = conversation.assigneeId;
            rating.rating = request.rating().shortValue();
            rating.feedback = feedback;
            rating.version = 1;
            rating.createdAt = now;
            rating.updatedAt = now;
            rating.persist();
            events.publish(domainEvents.csatSubmitted(null, rating, conversation, actor));
            return new Rated(CsatView.of(rating), true);
        }
        if (rating.rating == request.rating() && Objects.equals(rating.feedback, feedback)
                && Objects.equals(rating.agentId, conversation.assigneeId)) {
            return new Rated(CsatView.of(rating), false);
        }
        CsatView previous = CsatView.of(rating);
        rating.rating = request.rating().shortValue();
        rating.feedback = feedback;
        rating.agentId = conversation.assigneeId;
        rating.version++;
        rating.updatedAt = now;
        events.publish(domainEvents.csatSubmitted(previous, rating, conversation, actor));
        return new Rated(CsatView.of(rating), false);
    }

    public CsatView get(Caller caller, UUID conversationId) {
        access.require(caller, conversationId);
        CsatRating rating = CsatRating.find("conversationId", conversationId).firstResult();
        if (rating == null) {
            throw Problems.notFound("rating");
        }
        return CsatView.of(rating);
    }
}
