-- What the yearly reports add up, a month at a time (issue 32): for each month, stage and
-- breakdown, the complaints that entered the stage and the responses sent, with the
-- counts and sums the performance report, the TSM and the dashboard show. A year is a
-- couple of thousand rows instead of half a million facts.
--
-- breakdown: 'all' (item '') or what the row is broken down by, item its value:
-- 'service_area', 'category', 'contractor' (the id as text, '' when not recorded),
-- 'channel' (the channel's key) or 'tenure' (the case's tenure).
-- A complaint entering a stage counts in `received` in the month its stage clock started
-- (a stage 2 case also entered stage 1, in the month it was received), duplicates left out,
-- by the case's current service area, category, contractor, channel and tenure. A response
-- counts in the month it was sent, by what was frozen when it was sent (stage_outcomes),
-- and by the case's current tenure.
-- Kept by src/db/report_summary.rs in the transaction of every write that changes a fact.
CREATE TABLE report_summary (
    month DATE NOT NULL,
    stage TEXT NOT NULL,
    breakdown TEXT NOT NULL,
    item TEXT NOT NULL,
    received BIGINT NOT NULL DEFAULT 0,
    responded BIGINT NOT NULL DEFAULT 0,
    within_timescale BIGINT NOT NULL DEFAULT 0,
    days_late BIGINT NOT NULL DEFAULT 0,
    extended BIGINT NOT NULL DEFAULT 0,
    working_days BIGINT NOT NULL DEFAULT 0,
    timed BIGINT NOT NULL DEFAULT 0,
    upheld BIGINT NOT NULL DEFAULT 0,
    partly_upheld BIGINT NOT NULL DEFAULT 0,
    not_upheld BIGINT NOT NULL DEFAULT 0,
    compensation_pence BIGINT NOT NULL DEFAULT 0,
    code_within BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (month, stage, breakdown, item)
);

-- The backfill: the facts grouped by every key once, then each breakdown from those groups.
CREATE TEMP TABLE summary_groups AS
WITH facts AS (
    SELECT date_trunc('month', c.stage_started_on)::date AS month, c.stage AS stage,
        c.service_area_id AS area, c.category_id AS category, c.contractor_id AS contractor,
        c.channel AS channel, c.tenure AS tenure,
        1 AS received, 0 AS responded, 0 AS within_timescale, 0 AS days_late, 0 AS extended,
        0 AS working_days, 0 AS timed, 0 AS upheld, 0 AS partly_upheld, 0 AS not_upheld,
        0 AS compensation_pence, 0 AS code_within
    FROM cases c
    WHERE c.stage IN ('stage0', 'stage1', 'stage2') AND c.stage_started_on IS NOT NULL
        AND c.duplicate_of_id IS NULL
    UNION ALL
    SELECT date_trunc('month', c.received_on)::date, 'stage1',
        c.service_area_id, c.category_id, c.contractor_id, c.channel, c.tenure,
        1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    FROM cases c
    WHERE c.stage = 'stage2' AND c.duplicate_of_id IS NULL
    UNION ALL
    SELECT date_trunc('month', o.sent_on)::date, o.stage,
        o.service_area_id, o.category_id, o.contractor_id, o.channel, c.tenure,
        0, 1,
        CASE WHEN o.met THEN 1 ELSE 0 END,
        CASE WHEN o.met THEN 0 ELSE GREATEST(o.days_late, 0) END,
        CASE WHEN o.extended THEN 1 ELSE 0 END,
        COALESCE(GREATEST(o.working_days, 0), 0),
        CASE WHEN o.working_days IS NULL THEN 0 ELSE 1 END,
        CASE WHEN o.outcome = 'upheld' THEN 1 ELSE 0 END,
        CASE WHEN o.outcome = 'partly_upheld' THEN 1 ELSE 0 END,
        CASE WHEN o.outcome = 'not_upheld' THEN 1 ELSE 0 END,
        o.compensation_pence::bigint,
        CASE WHEN o.code_met THEN 1 ELSE 0 END
    FROM stage_outcomes o JOIN cases c ON c.id = o.case_id
)
SELECT month, stage, area, category, contractor, channel, tenure,
    SUM(received) AS received, SUM(responded) AS responded,
    SUM(within_timescale) AS within_timescale, SUM(days_late) AS days_late,
    SUM(extended) AS extended, SUM(working_days) AS working_days, SUM(timed) AS timed,
    SUM(upheld) AS upheld, SUM(partly_upheld) AS partly_upheld, SUM(not_upheld) AS not_upheld,
    SUM(compensation_pence) AS compensation_pence, SUM(code_within) AS code_within
FROM facts
GROUP BY month, stage, area, category, contractor, channel, tenure;

INSERT INTO report_summary (month, stage, breakdown, item, received, responded,
    within_timescale, days_late, extended, working_days, timed, upheld, partly_upheld,
    not_upheld, compensation_pence, code_within)
SELECT month, stage, breakdown, item, SUM(received), SUM(responded), SUM(within_timescale),
    SUM(days_late), SUM(extended), SUM(working_days), SUM(timed), SUM(upheld),
    SUM(partly_upheld), SUM(not_upheld), SUM(compensation_pence), SUM(code_within)
FROM (
    SELECT g.*, 'all' AS breakdown, '' AS item FROM summary_groups g
    UNION ALL
    SELECT g.*, 'service_area', COALESCE(g.area::text, '') FROM summary_groups g
    UNION ALL
    SELECT g.*, 'category', COALESCE(g.category::text, '') FROM summary_groups g
    UNION ALL
    SELECT g.*, 'contractor', COALESCE(g.contractor::text, '') FROM summary_groups g
    UNION ALL
    SELECT g.*, 'channel', g.channel FROM summary_groups g
    UNION ALL
    SELECT g.*, 'tenure', g.tenure FROM summary_groups g
) AS breakdowns
GROUP BY month, stage, breakdown, item;

DROP TABLE summary_groups;
