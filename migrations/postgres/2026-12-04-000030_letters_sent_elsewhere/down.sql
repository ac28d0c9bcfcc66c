ALTER TABLE letters DROP COLUMN copy_attachment_id;
ALTER TABLE letters DROP COLUMN elsewhere_method;
