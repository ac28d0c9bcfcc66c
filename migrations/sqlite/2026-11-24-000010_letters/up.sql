-- Letters to residents (issue 8). A draft is edited by staff (`body`, plain paragraphs, and
-- `details`: the kind's own choices, e.g. an extension's length and reason, as JSON text);
-- sending freezes it: the exact HTML and text sent, the recipient and channel are stored and
-- never change again. At most one draft per case, kind and stage.
CREATE TABLE letters (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL,
    stage TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'sent')),
    body TEXT NOT NULL,
    details TEXT NOT NULL,
    recipient_name TEXT,
    recipient_address TEXT,
    recipient_email TEXT,
    channel TEXT CHECK (channel IN ('email', 'post')),
    large_print BOOLEAN NOT NULL DEFAULT 0,
    frozen_html TEXT,
    frozen_text TEXT,
    sent_on DATE,
    sent_by_id INTEGER REFERENCES users (id),
    sent_at TIMESTAMP,
    posted_on DATE,
    posted_by_id INTEGER REFERENCES users (id),
    version INTEGER NOT NULL DEFAULT 1,
    created_by_id INTEGER REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX letters_case ON letters (case_id);
CREATE UNIQUE INDEX letters_one_draft ON letters (case_id, kind, stage) WHERE status = 'draft';
CREATE INDEX letters_to_post ON letters (channel, posted_on) WHERE status = 'sent';
