-- Pages slow at 100,000 cases (issues 23 and 31, docs/performance.md, session 8). The same
-- indexes as on SQLite, so both backends can answer the lists from the same orders.
--
-- The case page read a case's remedies and a decision's remedies and lessons by scanning
-- every row of those tables (no index led with the case or the decision).
CREATE INDEX remedies_case ON remedies (case_id);
CREATE INDEX remedies_decision ON remedies (decision_id);
CREATE INDEX lessons_decision ON lessons (decision_id);
-- The compensation paid on a case, which the case page totals.
CREATE INDEX compensation_payments_case ON compensation_payments (case_id);
-- Work lists: each order's index also holds what a manager's scope (assignee, service
-- area) and the tenure filter (complainant) check, so a list of all cases is walked in
-- order without reading a case row, and stops once the page is full. Before, a manager's
-- list of all cases sorted every case they may see (19,246 at 100,000 cases).
DROP INDEX cases_worklist_order;
CREATE INDEX cases_worklist_order ON cases ((next_due_on IS NULL), next_due_on, reference,
    assignee_id, service_area_id, complainant_id);
DROP INDEX cases_worklist_order_desc;
CREATE INDEX cases_worklist_order_desc ON cases ((next_due_on IS NULL), next_due_on DESC,
    reference DESC, assignee_id, service_area_id, complainant_id);
DROP INDEX cases_received_order;
CREATE INDEX cases_received_order ON cases (received_on, reference, assignee_id,
    service_area_id);
CREATE INDEX cases_reference_order ON cases (reference, assignee_id, service_area_id);
-- Filtering by category, contractor or case officer: their cases in the list's default
-- order, with the status and scope to check in the index, instead of each case row read
-- and every match sorted.
DROP INDEX cases_category;
CREATE INDEX cases_category_order ON cases (category_id, (next_due_on IS NULL), next_due_on,
    reference, status, assignee_id, service_area_id);
DROP INDEX cases_contractor;
CREATE INDEX cases_contractor_order ON cases (contractor_id, (next_due_on IS NULL),
    next_due_on, reference, status, assignee_id, service_area_id);
CREATE INDEX cases_officer_order ON cases (case_officer_id, (next_due_on IS NULL),
    next_due_on, reference, status, assignee_id, service_area_id);
-- Counting a tenure's cases inside a manager's scope from the index alone.
DROP INDEX cases_complainant;
CREATE INDEX cases_complainant ON cases (complainant_id, assignee_id, service_area_id);
