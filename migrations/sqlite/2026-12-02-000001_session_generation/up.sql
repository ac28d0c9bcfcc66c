-- Issue 17, finding 1: a per-user session generation. The session cookie carries the
-- generation it was issued under and every request compares it with this column, so
-- bumping it (sign-out, password change, deactivation, an administrator's "sign out
-- everywhere") ends every session of the user at once, copied cookies included.
ALTER TABLE users ADD COLUMN session_generation INTEGER NOT NULL DEFAULT 0;
