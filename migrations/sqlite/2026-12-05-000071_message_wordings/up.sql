-- Issue 28: the wording of the automatic receipt, edited by the complaints team. One row per
-- kind of automatic message ('receipt' today); no row means the standard wording shipped in
-- the code. The version guards against two people saving over each other.
CREATE TABLE message_wordings (
    kind TEXT PRIMARY KEY NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL
);
