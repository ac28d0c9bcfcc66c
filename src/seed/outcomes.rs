//! What the reports read about each demo response: the frozen stage outcome (judged by the
//! same functions a sent decision uses, against the profile and against the Code), the
//! decision, its remedies and compensation (approved by the area's director, mostly paid),
//! and now and then a lesson with a service improvement action.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::cases::london;
use super::people::Area;
use super::timeline::Responded;
use crate::cases::decide::{for_the_code, judge_response, CODE_PROFILE};
use crate::db::decisions::StageOutcome;
use crate::db::schema::{
    compensation_payments, decisions, improvement_actions, lessons, remedies, stage_outcomes,
};
use crate::domain::case::{Channel, CompensationStatus, Outcome, RemedyKind};
use crate::domain::{CaseId, CategoryId, ContractorId, UserId};
use crate::rules::{Calendar, PolicyProfile, Stage};

/// The Code's own profile, for CH02 when the landlord runs another: its timescales are set
/// by the Housing Ombudsman, so the seeder carries them rather than needing the file.
pub fn code_profile() -> PolicyProfile {
    PolicyProfile::from_toml(
        CODE_PROFILE,
        include_str!("../../config/policies/hoc-2024.toml"),
    )
    .expect("the shipped hoc-2024 profile parses")
}

pub const OUTCOME_COLUMNS: usize = 20;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = decisions, treat_none_as_default_value = false)]
pub struct DecisionRow {
    pub id: i32,
    pub case_id: CaseId,
    pub stage: String,
    pub outcome: Option<String>,
    pub summary: String,
    pub compensation_pence: i32,
    pub compensation_status: CompensationStatus,
    pub approved_by_id: Option<UserId>,
    pub approved_at: Option<NaiveDateTime>,
    pub sent_on: Option<NaiveDate>,
    pub sent_method: Option<String>,
    pub drafted_by_id: Option<UserId>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}
pub const DECISION_COLUMNS: usize = 14;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = remedies, treat_none_as_default_value = false)]
pub struct RemedyRow {
    pub case_id: CaseId,
    pub decision_id: i32,
    pub kind: RemedyKind,
    pub description: String,
    pub owner_id: Option<UserId>,
    pub due_on: Option<NaiveDate>,
    pub amount_pence: Option<i32>,
    pub done_on: Option<NaiveDate>,
    pub evidence: Option<String>,
    pub created_at: NaiveDateTime,
    /// The compensation heads, summing to `amount_pence`.
    pub time_and_trouble_pence: i32,
    pub distress_pence: i32,
    pub financial_loss_pence: i32,
    pub other_pence: i32,
}
pub const REMEDY_COLUMNS: usize = 14;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = lessons, treat_none_as_default_value = false)]
pub struct LessonRow {
    pub id: i32,
    pub case_id: CaseId,
    pub decision_id: i32,
    pub lesson: String,
    pub created_at: NaiveDateTime,
}
pub const LESSON_COLUMNS: usize = 5;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = improvement_actions, treat_none_as_default_value = false)]
pub struct ActionRow {
    pub lesson_id: i32,
    pub case_id: CaseId,
    pub description: String,
    pub owner_id: Option<UserId>,
    pub due_on: Option<NaiveDate>,
    pub status: String,
    pub evidence: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}
pub const ACTION_COLUMNS: usize = 9;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = compensation_payments, treat_none_as_default_value = false)]
pub struct PaymentRow {
    pub case_id: CaseId,
    pub amount_pence: i32,
    pub paid_on: NaiveDate,
    pub recorded_by_id: Option<UserId>,
    pub created_at: NaiveDateTime,
}
pub const PAYMENT_COLUMNS: usize = 5;

/// The report rows of a run of cases.
#[derive(Debug, Default)]
pub struct OutcomeBatch {
    pub outcomes: Vec<StageOutcome>,
    pub decisions: Vec<DecisionRow>,
    pub remedies: Vec<RemedyRow>,
    pub lessons: Vec<LessonRow>,
    pub actions: Vec<ActionRow>,
    pub payments: Vec<PaymentRow>,
}

const LESSONS: &[(&str, &str)] = &[
    (
        "Repairs were closed as complete before the resident confirmed the work was done.",
        "Ask the resident to confirm before a repair job is closed",
    ),
    (
        "Appointments were missed without the resident being told.",
        "Text residents when an appointment will be missed",
    ),
    (
        "The resident was passed between teams and nobody owned the problem.",
        "Name one owner for every cross-team case",
    ),
    (
        "Damp reports were treated as condensation without an inspection.",
        "Inspect every damp and mould report within 10 working days",
    ),
    (
        "Our letters used jargon the resident could not follow.",
        "Rewrite the standard letters in plain English",
    ),
    (
        "The contractor's report was accepted without checking it.",
        "Spot-check contractor completion reports each month",
    ),
    (
        "Service charge queries waited weeks for an answer.",
        "Set a 10 working day target for service charge queries",
    ),
];

/// The rows for one case's responses; `officer` records payments.
#[allow(clippy::too_many_arguments)]
pub fn rows(
    extras: &mut ChaCha8Rng,
    calendar: &Calendar,
    profile: &PolicyProfile,
    code: &PolicyProfile,
    today: NaiveDate,
    case: CaseId,
    facts: (Option<CategoryId>, Option<ContractorId>, Channel),
    area: &Area,
    officer: UserId,
    responses: &[Responded],
    next_decision: &mut i32,
    next_lesson: &mut i32,
    out: &mut OutcomeBatch,
) -> anyhow::Result<()> {
    let (category, contractor, channel) = facts;
    for r in responses {
        let own = judge_response(profile, calendar, &r.clock, r.on)?;
        // The Code has no stage 0: an informal resolution is not a response it times.
        let code_judged = if r.stage == Stage::Stage0 {
            own
        } else {
            judge_response(code, calendar, &for_the_code(&r.clock), r.on)?
        };
        let working_days = match r.started_on {
            Some(start) => Some(calendar.between(start, r.on)? as i32),
            None => None,
        };
        let at = london(r.on, 16 * 60);
        let upheld = matches!(r.outcome, Outcome::Upheld | Outcome::PartlyUpheld);
        let compensation = if upheld && extras.random_bool(0.35) {
            extras.random_range(5..=60) * 1_000
        } else {
            0
        };
        let decision = *next_decision;
        *next_decision += 1;
        out.decisions.push(DecisionRow {
            id: decision,
            case_id: case,
            stage: r.stage.key().to_string(),
            outcome: Some(r.outcome.as_str().to_string()),
            summary: format!(
                "{} at {}.",
                r.outcome.label(),
                r.stage.label().to_lowercase()
            ),
            compensation_pence: compensation,
            compensation_status: if compensation > 0 {
                CompensationStatus::Approved
            } else {
                CompensationStatus::None
            },
            approved_by_id: (compensation > 0).then_some(area.director.id),
            approved_at: (compensation > 0).then_some(at - Duration::hours(3)),
            sent_on: Some(r.on),
            sent_method: Some("email".to_string()),
            drafted_by_id: Some(r.responder),
            created_at: at - Duration::days(1),
            updated_at: at,
        });
        if upheld {
            out.remedies.push(RemedyRow {
                case_id: case,
                decision_id: decision,
                kind: RemedyKind::Apology,
                description: "We apologise for the time this has taken to put right.".into(),
                owner_id: None,
                due_on: None,
                amount_pence: None,
                done_on: None,
                evidence: None,
                created_at: at,
                time_and_trouble_pence: 0,
                distress_pence: 0,
                financial_loss_pence: 0,
                other_pence: 0,
            });
        }
        if compensation > 0 {
            // Half (in whole pounds) for time and trouble, the rest for distress.
            let time_and_trouble = compensation / 200 * 100;
            out.remedies.push(RemedyRow {
                case_id: case,
                decision_id: decision,
                kind: RemedyKind::Compensation,
                description: "For the time and trouble and the distress caused.".into(),
                owner_id: None,
                due_on: None,
                amount_pence: Some(compensation),
                done_on: None,
                evidence: None,
                created_at: at,
                time_and_trouble_pence: time_and_trouble,
                distress_pence: compensation - time_and_trouble,
                financial_loss_pence: 0,
                other_pence: 0,
            });
            let paid_on = r.on + Duration::days(extras.random_range(3..=20));
            if paid_on <= today && extras.random_bool(0.9) {
                out.payments.push(PaymentRow {
                    case_id: case,
                    amount_pence: compensation,
                    paid_on,
                    recorded_by_id: Some(officer),
                    created_at: london(paid_on, 11 * 60),
                });
            }
        }
        if upheld && extras.random_bool(0.3) {
            let (lesson, action) = LESSONS[extras.random_range(0..LESSONS.len())];
            let lesson_id = *next_lesson;
            *next_lesson += 1;
            out.lessons.push(LessonRow {
                id: lesson_id,
                case_id: case,
                decision_id: decision,
                lesson: lesson.into(),
                created_at: at,
            });
            let due = r.on + Duration::days(extras.random_range(20..=90));
            let status = if due < today && extras.random_bool(0.75) {
                "implemented"
            } else if extras.random_bool(0.5) {
                "in_progress"
            } else {
                "planned"
            };
            let owner = &area.managers[extras.random_range(0..area.managers.len())];
            out.actions.push(ActionRow {
                lesson_id,
                case_id: case,
                description: action.into(),
                owner_id: Some(owner.id),
                due_on: Some(due),
                evidence: (status == "implemented")
                    .then(|| "Checked by the head of service".into()),
                status: status.into(),
                created_at: at,
                updated_at: at,
            });
        }
        out.outcomes.push(StageOutcome {
            case_id: case,
            stage: r.stage,
            outcome: r.outcome.as_str().to_string(),
            sent_on: r.on,
            due_on: own.due_on,
            met: own.met,
            days_late: own.days_late,
            extended: own.extended,
            code_due_on: code_judged.due_on,
            code_met: code_judged.met,
            code_days_late: code_judged.days_late,
            created_at: at,
            stage_started_on: r.started_on,
            working_days,
            service_area_id: r.service_area,
            category_id: category,
            contractor_id: contractor,
            channel,
            assignee_id: r.assignee,
            compensation_pence: compensation,
        });
    }
    Ok(())
}

/// Writes the report rows (inside the caller's transaction).
pub fn write(conn: &mut crate::db::DbConnection, batch: OutcomeBatch) -> QueryResult<()> {
    use crate::db::bulk::insert_all;
    insert_all(conn, decisions::table, batch.decisions, DECISION_COLUMNS)?;
    insert_all(conn, stage_outcomes::table, batch.outcomes, OUTCOME_COLUMNS)?;
    insert_all(conn, remedies::table, batch.remedies, REMEDY_COLUMNS)?;
    insert_all(conn, lessons::table, batch.lessons, LESSON_COLUMNS)?;
    insert_all(
        conn,
        improvement_actions::table,
        batch.actions,
        ACTION_COLUMNS,
    )?;
    insert_all(
        conn,
        compensation_payments::table,
        batch.payments,
        PAYMENT_COLUMNS,
    )?;
    Ok(())
}
