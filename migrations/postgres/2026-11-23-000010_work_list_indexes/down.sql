DROP INDEX cases_worklist_order;
