DROP TRIGGER case_search_complainant_renamed;
DROP TRIGGER case_search_case_deleted;
DROP TRIGGER case_search_case_updated;
DROP TRIGGER case_search_case_inserted;
DROP TABLE case_search_words;
DROP TABLE case_search;

CREATE VIRTUAL TABLE case_search USING fts5(name, description, tokenize = 'trigram');
INSERT INTO case_search (rowid, name, description)
    SELECT cases.id, complainants.name, cases.description
    FROM cases JOIN complainants ON complainants.id = cases.complainant_id;
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
CREATE TRIGGER case_search_complainant_renamed AFTER UPDATE OF name ON complainants BEGIN
    UPDATE case_search SET name = new.name
    WHERE rowid IN (SELECT cases.id FROM cases WHERE cases.complainant_id = new.id);
END;

DROP INDEX cases_area_order;
CREATE INDEX cases_area_order ON cases (service_area_id, status, (next_due_on IS NULL), next_due_on,
    reference, stage, channel, health_and_safety, safeguarding, assignee_id, case_officer_id);
DROP INDEX cases_status_order;
CREATE INDEX cases_status_order ON cases (status, (next_due_on IS NULL), next_due_on, reference,
    stage, channel, health_and_safety, safeguarding, service_area_id, assignee_id, case_officer_id);
