DROP TRIGGER case_generation_on_update;
DROP TRIGGER case_generation_on_delete;
DROP TRIGGER case_generation_on_insert;
DROP TABLE case_generation;
