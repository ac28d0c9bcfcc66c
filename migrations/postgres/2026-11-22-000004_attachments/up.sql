-- Evidence files kept with a case. The bytes live in the data folder under a random
-- storage_key (never the uploaded name); the row keeps the sanitised original name, the type
-- detected from the content, the size and a SHA-256 checksum to verify the file on download.
CREATE TABLE attachments (
    id SERIAL PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL UNIQUE,
    uploaded_by INTEGER NOT NULL REFERENCES users (id),
    uploaded_at TIMESTAMP NOT NULL
);
CREATE INDEX attachments_case ON attachments (case_id);
