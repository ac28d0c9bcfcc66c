DROP INDEX cases_tenure_order;
ALTER TABLE cases DROP COLUMN tenure;
