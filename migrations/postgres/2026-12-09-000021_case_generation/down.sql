DROP TRIGGER case_generation_on_update ON cases;
DROP TRIGGER case_generation_on_insert_or_delete ON cases;
DROP FUNCTION case_generation_bump();
DROP TABLE case_generation;
