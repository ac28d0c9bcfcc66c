ALTER TABLE decisions DROP COLUMN checked_at;
ALTER TABLE decisions DROP COLUMN checked_by_id;
ALTER TABLE decisions DROP COLUMN check_comment;
ALTER TABLE decisions DROP COLUMN check_state;
