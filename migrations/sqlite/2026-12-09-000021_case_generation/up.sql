-- Issue 31: a number that changes whenever a case write could change how many cases a work
-- list holds, so the counts beside the lists' names can be kept in memory between pages
-- (src/cases/list_counts.rs) and still be right on every instance sharing the database.
-- Triggers keep it, so no write path can forget to: a case added or removed, or a change to
-- a column the lists' counts read (status, case officer, investigating manager, service
-- area, next deadline; src/db/work_lists.rs, `filtered` with no filter). A list that comes
-- to read another column must add it to the update trigger here.
CREATE TABLE case_generation (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO case_generation (id, generation) VALUES (1, 0);

CREATE TRIGGER case_generation_on_insert AFTER INSERT ON cases
BEGIN
    UPDATE case_generation SET generation = generation + 1 WHERE id = 1;
END;

CREATE TRIGGER case_generation_on_delete AFTER DELETE ON cases
BEGIN
    UPDATE case_generation SET generation = generation + 1 WHERE id = 1;
END;

CREATE TRIGGER case_generation_on_update
AFTER UPDATE OF status, case_officer_id, assignee_id, service_area_id, next_due_on ON cases
WHEN OLD.status IS NOT NEW.status
    OR OLD.case_officer_id IS NOT NEW.case_officer_id
    OR OLD.assignee_id IS NOT NEW.assignee_id
    OR OLD.service_area_id IS NOT NEW.service_area_id
    OR OLD.next_due_on IS NOT NEW.next_due_on
BEGIN
    UPDATE case_generation SET generation = generation + 1 WHERE id = 1;
END;
