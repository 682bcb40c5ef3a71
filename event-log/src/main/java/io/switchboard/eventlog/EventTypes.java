package io.switchboard.eventlog;

/** The event and aggregate type names of the log contract (docs/event-log.md describes each payload). */
public final class EventTypes {

    public static final String CONVERSATION_CREATED = "conversation.created";
    public static final String CONVERSATION_STATUS_CHANGED = "conversation.status_changed";
    public static final String CONVERSATION_ASSIGNED = "conversation.assigned";
    public static final String CONVERSATION_ARCHIVED = "conversation.archived";
    public static final String CONVERSATION_UNARCHIVED = "conversation.unarchived";
    public static final String CONVERSATION_UPDATED = "conversation.updated";
    public static final String MESSAGE_CREATED = "message.created";
    public static final String MESSAGE_STATUS_CHANGED = "message.status_changed";
    public static final String CSAT_SUBMITTED = "csat.submitted";
    public static final String AGENT_CREATED = "agent.created";
    public static final String AGENT_UPDATED = "agent.updated";
    public static final String AGENT_STATUS_CHANGED = "agent.status_changed";
    public static final String AGENT_MEMBERSHIPS_CHANGED = "agent.memberships_changed";
    public static final String CONTACT_CREATED = "contact.created";
    public static final String INBOX_CREATED = "inbox.created";
    public static final String TEAM_CREATED = "team.created";
    public static final String ACCOUNT_CREATED = "account.created";
    public static final String ACCOUNT_UPDATED = "account.updated";

    public static final String AGGREGATE_CONVERSATION = "conversation";
    public static final String AGGREGATE_MESSAGE = "message";
    public static final String AGGREGATE_CSAT = "csat_rating";
    public static final String AGGREGATE_AGENT = "agent";
    public static final String AGGREGATE_CONTACT = "contact";
    public static final String AGGREGATE_INBOX = "inbox";
    public static final String AGGREGATE_TEAM = "team";
    public static final String AGGREGATE_ACCOUNT = "account";

    private EventTypes() {
    }
}
