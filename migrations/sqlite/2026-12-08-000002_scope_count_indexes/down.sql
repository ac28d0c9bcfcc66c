DROP INDEX cases_assignee_status;
CREATE INDEX cases_assignee_status ON cases (assignee_id, status);
DROP INDEX cases_area_assignee;
