DROP INDEX cases_area_order;
CREATE INDEX cases_area_order ON cases (service_area_id, status, (next_due_on IS NULL), next_due_on,
    reference, stage, channel, health_and_safety, safeguarding, assignee_id, case_officer_id);
DROP INDEX cases_status_order;
CREATE INDEX cases_status_order ON cases (status, (next_due_on IS NULL), next_due_on, reference,
    stage, channel, health_and_safety, safeguarding, service_area_id, assignee_id, case_officer_id);
