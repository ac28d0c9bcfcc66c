DROP INDEX users_role;
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('officer', 'manager', 'director', 'admin'));
