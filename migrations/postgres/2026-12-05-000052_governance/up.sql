-- Issue 26: the Code self-assessment and the annual complaints performance and service
-- improvement report, one row per April–March year (named by the year it starts). Each is
-- versioned so two people editing at once cannot overwrite each other. Publishing freezes
-- the report: `snapshot` holds it as rendered then, so a past year never changes.
CREATE TABLE self_assessments (
    year INTEGER PRIMARY KEY,
    answers TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_by_id INTEGER REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE annual_reports (
    year INTEGER PRIMARY KEY,
    narrative TEXT NOT NULL,
    version INTEGER NOT NULL,
    snapshot TEXT,
    published_at TIMESTAMP,
    published_by_id INTEGER REFERENCES users (id),
    updated_by_id INTEGER REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL
);
