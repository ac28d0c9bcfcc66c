-- The agreed complaint definition (numbered points per stage, answered point by point by
-- the decision) and links between related cases.
CREATE TABLE complaint_points (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    stage TEXT NOT NULL,
    number INTEGER NOT NULL,
    text TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (case_id, stage, number)
);

CREATE TABLE case_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    related_case_id INTEGER NOT NULL REFERENCES cases (id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (case_id, related_case_id)
);
CREATE INDEX case_links_related ON case_links (related_case_id);
