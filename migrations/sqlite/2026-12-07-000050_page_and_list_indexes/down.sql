DROP INDEX cases_complainant;
CREATE INDEX cases_complainant ON cases (complainant_id);
DROP INDEX cases_officer_order;
DROP INDEX cases_contractor_order;
CREATE INDEX cases_contractor ON cases (contractor_id);
DROP INDEX cases_category_order;
CREATE INDEX cases_category ON cases (category_id);
DROP INDEX cases_reference_order;
DROP INDEX cases_received_order;
CREATE INDEX cases_received_order ON cases (received_on, reference);
DROP INDEX cases_worklist_order_desc;
CREATE INDEX cases_worklist_order_desc ON cases ((next_due_on IS NULL), next_due_on DESC,
    reference DESC);
DROP INDEX cases_worklist_order;
CREATE INDEX cases_worklist_order ON cases ((next_due_on IS NULL), next_due_on, reference);
DROP INDEX compensation_payments_case;
DROP INDEX lessons_decision;
DROP INDEX remedies_decision;
DROP INDEX remedies_case;
