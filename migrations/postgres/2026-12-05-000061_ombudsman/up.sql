-- Issue 27: the Housing Ombudsman stage. One row per time the Ombudsman (or a designated
-- person) contacted us about a case; a case may have several. The determination's date and
-- summary, a review request and the closing date live on the contact (one determination
-- per contact); its findings, orders and recommendations in the tables below.
CREATE TABLE ombudsman_contacts (
    id SERIAL PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    -- referral, request_to_respond, refusal_challenge, designated_person
    kind TEXT NOT NULL,
    contacted_on DATE NOT NULL,
    -- The Ombudsman's own reference (empty for a designated person who gave none).
    ombudsman_reference TEXT NOT NULL,
    -- Who at the Ombudsman (or which MP, councillor or panel) is dealing with it.
    contact_name TEXT NOT NULL,
    notes TEXT NOT NULL,
    determined_on DATE,
    determination_summary TEXT,
    review_requested_on DATE,
    review_outcome TEXT,
    closed_on DATE,
    version INTEGER NOT NULL DEFAULT 1,
    recorded_by INTEGER REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX ombudsman_contacts_case ON ombudsman_contacts (case_id);

-- What the Ombudsman asked for and by when; what was sent and when (Code 5.12). The
-- attachments sent are the case's own (their ids, comma-separated); a bundle exported for
-- the request is recorded with its SHA-256 and when.
CREATE TABLE ombudsman_evidence_requests (
    id SERIAL PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES ombudsman_contacts (id),
    received_on DATE NOT NULL,
    due_on DATE NOT NULL,
    -- How the deadline was set, in words ("10 working days", "date set by the Ombudsman").
    due_basis TEXT NOT NULL,
    asked TEXT NOT NULL,
    sent_on DATE,
    sent_summary TEXT,
    sent_attachments TEXT NOT NULL DEFAULT '',
    bundle_sha256 TEXT,
    bundle_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ombudsman_evidence_requests_contact ON ombudsman_evidence_requests (contact_id);

-- One finding per complaint element of the determination.
CREATE TABLE ombudsman_findings (
    id SERIAL PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES ombudsman_contacts (id),
    element TEXT NOT NULL,
    -- severe_maladministration, maladministration, service_failure, reasonable_redress,
    -- no_maladministration, outside_jurisdiction
    finding TEXT NOT NULL,
    reasons TEXT NOT NULL
);
CREATE INDEX ombudsman_findings_contact ON ombudsman_findings (contact_id);

-- Orders (apology, compensation, works, policy_review, staff_training, other),
-- recommendations (accepted or not, with the reason) and complaint handling failure orders
-- (chfo, with the Code paragraph), each with what was done to comply.
CREATE TABLE ombudsman_orders (
    id SERIAL PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES ombudsman_contacts (id),
    kind TEXT NOT NULL,
    details TEXT NOT NULL,
    amount_pence BIGINT,
    issued_on DATE NOT NULL,
    due_on DATE,
    accepted BOOLEAN,
    response_reason TEXT,
    code_paragraph TEXT,
    completed_on DATE,
    completion_evidence TEXT,
    evidence_sent_on DATE
);
CREATE INDEX ombudsman_orders_contact ON ombudsman_orders (contact_id);
