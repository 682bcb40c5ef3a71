-- The system of record. Every table carries account_id; every query filters by it.

CREATE TABLE conversations.accounts (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL,
    time_zone   text        NOT NULL DEFAULT 'UTC',
    version     bigint      NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE conversations.inboxes (
    id          uuid        PRIMARY KEY,
    account_id  uuid        NOT NULL REFERENCES conversations.accounts (id),
    name        text        NOT NULL,
    channel     text        NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX inboxes_account_idx ON conversations.inboxes (account_id, name);

CREATE TABLE conversations.teams (
    id          uuid        PRIMARY KEY,
    account_id  uuid        NOT NULL REFERENCES conversations.accounts (id),
    name        text        NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX teams_account_idx ON conversations.teams (account_id, name);

CREATE TABLE conversations.agents (
    id                 uuid        PRIMARY KEY,
    account_id         uuid        NOT NULL REFERENCES conversations.accounts (id),
    name               text        NOT NULL,
    email              text        NOT NULL,
    role               text        NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
    status             text        NOT NULL CHECK (status IN ('online', 'busy', 'away', 'offline')),
    status_changed_at  timestamptz NOT NULL,
    version            bigint      NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
CREATE UNIQUE INDEX agents_account_email_idx ON conversations.agents (account_id, lower(email));

CREATE TABLE conversations.agent_inboxes (
    agent_id  uuid NOT NULL REFERENCES conversations.agents (id) ON DELETE CASCADE,
    inbox_id  uuid NOT NULL REFERENCES conversations.inboxes (id) ON DELETE CASCADE,
    PRIMARY KEY (agent_id, inbox_id)
);
CREATE INDEX agent_inboxes_inbox_idx ON conversations.agent_inboxes (inbox_id);

CREATE TABLE conversations.agent_teams (
    agent_id  uuid NOT NULL REFERENCES conversations.agents (id) ON DELETE CASCADE,
    team_id   uuid NOT NULL REFERENCES conversations.teams (id) ON DELETE CASCADE,
    PRIMARY KEY (agent_id, team_id)
);
CREATE INDEX agent_teams_team_idx ON conversations.agent_teams (team_id);

-- Customers. external_id is the subject of the customer's token; the contact is created on first chat.
CREATE TABLE conversations.contacts (
    id           uuid        PRIMARY KEY,
    account_id   uuid        NOT NULL REFERENCES conversations.accounts (id),
    external_id  text        NOT NULL,
    name         text,
    email        text,
    created_at   timestamptz NOT NULL,
    UNIQUE (account_id, external_id)
);

CREATE TABLE conversations.conversations (
    id                     uuid        PRIMARY KEY,
    account_id             uuid        NOT NULL REFERENCES conversations.accounts (id),
    inbox_id               uuid        NOT NULL REFERENCES conversations.inboxes (id),
    contact_id             uuid        NOT NULL REFERENCES conversations.contacts (id),
    team_id                uuid        REFERENCES conversations.teams (id),
    assignee_id            uuid        REFERENCES conversations.agents (id),
    status                 text        NOT NULL CHECK (status IN ('open', 'pending', 'snoozed', 'resolved')),
    snoozed_until          timestamptz,
    archived               boolean     NOT NULL DEFAULT false,
    priority               text        NOT NULL CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    waiting_since          timestamptz,
    first_reply_at         timestamptz,
    last_activity_at       timestamptz NOT NULL,
    resolved_at            timestamptz,
    agent_unread_count     integer     NOT NULL DEFAULT 0,
    customer_unread_count  integer     NOT NULL DEFAULT 0,
    last_message_preview   text,
    version                bigint      NOT NULL,
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL,
    CHECK ((status = 'snoozed') = (snoozed_until IS NOT NULL))
);
CREATE INDEX conversations_activity_idx ON conversations.conversations (account_id, archived, last_activity_at DESC, id DESC);
CREATE INDEX conversations_assignee_idx ON conversations.conversations (account_id, assignee_id, last_activity_at DESC, id DESC);
CREATE INDEX conversations_inbox_idx ON conversations.conversations (account_id, inbox_id, last_activity_at DESC, id DESC);
CREATE INDEX conversations_contact_idx ON conversations.conversations (account_id, contact_id, last_activity_at DESC, id DESC);
CREATE INDEX conversations_queue_idx ON conversations.conversations (account_id, waiting_since, created_at)
    WHERE status = 'open' AND assignee_id IS NULL AND NOT archived;
CREATE INDEX conversations_snoozed_idx ON conversations.conversations (snoozed_until) WHERE status = 'snoozed';

CREATE TABLE conversations.messages (
    id                 uuid        PRIMARY KEY,
    account_id         uuid        NOT NULL,
    conversation_id    uuid        NOT NULL REFERENCES conversations.conversations (id),
    sender_kind        text        NOT NULL CHECK (sender_kind IN ('customer', 'agent', 'system')),
    sender_id          uuid,
    message_type       text        NOT NULL CHECK (message_type IN ('text', 'image', 'file', 'audio', 'video')),
    content            text,
    attachments        jsonb       NOT NULL DEFAULT '[]',
    private_note       boolean     NOT NULL DEFAULT false,
    status             text        NOT NULL CHECK (status IN ('sent', 'delivered', 'read', 'failed')),
    client_message_id  text,
    version            bigint      NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX messages_conversation_idx ON conversations.messages (conversation_id, created_at DESC, id DESC);
CREATE UNIQUE INDEX messages_client_id_idx ON conversations.messages (conversation_id, client_message_id)
    WHERE client_message_id IS NOT NULL;

CREATE TABLE conversations.csat_ratings (
    id               uuid        PRIMARY KEY,
    account_id       uuid        NOT NULL,
    conversation_id  uuid        NOT NULL UNIQUE REFERENCES conversations.conversations (id),
    contact_id       uuid        NOT NULL REFERENCES conversations.contacts (id),
    agent_id         uuid        REFERENCES conversations.agents (id),
    rating           smallint    NOT NULL CHECK (rating BETWEEN 1 AND 5),
    feedback         text,
    version          bigint      NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
