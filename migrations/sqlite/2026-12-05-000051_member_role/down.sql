DROP INDEX users_role;
PRAGMA writable_schema = ON;
UPDATE sqlite_master
SET sql = replace(sql, '''director'', ''admin'', ''member'')', '''director'', ''admin'')')
WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema = RESET;
