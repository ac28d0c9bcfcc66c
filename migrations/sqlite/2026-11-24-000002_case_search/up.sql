-- Text search for the work lists (docs/performance.md). `lower(x) LIKE '%term%'` cannot use a
-- B-tree index, so searching read every candidate case's description and complainant name.
-- An FTS5 table with the trigram tokenizer indexes every three-character substring of both,
-- so a quoted-phrase MATCH finds any substring of three or more characters through the index
-- (case-insensitively: the tokenizer folds case). One row per case, rowid = cases.id; the
-- name is copied in because the lists search a case by its complainant's name.
--
-- Not a Diesel table: it is queried only through SQL text in src/db/work_lists.rs and is not
-- in src/db/schema.rs (diesel.toml filters it out). It keeps its own copy of the text (the
-- 100,000-case demo file grew by ~80 MB); a contentless table (`contentless_delete=1`, SQLite
-- 3.43+) could save much of that: not tried yet.
CREATE VIRTUAL TABLE case_search USING fts5(name, description, tokenize = 'trigram');

INSERT INTO case_search (rowid, name, description)
    SELECT cases.id, complainants.name, cases.description
    FROM cases JOIN complainants ON complainants.id = cases.complainant_id;

-- Kept in step by triggers, so every writer (use-cases, bulk seeding) is covered.
CREATE TRIGGER case_search_case_inserted AFTER INSERT ON cases BEGIN
    INSERT INTO case_search (rowid, name, description)
        SELECT new.id, complainants.name, new.description
        FROM complainants WHERE complainants.id = new.complainant_id;
END;

CREATE TRIGGER case_search_case_updated AFTER UPDATE OF description, complainant_id ON cases BEGIN
    UPDATE case_search SET
        description = new.description,
        name = (SELECT complainants.name FROM complainants WHERE complainants.id = new.complainant_id)
    WHERE rowid = new.id;
END;

CREATE TRIGGER case_search_case_deleted AFTER DELETE ON cases BEGIN
    DELETE FROM case_search WHERE rowid = old.id;
END;

-- cases_complainant finds the complainant's cases.
CREATE TRIGGER case_search_complainant_renamed AFTER UPDATE OF name ON complainants BEGIN
    UPDATE case_search SET name = new.name
    WHERE rowid IN (SELECT cases.id FROM cases WHERE cases.complainant_id = new.id);
END;
