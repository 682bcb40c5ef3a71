-- The gateway's own state: which instances are alive and which agents hold connections where.

CREATE TABLE gateway.instances (
    instance_id   text        PRIMARY KEY,
    started_at    timestamptz NOT NULL DEFAULT now(),
    heartbeat_at  timestamptz NOT NULL DEFAULT now()
);

-- An agent with at least one connection on an instance; counted only while the instance heartbeats.
CREATE TABLE gateway.presence (
    instance_id  text        NOT NULL,
    agent_id     uuid        NOT NULL,
    account_id   uuid        NOT NULL,
    since        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (instance_id, agent_id)
);
CREATE INDEX presence_agent_idx ON gateway.presence (agent_id);

-- The presence last announced per agent; seq orders announcements so clients apply the newest.
CREATE TABLE gateway.agent_presence (
    agent_id    uuid        PRIMARY KEY,
    account_id  uuid        NOT NULL,
    online      boolean     NOT NULL,
    seq         bigint      NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now()
);
