-- The quality check before a response goes (issue 22, `[workflow] review_responses`): a
-- stage 1 or 2 decision drafted by a manager or director waits for an officer, who passes it
-- or returns it with comments. NULL: no check asked for (the setting is off, or an officer
-- drafted it).
ALTER TABLE decisions ADD COLUMN check_state TEXT CHECK (check_state IN ('waiting', 'passed', 'returned'));
ALTER TABLE decisions ADD COLUMN check_comment TEXT;
ALTER TABLE decisions ADD COLUMN checked_by_id INTEGER REFERENCES users (id);
ALTER TABLE decisions ADD COLUMN checked_at TIMESTAMP;
