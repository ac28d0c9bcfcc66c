-- A letter's email points at the frozen letter it carries.
ALTER TABLE outbox ADD CONSTRAINT outbox_letter_fk FOREIGN KEY (letter_id) REFERENCES letters (id);
CREATE INDEX outbox_letter ON outbox (letter_id);
