-- A search's reference prefix (`reference LIKE 'CMP-2025-01%'`) as an index range whatever
-- the database's collation, so it can join the other alternatives of a search in one
-- BitmapOr instead of making PostgreSQL read every case (docs/performance.md, session 9).
CREATE INDEX cases_reference_pattern ON cases (reference text_pattern_ops);
