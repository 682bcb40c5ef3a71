package io.switchboard.gateway.session;

import io.switchboard.eventlog.RoutingScope;
import io.switchboard.gateway.auth.Principal;
import io.switchboard.gateway.events.ConversationState;
import java.util.UUID;

/**
 * Who may see an event, from the principal and the event's routing scope alone (the same rules as the
 * conversations service; README "Who sees what"): supervisors and admins the whole account; agents
 * conversations of their inboxes, their teams, or assigned to them; customers their own conversation's
 * non-private events. Account-wide directory events reach agents only.
 */
public final class Access {

    private Access() {
    }

    public static boolean sees(Principal principal, RoutingScope scope) {
        if (principal.isCustomer()) {
            return !scope.privateToAgents() && principal.contactId() != null && principal.contactId().equals(scope.contactId());
        }
        if (scope.inboxId() == null) {
            return true;
        }
        return agentSees(principal, scope.inboxId(), scope.teamId(), scope.assigneeId());
    }

    public static boolean sees(Principal principal, ConversationState conversation) {
        if (conversation == null) {
            return false;
        }
        if (principal.isCustomer()) {
            return principal.contactId() != null && principal.contactId().equals(conversation.contactId());
        }
        return agentSees(principal, conversation.inboxId(), conversation.teamId(), conversation.assigneeId());
    }

    private static boolean agentSees(Principal principal, UUID inboxId, UUID teamId, UUID assigneeId) {
        return principal.seesWholeAccount()
                || principal.agentId().equals(assigneeId)
                || (inboxId != null && principal.inboxIds().contains(inboxId))
                || (teamId != null && principal.teamIds().contains(teamId));
    }
}
