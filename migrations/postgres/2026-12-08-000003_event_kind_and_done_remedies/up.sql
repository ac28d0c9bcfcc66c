-- The home page's letters owed and progress updates due start from the cases with an
-- event of one kind (a refused escalation, agreed updates, an extension) and the cases with
-- a completed action. Without these indexes each read every event (441,266 at 100,000
-- cases: 84 ms) and every remedy, on every home page (docs/performance.md, session 9).
CREATE INDEX case_events_kind ON case_events (kind, case_id);
-- Only completed actions are indexed: the query asks for those alone.
CREATE INDEX remedies_done ON remedies (case_id) WHERE done_on IS NOT NULL;
