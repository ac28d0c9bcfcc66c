-- PostgreSQL only (an index for `reference LIKE 'prefix%'` in any collation); SQLite looks
-- a prefix up as a range of the reference's own index (`db::work_lists`).
SELECT 1;
