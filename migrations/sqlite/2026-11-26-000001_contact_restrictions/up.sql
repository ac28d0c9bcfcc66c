-- Contact restrictions (SPEC sections 1 and 2): proposed by an officer or the case's assigned
-- manager, approved or declined by a director, ended when reviewed. `version` guards the
-- director's decision against a proposal that changed since the page was shown. At most one
-- proposed or approved (active) restriction per case, enforced here as well as in the code so
-- two simultaneous proposals cannot both be stored.
CREATE TABLE contact_restrictions (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    proposed_by_id INTEGER NOT NULL REFERENCES users (id),
    proposed_at TIMESTAMP NOT NULL,
    what TEXT NOT NULL,
    reason TEXT NOT NULL,
    review_on DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'approved', 'declined', 'ended')),
    decided_by_id INTEGER REFERENCES users (id),
    decided_at TIMESTAMP,
    decline_reason TEXT,
    ended_by_id INTEGER REFERENCES users (id),
    ended_at TIMESTAMP,
    end_reason TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX contact_restrictions_case ON contact_restrictions (case_id);
CREATE UNIQUE INDEX contact_restrictions_one_live ON contact_restrictions (case_id)
    WHERE status IN ('proposed', 'approved');
