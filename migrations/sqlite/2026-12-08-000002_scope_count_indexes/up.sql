-- A manager's count of all the cases they may see (on every work list page, beside "All
-- cases") is two counts that do not overlap: the cases in their areas, and those assigned
-- to them elsewhere (`db::scope::disjoint_parts`). Each reads one narrow index: the area's
-- cases, and the manager's own with their area (docs/performance.md, session 9).
CREATE INDEX cases_area_assignee ON cases (service_area_id, assignee_id);
DROP INDEX cases_assignee_status;
CREATE INDEX cases_assignee_status ON cases (assignee_id, status, service_area_id);
