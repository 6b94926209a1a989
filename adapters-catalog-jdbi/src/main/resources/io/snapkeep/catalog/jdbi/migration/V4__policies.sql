-- Snapshot policies, the due times nodes claimed for them, and their history. Portable SQL as in V1 (H2 2.x and
-- PostgreSQL). V3 is left to another change.

-- One row per policy, as its owner wrote it. create_options is a JSON object; a policy without retention has
-- has_retention FALSE and the three retention columns NULL; an absent max_count or expire_after is NULL.
CREATE TABLE snapshot_policies (
    name                 VARCHAR(256)   NOT NULL,
    schedule             VARCHAR(1000)  NOT NULL,
    time_zone            VARCHAR(100)   NOT NULL,
    snapshot_id_template VARCHAR(1000)  NOT NULL,
    create_options       VARCHAR(10000) NOT NULL,
    has_retention        BOOLEAN        NOT NULL,
    max_count            INT,
    expire_after_ms      BIGINT,
    min_count            INT,
    verify_schedule      VARCHAR(1000),
    CONSTRAINT snapshot_policies_pk PRIMARY KEY (name)
);

-- The primary key is what lets exactly one node claim a due time of a policy and kind.
CREATE TABLE policy_claims (
    policy  VARCHAR(256)                NOT NULL,
    kind    VARCHAR(20)                 NOT NULL,
    due_at  TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    node_id VARCHAR(256)                NOT NULL,
    CONSTRAINT policy_claims_pk PRIMARY KEY (policy, kind, due_at)
);

-- One row per entry of a policy's history; '' for an entry without a snapshot or without an execution.
CREATE TABLE policy_runs (
    policy       VARCHAR(256)                NOT NULL,
    kind         VARCHAR(20)                 NOT NULL,
    due_at       TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    snapshot_id  VARCHAR(256)                NOT NULL,
    recorded_at  TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    outcome      VARCHAR(20)                 NOT NULL,
    execution_id VARCHAR(64)                 NOT NULL,
    detail       VARCHAR(100000)             NOT NULL,
    CONSTRAINT policy_runs_pk PRIMARY KEY (policy, kind, due_at, snapshot_id)
);
CREATE INDEX policy_runs_by_time ON policy_runs (policy, due_at, recorded_at);
