-- Text search for the work lists (docs/performance.md). `lower(x) LIKE '%term%'` cannot use a
-- B-tree index; pg_trgm's GIN operator class indexes every three-character substring, and
-- the planner uses it for LIKE on the same expression when the pattern holds a run of three
-- or more literal characters. The expressions are exactly the ones src/db/work_lists.rs
-- searches. pg_trgm ships with PostgreSQL (contrib); creating it needs a role that may
-- (a superuser, or the database owner on PostgreSQL 13+ as it is a trusted extension).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX cases_description_trgm ON cases USING gin (lower(description) gin_trgm_ops);
CREATE INDEX complainants_name_trgm ON complainants USING gin (lower(name) gin_trgm_ops);
