DROP INDEX cases_contractor;
DROP INDEX cases_category;
DROP INDEX complainants_phone;
DROP INDEX complainants_postcode;
DROP INDEX cases_received_order;
CREATE INDEX cases_received ON cases (received_on);
DROP INDEX cases_worklist_order_desc;
