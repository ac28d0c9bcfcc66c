-- A name-word search ("Wo", "Wood Leo": each word starts a word of the name) as an index
-- lookup. src/db/work_lists.rs (`PG_NAME_WORDS`) matches `LIKE '% wo%'` against the name's
-- words, each after a space; no index held that form, so every complainant's name went
-- through regexp_replace (450-600 ms at 100,000 cases, docs/performance.md, session 9). The
-- trigram index over exactly that expression answers the LIKE (a word's start is the
-- trigrams "  w" and " wo"), leaving only the candidates to recheck. An expression index,
-- not a stored column, so both backends keep the same columns.
CREATE INDEX complainants_name_words_trgm ON complainants
    USING gin ((' ' || regexp_replace(lower(name), '[^[:alnum:]]+', ' ', 'g')) gin_trgm_ops);
-- The planner's statistics for the indexed expression (how many names a word start
-- matches) come from ANALYZE; without them it guesses.
ANALYZE complainants;
