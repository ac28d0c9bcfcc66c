//! Decisions per stage with their findings, remedies, lessons and improvement actions;
//! frozen stage outcomes; compensation paid.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{
    compensation_payments, decisions, findings, improvement_actions, lessons, remedies,
    stage_outcomes,
};
use super::DbConnection;
use crate::db::literal_limit::FirstRow;
use crate::domain::case::{Channel, CompensationStatus, RemedyKind};
use crate::domain::CompensationHead;
use crate::domain::{CaseId, CategoryId, CompensationHeads, ContractorId, ServiceAreaId, UserId};
use crate::rules::Stage;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = decisions)]
pub struct DecisionRow {
    pub id: i32,
    pub case_id: CaseId,
    pub stage: Stage,
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
    /// The officers' check before the response goes (`[workflow] review_responses`):
    /// `waiting`, `passed` or `returned`; `None` when no check is asked for.
    pub check_state: Option<String>,
    pub check_comment: Option<String>,
    pub checked_by_id: Option<UserId>,
    pub checked_at: Option<NaiveDateTime>,
}

pub fn find(
    conn: &mut DbConnection,
    case: CaseId,
    stage: Stage,
) -> QueryResult<Option<DecisionRow>> {
    decisions::table
        .filter(decisions::case_id.eq(case))
        .filter(decisions::stage.eq(stage))
        .select(DecisionRow::as_select())
        .first_row(conn)
        .optional()
}

/// A finding on one complaint point: `(point number, finding, reasons)`.
pub type Finding = (i32, String, String);

pub fn findings_of(conn: &mut DbConnection, decision: i32) -> QueryResult<Vec<Finding>> {
    findings::table
        .filter(findings::decision_id.eq(decision))
        .order(findings::point_number)
        .select((findings::point_number, findings::finding, findings::reasons))
        .load(conn)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = remedies)]
pub struct RemedyRow {
    pub id: i32,
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
    pub time_and_trouble_pence: i32,
    pub distress_pence: i32,
    pub financial_loss_pence: i32,
    pub other_pence: i32,
}

impl RemedyRow {
    /// The compensation heads; their sum is `amount_pence`.
    pub fn heads(&self) -> CompensationHeads {
        CompensationHeads::from_pence([
            self.time_and_trouble_pence,
            self.distress_pence,
            self.financial_loss_pence,
            self.other_pence,
        ])
    }
}

pub struct NewRemedy {
    pub kind: RemedyKind,
    pub description: String,
    pub owner_id: Option<UserId>,
    pub due_on: Option<NaiveDate>,
    /// All zero unless the remedy is compensation.
    pub heads: CompensationHeads,
}

impl NewRemedy {
    /// The remedy's amount as stored: the sum of its heads, or none. The form keeps every
    /// decision's total within `Money::MAX`, so it fits the 32-bit column.
    pub fn amount_pence(&self) -> Option<i32> {
        Some(self.heads.total())
            .filter(|m| m.pence() > 0)
            .and_then(|m| m.stored_pence())
    }

    fn head_pence(&self, head: CompensationHead) -> i32 {
        self.heads.get(head).stored_pence().unwrap_or(0)
    }
}

pub struct NewAction {
    pub description: String,
    pub owner_id: Option<UserId>,
    pub due_on: Option<NaiveDate>,
}

/// Everything a draft decision holds, written over the previous draft.
pub struct Draft {
    pub stage: Stage,
    pub outcome: Option<String>,
    pub summary: String,
    pub findings: Vec<Finding>,
    pub remedies: Vec<NewRemedy>,
    pub lesson: Option<String>,
    pub actions: Vec<NewAction>,
    pub drafted_by: UserId,
}

impl Draft {
    pub fn compensation_pence(&self) -> i32 {
        self.remedies
            .iter()
            .filter_map(NewRemedy::amount_pence)
            .sum()
    }
}

pub fn save_draft(
    conn: &mut DbConnection,
    case: CaseId,
    draft: &Draft,
    now: NaiveDateTime,
) -> QueryResult<i32> {
    let compensation = draft.compensation_pence();
    let status = if compensation > 0 {
        CompensationStatus::AwaitingApproval
    } else {
        CompensationStatus::None
    };
    let id = match find(conn, case, draft.stage)? {
        Some(existing) => {
            diesel::update(decisions::table.find(existing.id))
                .set((
                    decisions::outcome.eq(&draft.outcome),
                    decisions::summary.eq(&draft.summary),
                    decisions::compensation_pence.eq(compensation),
                    // A changed amount needs approving again.
                    decisions::compensation_status.eq(
                        if existing.compensation_status == CompensationStatus::Approved
                            && existing.compensation_pence == compensation
                        {
                            CompensationStatus::Approved
                        } else {
                            status
                        },
                    ),
                    decisions::drafted_by_id.eq(draft.drafted_by),
                    decisions::updated_at.eq(now),
                ))
                .execute(conn)?;
            for table_delete in [
                diesel::delete(findings::table.filter(findings::decision_id.eq(existing.id)))
                    .execute(conn),
                diesel::delete(remedies::table.filter(remedies::decision_id.eq(existing.id)))
                    .execute(conn),
            ] {
                table_delete?;
            }
            let lesson_ids: Vec<i32> = lessons::table
                .filter(lessons::decision_id.eq(existing.id))
                .select(lessons::id)
                .load(conn)?;
            diesel::delete(
                improvement_actions::table
                    .filter(improvement_actions::lesson_id.eq_any(&lesson_ids)),
            )
            .execute(conn)?;
            diesel::delete(lessons::table.filter(lessons::decision_id.eq(existing.id)))
                .execute(conn)?;
            existing.id
        }
        None => diesel::insert_into(decisions::table)
            .values((
                decisions::case_id.eq(case),
                decisions::stage.eq(draft.stage),
                decisions::outcome.eq(&draft.outcome),
                decisions::summary.eq(&draft.summary),
                decisions::compensation_pence.eq(compensation),
                decisions::compensation_status.eq(status),
                decisions::drafted_by_id.eq(draft.drafted_by),
                decisions::created_at.eq(now),
                decisions::updated_at.eq(now),
            ))
            .returning(decisions::id)
            .get_result(conn)?,
    };
    for (number, finding, reasons) in &draft.findings {
        diesel::insert_into(findings::table)
            .values((
                findings::decision_id.eq(id),
                findings::point_number.eq(number),
                findings::finding.eq(finding),
                findings::reasons.eq(reasons),
            ))
            .execute(conn)?;
    }
    for remedy in &draft.remedies {
        diesel::insert_into(remedies::table)
            .values((
                remedies::case_id.eq(case),
                remedies::decision_id.eq(id),
                remedies::kind.eq(remedy.kind),
                remedies::description.eq(&remedy.description),
                remedies::owner_id.eq(remedy.owner_id),
                remedies::due_on.eq(remedy.due_on),
                remedies::amount_pence.eq(remedy.amount_pence()),
                remedies::time_and_trouble_pence
                    .eq(remedy.head_pence(CompensationHead::TimeAndTrouble)),
                remedies::distress_pence
                    .eq(remedy.head_pence(CompensationHead::DistressAndInconvenience)),
                remedies::financial_loss_pence
                    .eq(remedy.head_pence(CompensationHead::FinancialLoss)),
                remedies::other_pence.eq(remedy.head_pence(CompensationHead::Other)),
                remedies::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    if let Some(lesson) = &draft.lesson {
        let lesson_id: i32 = diesel::insert_into(lessons::table)
            .values((
                lessons::case_id.eq(case),
                lessons::decision_id.eq(id),
                lessons::lesson.eq(lesson),
                lessons::created_at.eq(now),
            ))
            .returning(lessons::id)
            .get_result(conn)?;
        for action in &draft.actions {
            diesel::insert_into(improvement_actions::table)
                .values((
                    improvement_actions::lesson_id.eq(lesson_id),
                    improvement_actions::case_id.eq(case),
                    improvement_actions::description.eq(&action.description),
                    improvement_actions::owner_id.eq(action.owner_id),
                    improvement_actions::due_on.eq(action.due_on),
                    improvement_actions::status.eq("planned"),
                    improvement_actions::created_at.eq(now),
                    improvement_actions::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
    }
    Ok(id)
}

pub fn remedies_of(conn: &mut DbConnection, decision: i32) -> QueryResult<Vec<RemedyRow>> {
    remedies::table
        .filter(remedies::decision_id.eq(decision))
        .order(remedies::id)
        .select(RemedyRow::as_select())
        .load(conn)
}

/// `(lesson, actions)` of a decision.
pub fn learning_of(
    conn: &mut DbConnection,
    decision: i32,
) -> QueryResult<Vec<(String, Vec<ActionRow>)>> {
    let found: Vec<(i32, String)> = lessons::table
        .filter(lessons::decision_id.eq(decision))
        .order(lessons::id)
        .select((lessons::id, lessons::lesson))
        .load(conn)?;
    let mut out = Vec::new();
    for (id, lesson) in found {
        let actions = improvement_actions::table
            .filter(improvement_actions::lesson_id.eq(id))
            .order(improvement_actions::id)
            .select((
                improvement_actions::id,
                improvement_actions::case_id,
                improvement_actions::description,
                improvement_actions::owner_id,
                improvement_actions::due_on,
                improvement_actions::status,
            ))
            .load(conn)?;
        out.push((lesson, actions));
    }
    Ok(out)
}

pub fn approve_compensation(
    conn: &mut DbConnection,
    decision: i32,
    by: UserId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        decisions::table
            .find(decision)
            .filter(decisions::compensation_status.eq(CompensationStatus::AwaitingApproval)),
    )
    .set((
        decisions::compensation_status.eq(CompensationStatus::Approved),
        decisions::approved_by_id.eq(by),
        decisions::approved_at.eq(now),
    ))
    .execute(conn)
}

/// A director declined or returned the compensation offered: the drafter changes the offer,
/// and saving the decision asks for approval again. The rows changed (0 if it no longer
/// waited).
pub fn return_compensation(conn: &mut DbConnection, decision: i32) -> QueryResult<usize> {
    diesel::update(
        decisions::table
            .find(decision)
            .filter(decisions::compensation_status.eq(CompensationStatus::AwaitingApproval)),
    )
    .set(decisions::compensation_status.eq(CompensationStatus::Returned))
    .execute(conn)
}

/// Asks for (`Some("waiting")`) or drops (`None`) the officers' check of a saved decision.
pub fn set_check(
    conn: &mut DbConnection,
    decision: i32,
    state: Option<&str>,
) -> QueryResult<usize> {
    diesel::update(decisions::table.find(decision))
        .set((
            decisions::check_state.eq(state),
            decisions::check_comment.eq(None::<String>),
            decisions::checked_by_id.eq(None::<UserId>),
            decisions::checked_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
}

/// An officer's check: `passed` or `returned`, with comments.
pub fn record_check(
    conn: &mut DbConnection,
    decision: i32,
    state: &str,
    comment: Option<&String>,
    by: UserId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(decisions::table.find(decision))
        .set((
            decisions::check_state.eq(state),
            decisions::check_comment.eq(comment),
            decisions::checked_by_id.eq(by),
            decisions::checked_at.eq(now),
        ))
        .execute(conn)
}

/// Unsent decisions waiting for an officer's check, oldest first.
pub fn waiting_for_check(conn: &mut DbConnection) -> QueryResult<Vec<DecisionRow>> {
    decisions::table
        .filter(decisions::check_state.eq("waiting"))
        .filter(decisions::sent_on.is_null())
        .order((decisions::updated_at, decisions::id))
        .select(DecisionRow::as_select())
        .load(conn)
}

pub fn mark_sent(
    conn: &mut DbConnection,
    decision: i32,
    on: NaiveDate,
    method: &str,
) -> QueryResult<usize> {
    diesel::update(decisions::table.find(decision))
        .set((decisions::sent_on.eq(on), decisions::sent_method.eq(method)))
        .execute(conn)
}

/// A stage's response outcome, frozen when it is sent. `None` is written as NULL (no column
/// has another default), which also lets the seeder insert many rows in one statement.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = stage_outcomes, treat_none_as_default_value = false)]
pub struct StageOutcome {
    pub case_id: CaseId,
    pub stage: Stage,
    pub outcome: String,
    pub sent_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub met: bool,
    pub days_late: i32,
    pub extended: bool,
    pub code_due_on: Option<NaiveDate>,
    pub code_met: bool,
    pub code_days_late: i32,
    pub created_at: NaiveDateTime,
    /// What the reports need, frozen with the outcome (see `crate::reports`).
    pub stage_started_on: Option<NaiveDate>,
    pub working_days: Option<i32>,
    pub service_area_id: Option<ServiceAreaId>,
    pub category_id: Option<CategoryId>,
    pub contractor_id: Option<ContractorId>,
    pub channel: Channel,
    pub assignee_id: Option<UserId>,
    pub compensation_pence: i32,
}

/// Freezes the outcome; the first response of a stage is the one that counts.
pub fn freeze_outcome(conn: &mut DbConnection, outcome: &StageOutcome) -> QueryResult<()> {
    let exists = stage_outcomes::table
        .filter(stage_outcomes::case_id.eq(outcome.case_id))
        .filter(stage_outcomes::stage.eq(outcome.stage))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if !exists {
        diesel::insert_into(stage_outcomes::table)
            .values(outcome)
            .execute(conn)?;
    }
    Ok(())
}

pub fn outcomes_of(conn: &mut DbConnection, case: CaseId) -> QueryResult<Vec<StageOutcome>> {
    stage_outcomes::table
        .filter(stage_outcomes::case_id.eq(case))
        .order(stage_outcomes::id)
        .select(StageOutcome::as_select())
        .load(conn)
}

pub fn record_payment(
    conn: &mut DbConnection,
    case: CaseId,
    amount_pence: i32,
    paid_on: NaiveDate,
    by: UserId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(compensation_payments::table)
        .values((
            compensation_payments::case_id.eq(case),
            compensation_payments::amount_pence.eq(amount_pence),
            compensation_payments::paid_on.eq(paid_on),
            compensation_payments::recorded_by_id.eq(by),
            compensation_payments::created_at.eq(now),
        ))
        .execute(conn)
}

pub fn paid_total(conn: &mut DbConnection, case: CaseId) -> QueryResult<i64> {
    let amounts: Vec<i32> = compensation_payments::table
        .filter(compensation_payments::case_id.eq(case))
        .select(compensation_payments::amount_pence)
        .load(conn)?;
    Ok(amounts.into_iter().map(i64::from).sum())
}

/// Decisions whose compensation awaits a director, with their case ids.
pub fn awaiting_approval(conn: &mut DbConnection) -> QueryResult<Vec<DecisionRow>> {
    decisions::table
        .filter(decisions::compensation_status.eq(CompensationStatus::AwaitingApproval))
        .filter(decisions::sent_on.is_null())
        .order(decisions::updated_at)
        .select(DecisionRow::as_select())
        .load(conn)
}

/// Outstanding remedies (not done), oldest due first.
pub fn outstanding_remedies(conn: &mut DbConnection) -> QueryResult<Vec<RemedyRow>> {
    remedies::table
        .filter(remedies::done_on.is_null())
        .filter(
            remedies::owner_id
                .is_not_null()
                .or(remedies::due_on.is_not_null()),
        )
        .order((remedies::due_on.asc(), remedies::id))
        .select(RemedyRow::as_select())
        .load(conn)
}

pub fn mark_remedy_done(
    conn: &mut DbConnection,
    id: i32,
    on: NaiveDate,
    evidence: &str,
) -> QueryResult<usize> {
    diesel::update(remedies::table.find(id).filter(remedies::done_on.is_null()))
        .set((remedies::done_on.eq(on), remedies::evidence.eq(evidence)))
        .execute(conn)
}

/// `(id, case id, description, owner, due, status)` of actions not yet implemented.
pub type ActionRow = (
    i32,
    CaseId,
    String,
    Option<UserId>,
    Option<NaiveDate>,
    String,
);

pub fn outstanding_actions(conn: &mut DbConnection) -> QueryResult<Vec<ActionRow>> {
    improvement_actions::table
        .filter(improvement_actions::status.ne("implemented"))
        .order((improvement_actions::due_on.asc(), improvement_actions::id))
        .select((
            improvement_actions::id,
            improvement_actions::case_id,
            improvement_actions::description,
            improvement_actions::owner_id,
            improvement_actions::due_on,
            improvement_actions::status,
        ))
        .load(conn)
}

pub fn set_action_status(
    conn: &mut DbConnection,
    id: i32,
    status: &str,
    evidence: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(improvement_actions::table.find(id))
        .set((
            improvement_actions::status.eq(status),
            improvement_actions::evidence.eq(evidence),
            improvement_actions::updated_at.eq(now),
        ))
        .execute(conn)
}
