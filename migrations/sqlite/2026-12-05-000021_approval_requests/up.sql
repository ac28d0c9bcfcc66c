-- Approval requests (issue 22): compensation offered in a decision and proposed contact
-- restrictions wait for a director as first-class records: who asked, what (the amount by
-- remedy, or the restriction), why, and the director's answer — approved, declined (with a
-- reason) or returned to the drafter with a comment. `version` guards a director's answer
-- against a request that changed since the page was shown. At most one waiting request per
-- case and kind.
CREATE TABLE approval_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    kind TEXT NOT NULL CHECK (kind IN ('compensation', 'restriction')),
    stage TEXT NOT NULL,
    decision_id INTEGER REFERENCES decisions (id),
    restriction_id INTEGER REFERENCES contact_restrictions (id),
    requested_by_id INTEGER NOT NULL REFERENCES users (id),
    requested_at TIMESTAMP NOT NULL,
    amount_pence INTEGER,
    what TEXT NOT NULL,
    reason TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('waiting', 'approved', 'declined', 'returned')),
    decided_by_id INTEGER REFERENCES users (id),
    decided_at TIMESTAMP,
    comment TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX approval_requests_case ON approval_requests (case_id);
CREATE INDEX approval_requests_state ON approval_requests (state, requested_at);
CREATE UNIQUE INDEX approval_requests_one_waiting ON approval_requests (case_id, kind)
    WHERE state = 'waiting';

-- What already waits becomes a request: compensation awaiting approval on an unsent decision
-- (its amount is shown as the total) and proposed restrictions.
INSERT INTO approval_requests (case_id, kind, stage, decision_id, requested_by_id, requested_at,
    amount_pence, what, reason, state, version)
SELECT case_id, 'compensation', stage, id, drafted_by_id, updated_at, compensation_pence, '',
    summary, 'waiting', 1
FROM decisions
WHERE compensation_status = 'awaiting_approval' AND sent_on IS NULL AND drafted_by_id IS NOT NULL;
INSERT INTO approval_requests (case_id, kind, stage, restriction_id, requested_by_id,
    requested_at, what, reason, state, version)
SELECT r.case_id, 'restriction', COALESCE(c.stage, 'stage1'), r.id, r.proposed_by_id,
    r.proposed_at, r.what, r.reason, 'waiting', 1
FROM contact_restrictions r JOIN cases c ON c.id = r.case_id
WHERE r.status = 'proposed';
