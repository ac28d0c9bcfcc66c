-- Issue 26: the governing body's read-only member ('member') is a role.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('officer', 'manager', 'director', 'admin', 'member'));
CREATE INDEX users_role ON users (role);
