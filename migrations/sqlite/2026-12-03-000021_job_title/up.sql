-- Issue 19: letters are signed by the member of staff responsible, with their job title
-- ("Sophie Irving, Repairs Manager"); the case page names staff with it too.
ALTER TABLE users ADD COLUMN job_title TEXT NOT NULL DEFAULT '';
