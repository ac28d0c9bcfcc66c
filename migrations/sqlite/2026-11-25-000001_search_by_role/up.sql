-- Faster work-list searches (docs/performance.md, "Run 5"), three changes.
--
-- 1. The covering indexes of the lists also hold `confidential`, so that a manager's search
--    (which may not find a confidential case by its complainant's name) reads the index
--    alone, as every list without search text does.
DROP INDEX cases_status_order;
CREATE INDEX cases_status_order ON cases (status, (next_due_on IS NULL), next_due_on, reference,
    stage, channel, health_and_safety, safeguarding, service_area_id, assignee_id, case_officer_id,
    confidential);
DROP INDEX cases_area_order;
CREATE INDEX cases_area_order ON cases (service_area_id, status, (next_due_on IS NULL), next_due_on,
    reference, stage, channel, health_and_safety, safeguarding, assignee_id, case_officer_id,
    confidential);

-- 2. The trigram index keeps a confidential case's name in its own column, `secret_name`
--    (`name` is then empty), so that one MATCH answers every viewer: officers search
--    `{name secret_name description}`, everyone else `{name description}`. Checking the
--    flag on each case a name matched read thousands of case rows per search.
DROP TRIGGER case_search_complainant_renamed;
DROP TRIGGER case_search_case_deleted;
DROP TRIGGER case_search_case_updated;
DROP TRIGGER case_search_case_inserted;
DROP TABLE case_search;

CREATE VIRTUAL TABLE case_search USING fts5(name, secret_name, description, tokenize = 'trigram');

-- 3. Searches of one or two letters or digits have no trigram. They find references starting
--    with them and complainants with a word starting with them (Ng, Li, "Jo" for Jones),
--    through this index of the names' words and their one- and two-character prefixes.
CREATE VIRTUAL TABLE case_search_words USING fts5(name, secret_name,
    tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2');

INSERT INTO case_search (rowid, name, secret_name, description)
    SELECT cases.id,
           CASE WHEN cases.confidential THEN '' ELSE complainants.name END,
           CASE WHEN cases.confidential THEN complainants.name ELSE '' END,
           cases.description
    FROM cases JOIN complainants ON complainants.id = cases.complainant_id;
INSERT INTO case_search_words (rowid, name, secret_name)
    SELECT rowid, name, secret_name FROM case_search;

-- Kept in step by triggers, so every writer (use-cases, bulk seeding) is covered.
CREATE TRIGGER case_search_case_inserted AFTER INSERT ON cases BEGIN
    INSERT INTO case_search (rowid, name, secret_name, description)
        SELECT new.id,
               CASE WHEN new.confidential THEN '' ELSE complainants.name END,
               CASE WHEN new.confidential THEN complainants.name ELSE '' END,
               new.description
        FROM complainants WHERE complainants.id = new.complainant_id;
    INSERT INTO case_search_words (rowid, name, secret_name)
        SELECT rowid, name, secret_name FROM case_search WHERE rowid = new.id;
END;

CREATE TRIGGER case_search_case_updated
AFTER UPDATE OF description, complainant_id, confidential ON cases BEGIN
    UPDATE case_search SET
        description = new.description,
        name = (SELECT CASE WHEN new.confidential THEN '' ELSE complainants.name END
                FROM complainants WHERE complainants.id = new.complainant_id),
        secret_name = (SELECT CASE WHEN new.confidential THEN complainants.name ELSE '' END
                       FROM complainants WHERE complainants.id = new.complainant_id)
    WHERE rowid = new.id;
    UPDATE case_search_words SET
        name = (SELECT name FROM case_search WHERE rowid = new.id),
        secret_name = (SELECT secret_name FROM case_search WHERE rowid = new.id)
    WHERE rowid = new.id;
END;

CREATE TRIGGER case_search_case_deleted AFTER DELETE ON cases BEGIN
    DELETE FROM case_search WHERE rowid = old.id;
    DELETE FROM case_search_words WHERE rowid = old.id;
END;

-- cases_complainant finds the complainant's cases.
CREATE TRIGGER case_search_complainant_renamed AFTER UPDATE OF name ON complainants BEGIN
    UPDATE case_search SET
        name = (SELECT CASE WHEN cases.confidential THEN '' ELSE new.name END
                FROM cases WHERE cases.id = case_search.rowid),
        secret_name = (SELECT CASE WHEN cases.confidential THEN new.name ELSE '' END
                       FROM cases WHERE cases.id = case_search.rowid)
    WHERE rowid IN (SELECT cases.id FROM cases WHERE cases.complainant_id = new.id);
    UPDATE case_search_words SET
        name = (SELECT name FROM case_search WHERE case_search.rowid = case_search_words.rowid),
        secret_name = (SELECT secret_name FROM case_search
                       WHERE case_search.rowid = case_search_words.rowid)
    WHERE rowid IN (SELECT cases.id FROM cases WHERE cases.complainant_id = new.id);
END;
