DROP TRIGGER case_search_complainant_renamed;
DROP TRIGGER case_search_case_deleted;
DROP TRIGGER case_search_case_updated;
DROP TRIGGER case_search_case_inserted;
DROP TABLE case_search;
