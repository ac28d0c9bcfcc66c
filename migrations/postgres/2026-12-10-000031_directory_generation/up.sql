-- Issue 31: a number that changes whenever the names a work list's filters offer could
-- change (service areas, categories, contractors, staff), so those choices can be kept in
-- memory between pages (src/cases/list_choices.rs) and still be right on every instance
-- sharing the database. Kept by triggers, inside the writing transaction, as
-- case_generation is. A staff row changes on every sign-in (its session generation, its
-- second factor's last step), so only the columns the choices show bump it.
CREATE TABLE directory_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO directory_generation (id, generation) VALUES (1, 0);

CREATE FUNCTION directory_generation_bump() RETURNS trigger AS $$
BEGIN
    UPDATE directory_generation SET generation = generation + 1 WHERE id = 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER directory_generation_on_area AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
ON service_areas FOR EACH STATEMENT EXECUTE FUNCTION directory_generation_bump();
CREATE TRIGGER directory_generation_on_category AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
ON categories FOR EACH STATEMENT EXECUTE FUNCTION directory_generation_bump();
CREATE TRIGGER directory_generation_on_contractor AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
ON contractors FOR EACH STATEMENT EXECUTE FUNCTION directory_generation_bump();
CREATE TRIGGER directory_generation_on_user_insert_or_delete AFTER INSERT OR DELETE OR TRUNCATE
ON users FOR EACH STATEMENT EXECUTE FUNCTION directory_generation_bump();
CREATE TRIGGER directory_generation_on_user_update
AFTER UPDATE OF display_name, role, active ON users
FOR EACH ROW
WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name
    OR OLD.role IS DISTINCT FROM NEW.role
    OR OLD.active IS DISTINCT FROM NEW.active)
EXECUTE FUNCTION directory_generation_bump();
