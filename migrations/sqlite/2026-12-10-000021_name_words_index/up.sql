-- PostgreSQL only (an index over a complainant's name as words); SQLite looks name words up
-- in its words table, `case_search_words` (`db::work_lists`).
SELECT 1;
