-- Reports read frozen facts, not case histories: each stage response row carries what the
-- reports group by (as it stood when the response was sent) and the working days it took,
-- so a year's report is one index range scan per table.
ALTER TABLE stage_outcomes ADD COLUMN stage_started_on DATE;
ALTER TABLE stage_outcomes ADD COLUMN working_days INTEGER;
ALTER TABLE stage_outcomes ADD COLUMN service_area_id INTEGER;
ALTER TABLE stage_outcomes ADD COLUMN category_id INTEGER;
ALTER TABLE stage_outcomes ADD COLUMN contractor_id INTEGER;
ALTER TABLE stage_outcomes ADD COLUMN channel TEXT NOT NULL DEFAULT '';
ALTER TABLE stage_outcomes ADD COLUMN assignee_id INTEGER;
ALTER TABLE stage_outcomes ADD COLUMN compensation_pence INTEGER NOT NULL DEFAULT 0;

UPDATE stage_outcomes SET
    service_area_id = (SELECT c.service_area_id FROM cases c WHERE c.id = stage_outcomes.case_id),
    category_id = (SELECT c.category_id FROM cases c WHERE c.id = stage_outcomes.case_id),
    contractor_id = (SELECT c.contractor_id FROM cases c WHERE c.id = stage_outcomes.case_id),
    channel = (SELECT c.channel FROM cases c WHERE c.id = stage_outcomes.case_id),
    assignee_id = (SELECT c.assignee_id FROM cases c WHERE c.id = stage_outcomes.case_id),
    compensation_pence = COALESCE((SELECT d.compensation_pence FROM decisions d
        WHERE d.case_id = stage_outcomes.case_id AND d.stage = stage_outcomes.stage), 0);

-- Covering indexes: the yearly report reads these without touching the tables.
CREATE INDEX stage_outcomes_report ON stage_outcomes (sent_on, stage, met, days_late, extended,
    code_met, outcome, working_days, compensation_pence, service_area_id, category_id,
    contractor_id, channel);
CREATE INDEX stage_outcomes_area_sent ON stage_outcomes (service_area_id, sent_on, met);
CREATE INDEX stage_outcomes_assignee_sent ON stage_outcomes (assignee_id, sent_on, met);
CREATE INDEX cases_report_started ON cases (stage_started_on, stage, duplicate_of_id,
    service_area_id, category_id, contractor_id, channel);
CREATE INDEX cases_report_stage_received ON cases (stage, received_on, duplicate_of_id,
    service_area_id, category_id, contractor_id, channel);
CREATE INDEX cases_open_stage_due ON cases (status, stage, next_due_on, service_area_id, assignee_id);
CREATE INDEX compensation_payments_paid ON compensation_payments (paid_on, amount_pence);
CREATE INDEX lessons_case ON lessons (case_id);
CREATE INDEX improvement_actions_lesson ON improvement_actions (lesson_id);
