-- Issue 31: a number that changes whenever the names a work list's filters offer could
-- change (service areas, categories, contractors, staff), so those choices can be kept in
-- memory between pages (src/cases/list_choices.rs) and still be right on every instance
-- sharing the database. Kept by triggers, inside the writing transaction, as
-- case_generation is. A staff row changes on every sign-in (its session generation, its
-- second factor's last step), so only the columns the choices show bump it.
CREATE TABLE directory_generation (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO directory_generation (id, generation) VALUES (1, 0);

CREATE TRIGGER directory_generation_area_insert AFTER INSERT ON service_areas
BEGIN UPDATE directory_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER directory_generation_area_update AFTER UPDATE ON service_areas
BEGIN UPDATE directory_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER directory_generation_area_delete AFTER DELETE ON service_areas
BEGIN UPDATE directory_generation SET generation = generation + 1 WHERE id = 1; END;

CREATE TRIGGER directory_generation_category_insert AFTER INSERT ON categories
BEGIN UPDATE directory_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER directory_generation_category_update AFTER UPDATE ON categories
BEGIN UPDATE directory_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER directory_generation_category_delete AFTER DELETE ON categories
BEGIN UPDATE directory_generation SET generation = generation + 1 WHERE id = 1; END;

CREATE TRIGGER directory_generation_contractor_insert AFTER INSERT ON contractors
BEGIN UPDATE directory_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER directory_generation_contractor_update AFTER UPDATE ON contractors
BEGIN UPDATE directory_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER directory_generation_contractor_delete AFTER DELETE ON contractors
BEGIN UPDATE directory_generation SET generation = generation + 1 WHERE id = 1; END;

CREATE TRIGGER directory_generation_user_insert AFTER INSERT ON users
BEGIN UPDATE directory_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER directory_generation_user_delete AFTER DELETE ON users
BEGIN UPDATE directory_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER directory_generation_user_update
AFTER UPDATE OF display_name, role, active ON users
WHEN OLD.display_name IS NOT NEW.display_name
    OR OLD.role IS NOT NEW.role
    OR OLD.active IS NOT NEW.active
BEGIN UPDATE directory_generation SET generation = generation + 1 WHERE id = 1; END;
