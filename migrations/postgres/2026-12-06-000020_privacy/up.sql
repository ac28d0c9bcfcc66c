-- Issue 30: personal data by design. One row per case that has been put under a legal hold
-- (kept past its retention period while it lasts) or anonymised when its retention period
-- ended. Cases with neither have no row.
CREATE TABLE case_privacy (
    case_id INTEGER PRIMARY KEY REFERENCES cases (id),
    -- Set while a legal hold is in place: why (litigation, a claim, an inquiry).
    legal_hold_reason TEXT,
    legal_hold_by INTEGER REFERENCES users (id),
    legal_hold_at TIMESTAMP,
    -- When the personal data was removed (the case's facts stay for reports).
    anonymised_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1
);
