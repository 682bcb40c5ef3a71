-- The metrics service's own schema: rollups folded from the event log (docs/metrics.md).
-- Rollups are kept per quarter hour of UTC, the finest grain at which any time zone's hours start
-- (offsets such as +05:30 and +05:45), so hourly figures in any zone are sums of whole buckets.
-- NULLS NOT DISTINCT (PostgreSQL 15+) lets "no agent" / "no team" be one key, not many.

-- Where folding stands: the log position of the last folded event, saved in the same transaction as the
-- rollup changes it produced.
CREATE TABLE metrics.fold_position (
    id             smallint    PRIMARY KEY CHECK (id = 1),
    tx_id          bigint      NOT NULL,
    seq            bigint      NOT NULL,
    folded_events  bigint      NOT NULL,
    updated_at     timestamptz NOT NULL
);
INSERT INTO metrics.fold_position VALUES (1, 0, 0, 0, now());

CREATE TABLE metrics.accounts (
    id         uuid PRIMARY KEY,
    time_zone  text NOT NULL
);

CREATE TABLE metrics.agents (
    id          uuid PRIMARY KEY,
    account_id  uuid NOT NULL,
    name        text NOT NULL,
    role        text NOT NULL,
    status      text NOT NULL
);
CREATE INDEX agents_account_idx ON metrics.agents (account_id);

-- Conversations that are active now (open or pending, not archived); the queue and the overview read it.
CREATE TABLE metrics.active_conversations (
    id             uuid        PRIMARY KEY,
    account_id     uuid        NOT NULL,
    inbox_id       uuid        NOT NULL,
    status         text        NOT NULL,
    assignee_id    uuid,
    waiting_since  timestamptz,
    created_at     timestamptz NOT NULL
);
CREATE INDEX active_conversations_queue_idx ON metrics.active_conversations (account_id, waiting_since)
    WHERE status = 'open' AND assignee_id IS NULL;

-- Queue figures as of the last computation (every queue tick, and every fold that touched the account).
CREATE TABLE metrics.queue_snapshots (
    account_id            uuid        PRIMARY KEY,
    depth                 integer     NOT NULL,
    waiting               integer     NOT NULL,
    average_wait_micros   bigint      NOT NULL,
    longest_wait_micros   bigint      NOT NULL,
    computed_at           timestamptz NOT NULL
);

CREATE TABLE metrics.message_rollup (
    account_id    uuid        NOT NULL,
    bucket        timestamptz NOT NULL,
    inbox_id      uuid        NOT NULL,
    agent_id      uuid,
    message_type  text        NOT NULL,
    direction     text        NOT NULL,
    status        text        NOT NULL,
    messages      bigint      NOT NULL,
    CONSTRAINT message_rollup_key UNIQUE NULLS NOT DISTINCT
        (account_id, bucket, inbox_id, agent_id, message_type, direction, status)
);

-- measure: created (conversations by creation time), first_reply (by first reply time, duration = first
-- reply − creation), resolved (by resolution time, duration = resolution − creation).
CREATE TABLE metrics.conversation_rollup (
    account_id       uuid        NOT NULL,
    bucket           timestamptz NOT NULL,
    measure          text        NOT NULL,
    inbox_id         uuid        NOT NULL,
    team_id          uuid,
    agent_id         uuid,
    conversations    bigint      NOT NULL,
    duration_micros  bigint      NOT NULL,
    CONSTRAINT conversation_rollup_key UNIQUE NULLS NOT DISTINCT
        (account_id, bucket, measure, inbox_id, team_id, agent_id)
);

CREATE TABLE metrics.csat_rollup (
    account_id  uuid        NOT NULL,
    bucket      timestamptz NOT NULL,
    inbox_id    uuid        NOT NULL,
    agent_id    uuid,
    rating      smallint    NOT NULL,
    ratings     bigint      NOT NULL,
    CONSTRAINT csat_rollup_key UNIQUE NULLS NOT DISTINCT (account_id, bucket, inbox_id, agent_id, rating)
);
