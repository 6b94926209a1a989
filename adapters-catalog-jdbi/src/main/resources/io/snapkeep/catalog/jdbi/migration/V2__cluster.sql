-- Several nodes on one catalog: which node runs an execution, node leases, named locks, and issued tokens.
-- Portable SQL as in V1 (H2 2.x and PostgreSQL); rows written before this version keep their values and get
-- the defaults below.

-- '' while queued and for every execution written before nodes existed: no node has claimed it.
ALTER TABLE executions ADD COLUMN node_id VARCHAR(256) DEFAULT '' NOT NULL;
-- Set by beginFinish: the execution is past the point where a cancel could still apply.
ALTER TABLE executions ADD COLUMN finishing BOOLEAN DEFAULT FALSE NOT NULL;

-- One row per node: its current process (instance) and how long its heartbeat lease runs.
CREATE TABLE nodes (
    node_id    VARCHAR(256)                NOT NULL,
    instance   VARCHAR(256)                NOT NULL,
    started_at TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    CONSTRAINT nodes_pk PRIMARY KEY (node_id)
);

-- A named lock counts as held only while the nodes row of its holder names the same instance and has not
-- expired; there is deliberately no foreign key, so that a node's row can go while its locks stay, dead.
CREATE TABLE locks (
    name        VARCHAR(256)                NOT NULL,
    node_id     VARCHAR(256)                NOT NULL,
    instance    VARCHAR(256)                NOT NULL,
    acquired_at TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    CONSTRAINT locks_pk PRIMARY KEY (name)
);

-- Only the digest of a token's secret is stored; roles is a JSON array of names.
CREATE TABLE tokens (
    id         VARCHAR(256)                NOT NULL,
    digest     VARCHAR(64)                 NOT NULL,
    user_name  VARCHAR(1000)               NOT NULL,
    roles      VARCHAR(100000)             NOT NULL,
    issued_at  TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP(3) WITH TIME ZONE NOT NULL,
    CONSTRAINT tokens_pk PRIMARY KEY (id),
    CONSTRAINT tokens_digest_unique UNIQUE (digest)
);
CREATE INDEX tokens_by_user ON tokens (user_name, issued_at, id);
CREATE INDEX tokens_by_expiry ON tokens (expires_at);

-- One row, locked (by updating it) by every token insert, so that two inserts for one user cannot both keep
-- a token beyond the per-user bound: neither would see the other's uncommitted row.
CREATE TABLE token_issue_lock (
    id         INT    NOT NULL,
    lock_count BIGINT NOT NULL,
    CONSTRAINT token_issue_lock_pk PRIMARY KEY (id)
);
INSERT INTO token_issue_lock (id, lock_count) VALUES (1, 0);
