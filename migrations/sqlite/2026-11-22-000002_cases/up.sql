-- The case record: complainants, properties, reference data, cases and their timeline.
-- Enumerations are stored as their snake_case text (see src/domain); dates are London
-- calendar dates, timestamps UTC.
CREATE TABLE categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL UNIQUE,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE contractors (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL UNIQUE,
    contact_email TEXT,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE properties (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    address TEXT NOT NULL,
    postcode TEXT NOT NULL,
    property_reference TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX properties_postcode ON properties (postcode);

CREATE TABLE complainants (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    address TEXT,
    postcode TEXT,
    preferred_channel TEXT NOT NULL,
    tenancy_relationship TEXT NOT NULL,
    adjustments TEXT NOT NULL DEFAULT '',
    interpreter_language TEXT,
    vulnerability_notes TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX complainants_name ON complainants (name);
CREATE INDEX complainants_email ON complainants (email);

-- One counter row per year of receipt: references are allocated by incrementing it inside
-- the transaction that creates the case, so they have no gaps and no duplicates.
CREATE TABLE case_sequences (
    year INTEGER PRIMARY KEY NOT NULL,
    last_sequence INTEGER NOT NULL
);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    reference TEXT NOT NULL UNIQUE,
    complainant_id INTEGER NOT NULL REFERENCES complainants (id),
    property_id INTEGER REFERENCES properties (id),
    channel TEXT NOT NULL,
    received_on DATE NOT NULL,
    logged_at TIMESTAMP NOT NULL,
    occurred_on DATE,
    aware_on DATE,
    classification TEXT,
    stage TEXT,
    status TEXT NOT NULL,
    health_and_safety BOOLEAN NOT NULL DEFAULT 0,
    safeguarding BOOLEAN NOT NULL DEFAULT 0,
    confidential BOOLEAN NOT NULL DEFAULT 0,
    service_area_id INTEGER REFERENCES service_areas (id),
    category_id INTEGER REFERENCES categories (id),
    contractor_id INTEGER REFERENCES contractors (id),
    case_officer_id INTEGER REFERENCES users (id),
    assignee_id INTEGER REFERENCES users (id),
    description TEXT NOT NULL,
    outcome_sought TEXT NOT NULL,
    policy TEXT NOT NULL,
    stage_started_on DATE,
    acknowledged_on DATE,
    next_due_on DATE,
    closed_at TIMESTAMP,
    duplicate_of_id INTEGER REFERENCES cases (id),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX cases_status_due ON cases (status, next_due_on);
CREATE INDEX cases_area_status ON cases (service_area_id, status);
CREATE INDEX cases_assignee_status ON cases (assignee_id, status);
CREATE INDEX cases_officer_status ON cases (case_officer_id, status);
CREATE INDEX cases_received ON cases (received_on);
CREATE INDEX cases_complainant ON cases (complainant_id);

CREATE TABLE representatives (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    case_id INTEGER NOT NULL UNIQUE REFERENCES cases (id),
    name TEXT NOT NULL,
    relationship TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    address TEXT,
    consent_received_on DATE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE case_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL,
    occurred_on DATE NOT NULL,
    actor_id INTEGER REFERENCES users (id),
    actor_label TEXT NOT NULL,
    summary TEXT NOT NULL,
    detail TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX case_events_case ON case_events (case_id, id);

-- Public form submissions per client address, for the rate limit.
CREATE TABLE public_submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    ip TEXT NOT NULL,
    submitted_at TIMESTAMP NOT NULL
);
CREATE INDEX public_submissions_ip ON public_submissions (ip, submitted_at);
