-- Issue 30: a note (a case event with text) or an evidence file marked as holding
-- third-party information or legally privileged advice. A subject access export withholds
-- marked items and lists what it withheld and why; clearing a marking deletes its row.
CREATE TABLE personal_data_markings (
    id SERIAL PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    item_kind TEXT NOT NULL,
    item_id INTEGER NOT NULL,
    marking TEXT NOT NULL,
    reason TEXT NOT NULL,
    marked_by INTEGER NOT NULL REFERENCES users (id),
    marked_at TIMESTAMP NOT NULL,
    UNIQUE (item_kind, item_id)
);
CREATE INDEX personal_data_markings_case ON personal_data_markings (case_id);
