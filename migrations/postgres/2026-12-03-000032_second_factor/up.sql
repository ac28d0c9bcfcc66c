-- Issue 29: two-factor sign-in. The authenticator secret (base32; none until enrolled),
-- the last time step a code was accepted for (a code is good once: a replay within its
-- 30 seconds is refused), and whether the account came from `seed-demo` (demo accounts
-- are exempt, so the documented demo password keeps working).
ALTER TABLE users ADD COLUMN second_factor_secret TEXT;
ALTER TABLE users ADD COLUMN second_factor_last_step BIGINT;
ALTER TABLE users ADD COLUMN demo BOOLEAN NOT NULL DEFAULT FALSE;

-- Ten one-time recovery codes per enrolment, stored as SHA-256 digests (the codes are 80
-- random bits, so a fast digest cannot be brute-forced); each is spent once.
CREATE TABLE recovery_codes (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL UNIQUE,
    used_at TIMESTAMP
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);
