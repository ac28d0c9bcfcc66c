ALTER TABLE decisions DROP COLUMN checked_at, DROP COLUMN checked_by_id, DROP COLUMN check_comment, DROP COLUMN check_state;
