-- Issue 31: a search's total is kept in memory by the case generation as the lists' counts
-- are (src/cases/list_counts.rs, `SearchTotals`), so the generation must also move with
-- every write that can change which cases a search or a filter finds: the case columns the
-- filters and the search read (src/db/work_lists.rs, `filtered`), and a complainant's name
-- and contact details, which the search matches (a confidential case's too: the officer
-- finds it by them). A filter or search that comes to read another column must add it here.
CREATE TRIGGER case_generation_on_search_update
AFTER UPDATE OF reference, complainant_id, channel, received_on, stage, health_and_safety,
    safeguarding, confidential, category_id, contractor_id, description, tenure ON cases
WHEN OLD.reference IS NOT NEW.reference
    OR OLD.complainant_id IS NOT NEW.complainant_id
    OR OLD.channel IS NOT NEW.channel
    OR OLD.received_on IS NOT NEW.received_on
    OR OLD.stage IS NOT NEW.stage
    OR OLD.health_and_safety IS NOT NEW.health_and_safety
    OR OLD.safeguarding IS NOT NEW.safeguarding
    OR OLD.confidential IS NOT NEW.confidential
    OR OLD.category_id IS NOT NEW.category_id
    OR OLD.contractor_id IS NOT NEW.contractor_id
    OR OLD.description IS NOT NEW.description
    OR OLD.tenure IS NOT NEW.tenure
BEGIN
    UPDATE case_generation SET generation = generation + 1 WHERE id = 1;
END;

CREATE TRIGGER case_generation_on_complainant_update
AFTER UPDATE OF name, postcode, phone, email ON complainants
WHEN OLD.name IS NOT NEW.name
    OR OLD.postcode IS NOT NEW.postcode
    OR OLD.phone IS NOT NEW.phone
    OR OLD.email IS NOT NEW.email
BEGIN
    UPDATE case_generation SET generation = generation + 1 WHERE id = 1;
END;
