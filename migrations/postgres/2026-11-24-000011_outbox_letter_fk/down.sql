DROP INDEX outbox_letter;
ALTER TABLE outbox DROP CONSTRAINT outbox_letter_fk;
