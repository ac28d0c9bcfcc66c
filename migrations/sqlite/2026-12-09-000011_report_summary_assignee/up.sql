-- The reports' summary broken down by assignee and service area together (issue 32), so a
-- manager's dashboard adds up its scope ("assigned to them or in their areas") from the
-- summary: the rows of their areas, plus their rows of `assignee_area` outside those areas.
-- item: the assignee's id and the service area's id as text, joined by ':' ('' for none),
-- e.g. '3:1', '3:', ':1'. A complaint entering a stage counts by the case's current assignee
-- and area (a reassignment moves it); a response by those frozen when it was sent.
-- Kept by src/db/report_summary.rs with the other breakdowns; this fills it from the facts.
INSERT INTO report_summary (month, stage, breakdown, item, received, responded,
    within_timescale, days_late, extended, working_days, timed, upheld, partly_upheld,
    not_upheld, compensation_pence, code_within)
SELECT month, stage, 'assignee_area',
    COALESCE(CAST(assignee AS TEXT), '') || ':' || COALESCE(CAST(area AS TEXT), ''),
    SUM(received), SUM(responded), SUM(within_timescale), SUM(days_late), SUM(extended),
    SUM(working_days), SUM(timed), SUM(upheld), SUM(partly_upheld), SUM(not_upheld),
    SUM(compensation_pence), SUM(code_within)
FROM (
    SELECT substr(c.stage_started_on, 1, 7) || '-01' AS month, c.stage AS stage,
        c.assignee_id AS assignee, c.service_area_id AS area,
        1 AS received, 0 AS responded, 0 AS within_timescale, 0 AS days_late, 0 AS extended,
        0 AS working_days, 0 AS timed, 0 AS upheld, 0 AS partly_upheld, 0 AS not_upheld,
        0 AS compensation_pence, 0 AS code_within
    FROM cases c
    WHERE c.stage IN ('stage0', 'stage1', 'stage2') AND c.stage_started_on IS NOT NULL
        AND c.duplicate_of_id IS NULL
    UNION ALL
    SELECT substr(c.received_on, 1, 7) || '-01', 'stage1', c.assignee_id, c.service_area_id,
        1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    FROM cases c
    WHERE c.stage = 'stage2' AND c.duplicate_of_id IS NULL
    UNION ALL
    SELECT substr(o.sent_on, 1, 7) || '-01', o.stage, o.assignee_id, o.service_area_id,
        0, 1,
        CASE WHEN o.met THEN 1 ELSE 0 END,
        CASE WHEN o.met THEN 0 ELSE MAX(o.days_late, 0) END,
        CASE WHEN o.extended THEN 1 ELSE 0 END,
        COALESCE(MAX(o.working_days, 0), 0),
        CASE WHEN o.working_days IS NULL THEN 0 ELSE 1 END,
        CASE WHEN o.outcome = 'upheld' THEN 1 ELSE 0 END,
        CASE WHEN o.outcome = 'partly_upheld' THEN 1 ELSE 0 END,
        CASE WHEN o.outcome = 'not_upheld' THEN 1 ELSE 0 END,
        o.compensation_pence,
        CASE WHEN o.code_met THEN 1 ELSE 0 END
    FROM stage_outcomes o
) AS facts
GROUP BY month, stage, assignee, area;
