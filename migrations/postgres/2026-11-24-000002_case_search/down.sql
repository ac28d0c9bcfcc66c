DROP INDEX complainants_name_trgm;
DROP INDEX cases_description_trgm;
-- The extension stays: other objects may have come to use it.
