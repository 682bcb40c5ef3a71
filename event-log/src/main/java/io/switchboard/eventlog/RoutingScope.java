package io.switchboard.eventlog;

import java.util.UUID;

/**
 * Who may see an event, without reading domain tables: the conversation's inbox, team, assignee and
 * contact at the time of the event, and whether it is agent-only (a private note).
 * Account-wide events (agents, inbox changes) leave the conversation fields empty.
 */
public record RoutingScope(UUID inboxId, UUID teamId, UUID assigneeId, UUID contactId, boolean privateToAgents) {

    public static final RoutingScope ACCOUNT = new RoutingScope(null, null, null, null, false);

    /** Account-wide but never for customers (agent status, memberships, directory changes). */
    public static final RoutingScope AGENTS_ONLY = new RoutingScope(null, null, null, null, true);
}
