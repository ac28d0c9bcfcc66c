-- Issue 28: complaints that arrive by email. One row per message read from the complaints
-- mailbox, unique on its Message-ID so a message read twice (a crash between storing it
-- and moving it out of the inbox, or two workers) is stored once. The original is kept as
-- evidence under the attachments folder (eml_key, with its SHA-256).
CREATE TABLE incoming_emails (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    from_address TEXT NOT NULL,
    from_name TEXT NOT NULL,
    subject TEXT NOT NULL,
    sent_at TIMESTAMP,
    received_at TIMESTAMP NOT NULL,
    -- What the sender wrote this time, and the history quoted below it.
    body_text TEXT NOT NULL,
    quoted_text TEXT NOT NULL,
    -- filed (on a case), awaiting (on the Emails page), automatic (an auto-reply, bounce
    -- or list mail: shown, never offered as a complaint), quarantined, discarded.
    status TEXT NOT NULL,
    -- auto_reply, bounce or list_mail when a machine sent it.
    automatic TEXT,
    -- Why it was quarantined, or why an officer discarded it.
    reason TEXT,
    case_id INTEGER REFERENCES cases (id),
    -- Who filed, created a case from or discarded it (none when the worker filed it).
    handled_by INTEGER REFERENCES users (id),
    handled_at TIMESTAMP,
    eml_key TEXT NOT NULL UNIQUE,
    eml_sha256 TEXT NOT NULL,
    eml_size BIGINT NOT NULL
);
CREATE INDEX incoming_emails_status ON incoming_emails (status, received_at);
CREATE INDEX incoming_emails_case ON incoming_emails (case_id);

-- The files sent with an email, after the upload content checks: a refused file is listed
-- with the reason and no bytes are kept (storage_key empty).
CREATE TABLE incoming_email_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    email_id INTEGER NOT NULL REFERENCES incoming_emails (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    refused TEXT
);
CREATE INDEX incoming_email_files_email ON incoming_email_files (email_id);
