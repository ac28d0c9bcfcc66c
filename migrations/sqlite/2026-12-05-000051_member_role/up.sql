-- Issue 26: the governing body's read-only member ('member') is a role. SQLite cannot change a
-- CHECK constraint, and rebuilding `users` (referenced by twenty tables, and given columns by
-- other migrations) would risk losing a column, so the constraint's text is widened in place;
-- widening admits more rows and invalidates none. The index below changes the schema, so every
-- open connection reloads it (with the wider constraint); RESET makes this one reload it too.
PRAGMA writable_schema = ON;
UPDATE sqlite_master
SET sql = replace(sql, '''director'', ''admin'')', '''director'', ''admin'', ''member'')')
WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema = RESET;
CREATE INDEX users_role ON users (role);
