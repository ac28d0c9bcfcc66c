-- The lists' covering indexes also hold `confidential` (a manager may not find a confidential
-- case by its complainant's name), as on SQLite. PostgreSQL's search otherwise stays on the
-- pg_trgm indexes of migration 2026-11-24-000002_case_search; one- and two-character
-- searches (references and name words, src/db/work_lists.rs) read the candidate cases' names.
DROP INDEX cases_status_order;
CREATE INDEX cases_status_order ON cases (status, (next_due_on IS NULL), next_due_on, reference,
    stage, channel, health_and_safety, safeguarding, service_area_id, assignee_id, case_officer_id,
    confidential);
DROP INDEX cases_area_order;
CREATE INDEX cases_area_order ON cases (service_area_id, status, (next_due_on IS NULL), next_due_on,
    reference, stage, channel, health_and_safety, safeguarding, assignee_id, case_officer_id,
    confidential);
