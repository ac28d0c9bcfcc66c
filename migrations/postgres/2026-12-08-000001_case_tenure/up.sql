-- The complainant's tenure on each of their cases (issue 23: the tenure filter). Kept equal
-- to `complainants.tenancy_relationship` by every writer: logging a case, the seeder, and
-- correcting the complainant's details (which updates all of their cases). Filtering a work
-- list by tenure then walks one index in the list's order, as the category filter does,
-- instead of looking up every case's complainant (docs/performance.md, session 9).
ALTER TABLE cases ADD COLUMN tenure TEXT NOT NULL DEFAULT 'other';
UPDATE cases SET tenure = (
    SELECT complainants.tenancy_relationship FROM complainants
    WHERE complainants.id = cases.complainant_id
);
CREATE INDEX cases_tenure_order ON cases (tenure, (next_due_on IS NULL), next_due_on,
    reference, status, assignee_id, service_area_id);
