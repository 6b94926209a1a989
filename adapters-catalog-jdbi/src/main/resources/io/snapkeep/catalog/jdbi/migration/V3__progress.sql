-- Richer progress of executions: the phase, the totals once known, and the rate and time left as the running
-- node measured them (stored, so that every node and poller sees the same figures). Portable SQL as in V1
-- (H2 2.x and PostgreSQL). NULL is "not known"; rows written before this version have no phase and know none.
ALTER TABLE executions ADD COLUMN progress_phase VARCHAR(32) DEFAULT '' NOT NULL;
ALTER TABLE executions ADD COLUMN bytes_total BIGINT;
ALTER TABLE executions ADD COLUMN entries_total BIGINT;
ALTER TABLE executions ADD COLUMN bytes_per_second BIGINT;
ALTER TABLE executions ADD COLUMN eta_seconds BIGINT;

-- The same figures for the upload of a snapshot, which has no execution: its row carries them while it is
-- uploading, and keeps the last ones after.
ALTER TABLE snapshots ADD COLUMN progress_phase VARCHAR(32) DEFAULT '' NOT NULL;
ALTER TABLE snapshots ADD COLUMN processed_bytes BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE snapshots ADD COLUMN finished_entries BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE snapshots ADD COLUMN bytes_total BIGINT;
ALTER TABLE snapshots ADD COLUMN entries_total BIGINT;
ALTER TABLE snapshots ADD COLUMN bytes_per_second BIGINT;
ALTER TABLE snapshots ADD COLUMN eta_seconds BIGINT;
