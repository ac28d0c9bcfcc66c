-- Issue 23 (PostgreSQL): a name search reads the case row itself, as a description search
-- does. The name was looked up in complainants and matched as `complainant_id = ANY(…)`:
-- the planner could not tell how many cases that finds (13 estimated, 3,039 found for
-- "Wood" at 100,000 cases), and PostgreSQL 15 compares a row with such an array one
-- element at a time (2,600 names), so a page of a broad name search read and sorted every
-- match (33-40 ms alone; docs/performance.md, session 13). Kept on the case, the name has
-- its own statistics and trigram indexes: the planner walks the list's order index and
-- stops after the page (5 ms), or joins the name's matches to a list's (an open list: 2 ms).
--
-- Two forms, as the search reads them (src/db/work_lists.rs): `search_name`, the name in
-- lower case, for "the name contains this"; `search_name_words`, its words each after a
-- space, for "a word of the name starts with this" (O'Neill-Jones is " o neill jones", as
-- SQLite's `unicode61` tokenizer splits words).
--
-- Written only by these triggers, never by the application: a case takes its complainant's
-- name when written, and a complainant's new name (a correction, or an erasure's
-- anonymisation) goes to every one of their cases in the same transaction, so no old name
-- stays findable. PostgreSQL only (src/db/name_words.rs, `POSTGRES_ONLY_COLUMNS`): SQLite
-- looks names up in its full-text tables, `case_search` and `case_search_words`.
CREATE FUNCTION search_name_of(name text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT lower(name) $$;

CREATE FUNCTION search_name_words_of(name text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT ' ' || regexp_replace(lower(name), '[^[:alnum:]]+', ' ', 'g') $$;

ALTER TABLE cases ADD COLUMN search_name text NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN search_name_words text NOT NULL DEFAULT '';

UPDATE cases SET search_name = search_name_of(complainants.name),
    search_name_words = search_name_words_of(complainants.name)
FROM complainants WHERE complainants.id = cases.complainant_id;

CREATE FUNCTION cases_take_search_name() RETURNS trigger AS $$
BEGIN
    SELECT search_name_of(c.name), search_name_words_of(c.name)
        INTO NEW.search_name, NEW.search_name_words
        FROM complainants c WHERE c.id = NEW.complainant_id;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- Also on a write of the two columns themselves, so nothing else can set them.
CREATE TRIGGER cases_take_search_name
BEFORE INSERT OR UPDATE OF complainant_id, search_name, search_name_words ON cases
FOR EACH ROW EXECUTE FUNCTION cases_take_search_name();

CREATE FUNCTION complainants_give_search_name() RETURNS trigger AS $$
BEGIN
    -- The cases' own trigger fills both columns from the name just written.
    UPDATE cases SET search_name = '' WHERE complainant_id = NEW.id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER complainants_give_search_name
AFTER UPDATE OF name ON complainants
FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
EXECUTE FUNCTION complainants_give_search_name();

CREATE INDEX cases_search_name_trgm ON cases USING gin (search_name gin_trgm_ops);
CREATE INDEX cases_search_name_words_trgm ON cases USING gin (search_name_words gin_trgm_ops);

-- The names' words are now matched on the case (migration 2026-12-10-000021 made this one).
DROP INDEX complainants_name_words_trgm;

-- The planner's statistics for the new columns (how many cases a name matches).
ANALYZE cases;
