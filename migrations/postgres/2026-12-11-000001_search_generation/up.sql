-- Issue 31: a search's total is kept in memory by the case generation as the lists' counts
-- are (src/cases/list_counts.rs, `SearchTotals`), so the generation must also move with
-- every write that can change which cases a search or a filter finds: the case columns the
-- filters and the search read (src/db/work_lists.rs, `filtered`), and a complainant's name
-- and contact details, which the search matches (a confidential case's too: the officer
-- finds it by them). A filter or search that comes to read another column must add it here.
CREATE TRIGGER case_generation_on_search_update
AFTER UPDATE OF reference, complainant_id, channel, received_on, stage, health_and_safety,
    safeguarding, confidential, category_id, contractor_id, description, tenure ON cases
FOR EACH ROW
WHEN (OLD.reference IS DISTINCT FROM NEW.reference
    OR OLD.complainant_id IS DISTINCT FROM NEW.complainant_id
    OR OLD.channel IS DISTINCT FROM NEW.channel
    OR OLD.received_on IS DISTINCT FROM NEW.received_on
    OR OLD.stage IS DISTINCT FROM NEW.stage
    OR OLD.health_and_safety IS DISTINCT FROM NEW.health_and_safety
    OR OLD.safeguarding IS DISTINCT FROM NEW.safeguarding
    OR OLD.confidential IS DISTINCT FROM NEW.confidential
    OR OLD.category_id IS DISTINCT FROM NEW.category_id
    OR OLD.contractor_id IS DISTINCT FROM NEW.contractor_id
    OR OLD.description IS DISTINCT FROM NEW.description
    OR OLD.tenure IS DISTINCT FROM NEW.tenure)
EXECUTE FUNCTION case_generation_bump();

CREATE TRIGGER case_generation_on_complainant_update
AFTER UPDATE OF name, postcode, phone, email ON complainants
FOR EACH ROW
WHEN (OLD.name IS DISTINCT FROM NEW.name
    OR OLD.postcode IS DISTINCT FROM NEW.postcode
    OR OLD.phone IS DISTINCT FROM NEW.phone
    OR OLD.email IS DISTINCT FROM NEW.email)
EXECUTE FUNCTION case_generation_bump();
