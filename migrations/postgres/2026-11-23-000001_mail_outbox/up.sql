-- The transactional mail outbox: a row is queued in the same transaction as the change that
-- sends it (a letter, a notification), and a worker delivers it. A worker claims rows with a
-- lease (lease_owner, lease_expires_at) so two instances never send one message twice and a
-- crashed worker's claim is taken over once the lease expires. Timestamps are UTC.
CREATE TABLE outbox (
    id SERIAL PRIMARY KEY,
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
CREATE INDEX outbox_status_next ON outbox (status, next_attempt_at);
CREATE INDEX outbox_case ON outbox (case_id);

-- One daily digest per member of staff per London day, whichever instance queues it.
CREATE TABLE digests_sent (
    user_id INTEGER NOT NULL REFERENCES users (id),
    day DATE NOT NULL,
    queued_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, day)
);

-- One missed-deadline alert per case per deadline date.
CREATE TABLE missed_deadline_alerts (
    case_id INTEGER NOT NULL REFERENCES cases (id),
    due_on DATE NOT NULL,
    queued_at TIMESTAMP NOT NULL,
    PRIMARY KEY (case_id, due_on)
);

-- Each notification can be switched off per user on /account.
ALTER TABLE users ADD COLUMN notify_assignment BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE users ADD COLUMN notify_digest BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE users ADD COLUMN notify_missed BOOLEAN NOT NULL DEFAULT TRUE;
