-- Back to the outbox without the constraint (rebuilt, as SQLite requires).
CREATE TABLE outbox_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('letter', 'notification', 'digest', 'alert')),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT,
    message_id TEXT NOT NULL UNIQUE,
    case_id INTEGER REFERENCES cases (id),
    letter_id INTEGER,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    lease_owner TEXT,
    lease_expires_at TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
INSERT INTO outbox_new (id, kind, recipient, subject, body_text, body_html, message_id, case_id,
    letter_id, status, attempts, next_attempt_at, lease_owner, lease_expires_at, last_error,
    created_at, sent_at)
SELECT id, kind, recipient, subject, body_text, body_html, message_id, case_id, letter_id,
    status, attempts, next_attempt_at, lease_owner, lease_expires_at, last_error, created_at,
    sent_at
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_status_next ON outbox (status, next_attempt_at);
CREATE INDEX outbox_case ON outbox (case_id);
