-- Issue 21: a clock-stopping letter (acknowledgement, response, extension notice) may have
-- gone outside Redress; it is recorded as "sent elsewhere" with how it went (letter, email
-- or, where the policy allows, a telephone call) and a copy kept: the typed text in
-- frozen_text, or an uploaded file among the case's attachments.
ALTER TABLE letters ADD COLUMN elsewhere_method TEXT CHECK (elsewhere_method IN ('letter', 'email', 'phone'));
ALTER TABLE letters ADD COLUMN copy_attachment_id INTEGER REFERENCES attachments (id);
