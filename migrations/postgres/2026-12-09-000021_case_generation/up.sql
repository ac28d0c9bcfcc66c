-- Issue 31: a number that changes whenever a case write could change how many cases a work
-- list holds, so the counts beside the lists' names can be kept in memory between pages
-- (src/cases/list_counts.rs) and still be right on every instance sharing the database.
-- Triggers keep it, so no write path can forget to: a case added or removed, or a change to
-- a column the lists' counts read (status, case officer, investigating manager, service
-- area, next deadline; src/db/work_lists.rs, `filtered` with no filter). A list that comes
-- to read another column must add it to the update trigger here.
--
-- The row is updated inside the writing transaction, so a reader never sees the new number
-- before the write it stands for is committed (a sequence would be: nextval is not
-- transactional). Writers that change list membership take turns on the row from that
-- point to their commit, as they already do on report_summary's rows.
CREATE TABLE case_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO case_generation (id, generation) VALUES (1, 0);

CREATE FUNCTION case_generation_bump() RETURNS trigger AS $$
BEGIN
    UPDATE case_generation SET generation = generation + 1 WHERE id = 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Once per statement: a bulk insert bumps once.
CREATE TRIGGER case_generation_on_insert_or_delete AFTER INSERT OR DELETE OR TRUNCATE ON cases
FOR EACH STATEMENT EXECUTE FUNCTION case_generation_bump();

CREATE TRIGGER case_generation_on_update
AFTER UPDATE OF status, case_officer_id, assignee_id, service_area_id, next_due_on ON cases
FOR EACH ROW
WHEN (OLD.status IS DISTINCT FROM NEW.status
    OR OLD.case_officer_id IS DISTINCT FROM NEW.case_officer_id
    OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id
    OR OLD.service_area_id IS DISTINCT FROM NEW.service_area_id
    OR OLD.next_due_on IS DISTINCT FROM NEW.next_due_on)
EXECUTE FUNCTION case_generation_bump();
