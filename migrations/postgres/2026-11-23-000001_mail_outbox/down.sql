ALTER TABLE users DROP COLUMN notify_missed;
ALTER TABLE users DROP COLUMN notify_digest;
ALTER TABLE users DROP COLUMN notify_assignment;
DROP TABLE missed_deadline_alerts;
DROP TABLE digests_sent;
DROP TABLE outbox;
