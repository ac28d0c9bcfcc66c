CREATE INDEX cases_area_status ON cases (service_area_id, status);
DROP INDEX cases_area_order;
DROP INDEX cases_status_order;
