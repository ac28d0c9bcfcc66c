-- Issue 17, finding 6: `/health` commits a write to this one-row table, so it reports
-- `degraded` when the database answers reads but cannot be written (disk full, read-only).
CREATE TABLE heartbeat (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    beat_at TIMESTAMP NOT NULL
);
INSERT INTO heartbeat (id, beat_at) VALUES (1, CURRENT_TIMESTAMP);
