CREATE INDEX complainants_name_words_trgm ON complainants
    USING gin ((' ' || regexp_replace(lower(name), '[^[:alnum:]]+', ' ', 'g')) gin_trgm_ops);
DROP TRIGGER complainants_give_search_name ON complainants;
DROP FUNCTION complainants_give_search_name();
DROP TRIGGER cases_take_search_name ON cases;
DROP FUNCTION cases_take_search_name();
DROP INDEX cases_search_name_words_trgm;
DROP INDEX cases_search_name_trgm;
ALTER TABLE cases DROP COLUMN search_name_words;
ALTER TABLE cases DROP COLUMN search_name;
DROP FUNCTION search_name_words_of(text);
DROP FUNCTION search_name_of(text);
ANALYZE complainants;
