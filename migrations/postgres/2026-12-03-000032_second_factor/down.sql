DROP TABLE recovery_codes;
ALTER TABLE users DROP COLUMN demo;
ALTER TABLE users DROP COLUMN second_factor_last_step;
ALTER TABLE users DROP COLUMN second_factor_secret;
