package io.switchboard.gateway.session;

import io.switchboard.eventlog.RoutingScope;
import io.switchboard.gateway.auth.Principal;
import io.switchboard.gateway.events.ConversationState;
import io.switchboard.gateway.events.RoutedEvent;
import java.util.UUID;

/**
 * The one place that decides who may receive what (README "Who sees what", the same rules as the
 * conversations service). Every decision starts with the tenant: nothing of another account, whatever the
 * role. Then: supervisors and admins the whole account; agents conversations of their inboxes, their teams,
 * or assigned to them; customers their own conversation's non-private events; account-wide directory
 * events agents only. Every delivery path asks here: event frames (live, replayed from memory or from the
 * database, WebSocket or SSE) through {@link Subscription#decide}, typing and presence signals through the
 * router's {@code signal}, metrics frames through the metrics relay.
 */
public final class Access {

    private Access() {
    }

    /** Tenant isolation, the first rule of every decision below. */
    public static boolean sameAccount(Principal principal, UUID accountId) {
        return principal != null && accountId != null && principal.accountId().equals(accountId);
    }

    /** May the principal see an event that is not a conversation's state change (messages, ratings, agents)? */
    public static boolean sees(Principal principal, RoutedEvent event) {
        if (!sameAccount(principal, event.accountId())) {
            return false;
        }
        RoutingScope scope = event.scope();
        if (principal.isCustomer()) {
            return !scope.privateToAgents() && principal.contactId() != null && principal.contactId().equals(scope.contactId());
        }
        if (scope.inboxId() == null) {
            return true;
        }
        return agentSees(principal, scope.inboxId(), scope.teamId(), scope.assigneeId());
    }

    /** May the principal see the conversation in this state? */
    public static boolean sees(Principal principal, ConversationState conversation) {
        if (conversation == null || !sameAccount(principal, conversation.accountId())) {
            return false;
        }
        if (principal.isCustomer()) {
            return principal.contactId() != null && principal.contactId().equals(conversation.contactId());
        }
        return agentSees(principal, conversation.inboxId(), conversation.teamId(), conversation.assigneeId());
    }

    /** Directory topics (agents, presence): agents of the same account. */
    public static boolean seesDirectory(Principal principal, UUID accountId) {
        return sameAccount(principal, accountId) && principal.isAgent();
    }

    /** The account's dashboard figures: supervisors and admins of that account. */
    public static boolean seesMetrics(Principal principal, UUID accountId) {
        return sameAccount(principal, accountId) && principal.seesWholeAccount();
    }

    private static boolean agentSees(Principal principal, UUID inboxId, UUID teamId, UUID assigneeId) {
        return principal.seesWholeAccount()
                || principal.agentId().equals(assigneeId)
                || (inboxId != null && principal.inboxIds().contains(inboxId))
                || (teamId != null && principal.teamIds().contains(teamId));
    }
}
