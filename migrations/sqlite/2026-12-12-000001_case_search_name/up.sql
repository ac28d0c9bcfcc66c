-- PostgreSQL only (a case keeps its complainant's name for the search's trigram indexes);
-- SQLite looks names up in its full-text tables, `case_search` and `case_search_words`.
SELECT 1;
