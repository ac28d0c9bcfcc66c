-- Investigation and decisions: the decision per stage (draft until sent), a finding per
-- complaint point, remedies and learning with their actions, compensation paid, and each
-- stage's frozen response outcome (against the case's profile and against the Code).
CREATE TABLE decisions (
    id SERIAL PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    stage TEXT NOT NULL,
    outcome TEXT,
    summary TEXT NOT NULL DEFAULT '',
    compensation_pence INTEGER NOT NULL DEFAULT 0,
    -- none | awaiting_approval | approved
    compensation_status TEXT NOT NULL DEFAULT 'none',
    approved_by_id INTEGER REFERENCES users (id),
    approved_at TIMESTAMP,
    sent_on DATE,
    sent_method TEXT,
    drafted_by_id INTEGER REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (case_id, stage)
);
CREATE INDEX decisions_compensation ON decisions (compensation_status);

CREATE TABLE findings (
    id SERIAL PRIMARY KEY,
    decision_id INTEGER NOT NULL REFERENCES decisions (id),
    point_number INTEGER NOT NULL,
    finding TEXT NOT NULL,
    reasons TEXT NOT NULL,
    UNIQUE (decision_id, point_number)
);

-- Remedies and improvement actions stay outstanding after closure until marked done.
CREATE TABLE remedies (
    id SERIAL PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    decision_id INTEGER NOT NULL REFERENCES decisions (id),
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    owner_id INTEGER REFERENCES users (id),
    due_on DATE,
    amount_pence INTEGER,
    done_on DATE,
    evidence TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX remedies_outstanding ON remedies (done_on, due_on);

CREATE TABLE lessons (
    id SERIAL PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    decision_id INTEGER NOT NULL REFERENCES decisions (id),
    lesson TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE improvement_actions (
    id SERIAL PRIMARY KEY,
    lesson_id INTEGER NOT NULL REFERENCES lessons (id),
    case_id INTEGER NOT NULL REFERENCES cases (id),
    description TEXT NOT NULL,
    owner_id INTEGER REFERENCES users (id),
    due_on DATE,
    -- planned | in_progress | implemented
    status TEXT NOT NULL,
    evidence TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX improvement_actions_status ON improvement_actions (status, due_on);

CREATE TABLE stage_outcomes (
    id SERIAL PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    stage TEXT NOT NULL,
    outcome TEXT NOT NULL,
    sent_on DATE NOT NULL,
    due_on DATE,
    met BOOLEAN NOT NULL,
    days_late INTEGER NOT NULL,
    extended BOOLEAN NOT NULL,
    code_due_on DATE,
    code_met BOOLEAN NOT NULL,
    code_days_late INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (case_id, stage)
);
CREATE INDEX stage_outcomes_sent ON stage_outcomes (sent_on);

CREATE TABLE compensation_payments (
    id SERIAL PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    amount_pence INTEGER NOT NULL,
    paid_on DATE NOT NULL,
    recorded_by_id INTEGER REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
