-- Issue 30: subject access requests (UK GDPR Article 15). Each request names the person and
-- what identifies them across cases; it is due a calendar month after it was received
-- (rules::subject_access), later when extended with a reason.
CREATE TABLE subject_access_requests (
    id SERIAL PRIMARY KEY,
    person_name TEXT NOT NULL,
    email TEXT,
    postcode TEXT,
    telephone TEXT,
    received_on DATE NOT NULL,
    due_on DATE NOT NULL,
    extension_months INTEGER NOT NULL DEFAULT 0,
    extension_reason TEXT,
    extended_on DATE,
    answered_on DATE,
    recorded_by INTEGER NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
-- The open requests, soonest due first.
CREATE INDEX subject_access_requests_due ON subject_access_requests (answered_on, due_on);
