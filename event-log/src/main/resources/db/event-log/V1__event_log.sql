-- The durable, ordered event log shared by all Switchboard services.
-- Ordering contract (docs/event-log.md): positions are (tx_id, seq); a reader only returns rows whose
-- tx_id is below the xmin of its snapshot, so no transaction can still commit an earlier position.

CREATE TABLE event_log.events (
    -- Top-level transaction id (xid8 as bigint) of the writer: commit-safe ordering key.
    tx_id              bigint      NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
    -- Order of events inside one transaction.
    seq                bigint      GENERATED ALWAYS AS IDENTITY,
    event_id           uuid        NOT NULL,
    event_type         text        NOT NULL,
    account_id         uuid        NOT NULL,
    aggregate_type     text        NOT NULL,
    aggregate_id       uuid        NOT NULL,
    aggregate_version  bigint      NOT NULL,
    occurred_at        timestamptz NOT NULL,
    recorded_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor_type         text        NOT NULL,
    actor_id           uuid,
    -- Routing scope: lets consumers authorize subscribers without reading domain tables.
    scope_inbox_id     uuid,
    scope_team_id      uuid,
    scope_assignee_id  uuid,
    scope_contact_id   uuid,
    scope_private      boolean     NOT NULL DEFAULT false,
    payload            jsonb       NOT NULL,
    PRIMARY KEY (tx_id, seq)
);

-- One row: the highest position deleted by retention. Cursors at or below it are expired.
CREATE TABLE event_log.retention (
    singleton   boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    pruned_tx   bigint      NOT NULL DEFAULT 0,
    pruned_seq  bigint      NOT NULL DEFAULT 0,
    pruned_at   timestamptz
);

INSERT INTO event_log.retention DEFAULT VALUES;
