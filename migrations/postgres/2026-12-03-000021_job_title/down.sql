ALTER TABLE users DROP COLUMN job_title;
