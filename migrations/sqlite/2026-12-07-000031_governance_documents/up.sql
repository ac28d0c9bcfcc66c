-- Issue 26: files kept as evidence for a reporting year (named by the year it starts):
-- against a requirement of the self-assessment (`part` = 'self_assessment', `requirement`
-- the Code paragraph), or against a part of the annual report ('ombudsman_findings',
-- 'ombudsman_letter', 'other_reports', 'response'). The bytes are kept as case attachments
-- are (`{data_dir}/attachments/{storage_key}`, SHA-256 checked on every download). A
-- removed file keeps its row (who removed it and when) and its bytes.
CREATE TABLE governance_documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    year INTEGER NOT NULL,
    part TEXT NOT NULL,
    requirement TEXT,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    uploaded_by_id INTEGER NOT NULL REFERENCES users (id),
    uploaded_at TIMESTAMP NOT NULL,
    removed_by_id INTEGER REFERENCES users (id),
    removed_at TIMESTAMP
);

CREATE INDEX governance_documents_year ON governance_documents (year, part);
