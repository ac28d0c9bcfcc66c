//! Stage 1 and stage 2 apart: each stage's complaint points, decision, remedies and sent
//! response, and — once the resident escalated — why they did, for the stage 2 screens.

use chrono::NaiveDate;
use diesel::QueryResult;

use crate::cases::identity::Sight;
use crate::db::case_events::CaseEventRow;
use crate::db::decisions::{self, DecisionRow, RemedyRow, StageOutcome};
use crate::db::{case_file, complaint_points, DbConnection};
use crate::domain::case::{CompensationStatus, ContactMethod, Outcome, RemedyKind};
use crate::domain::compensation::describe_amount;
use crate::domain::{CaseEvent, CaseId, CompensationHeads, Money, UserId};
use crate::rules::Stage;

/// One stage's own section of the case file.
#[derive(Debug, Clone)]
pub struct StageSection {
    pub stage: Stage,
    /// `(number, text)` of the complaint points agreed for this stage.
    pub points: Vec<(i32, String)>,
    pub decision: Option<DecisionView>,
    /// The response as sent and judged against the deadline (frozen when sent).
    pub response: Option<ResponseView>,
}

#[derive(Debug, Clone)]
pub struct DecisionView {
    pub outcome: Option<Outcome>,
    pub summary: String,
    /// `(point number, finding, reasons)`.
    pub findings: Vec<(i32, Option<Outcome>, String)>,
    pub remedies: Vec<RemedyView>,
    pub compensation_pence: i64,
    pub compensation: CompensationStatus,
    pub sent_on: Option<NaiveDate>,
    pub sent_by: Option<ContactMethod>,
    pub drafted_by: Option<UserId>,
}

#[derive(Debug, Clone)]
pub struct RemedyView {
    pub kind: RemedyKind,
    pub description: String,
    pub amount_pence: Option<i64>,
    /// What the amount is for; the heads sum to it.
    pub heads: CompensationHeads,
    pub due_on: Option<NaiveDate>,
}

impl RemedyView {
    pub fn amount(&self) -> Option<Money> {
        self.amount_pence.map(Money::from_pence)
    }

    /// The amount with what it is for: "£150.00 in total: £50.00 for time and trouble and
    /// £100.00 for distress and inconvenience".
    pub fn amount_words(&self) -> Option<String> {
        self.amount()
            .filter(|m| m.pence() > 0)
            .map(|m| describe_amount(m, &self.heads))
    }
}

#[derive(Debug, Clone)]
pub struct ResponseView {
    pub sent_on: NaiveDate,
    pub outcome: Option<Outcome>,
    pub met: bool,
    pub days_late: i64,
    pub extended: bool,
}

/// Why the resident escalated, as the stage 2 screens show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Escalation {
    pub requested_on: NaiveDate,
    /// In the resident's words; empty when none were recorded.
    pub reasons: String,
}

/// What the notes written before December 2026 began with: the reasons were a note then.
const REASONS_NOTE: &str = "The resident's reasons for escalating: ";

/// The latest escalation of the case and the resident's reasons (`sight` applied).
pub fn escalation(events: &[CaseEventRow], sight: &Sight) -> Option<Escalation> {
    let mut found: Option<Escalation> = None;
    for event in events.iter().filter_map(CaseEventRow::event) {
        match event {
            CaseEvent::Escalation {
                requested_on,
                reasons,
            } => {
                found = Some(Escalation {
                    requested_on,
                    reasons: sight.text(&reasons),
                })
            }
            CaseEvent::Note { text, .. } => {
                if let (Some(e), Some(reasons)) = (&mut found, text.strip_prefix(REASONS_NOTE)) {
                    if e.reasons.is_empty() {
                        e.reasons = sight.text(reasons);
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// The stage sections of case `id`, loaded with one query per kind of record.
pub fn load(conn: &mut DbConnection, id: CaseId, sight: &Sight) -> QueryResult<Vec<StageSection>> {
    let points = complaint_points::for_case(conn, id)?;
    let decision_rows = case_file::decisions_of(conn, id)?;
    let ids: Vec<i32> = decision_rows.iter().map(|d| d.id).collect();
    let (findings, remedies) = if ids.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        (
            case_file::findings_of(conn, &ids)?,
            case_file::remedies_of(conn, &ids)?,
        )
    };
    let outcomes = decisions::outcomes_of(conn, id)?;
    Ok(sections(
        &points,
        &decision_rows,
        &findings,
        &remedies,
        &outcomes,
        sight,
    ))
}

/// The stages the case has reached, stage 0 and 1 before 2, each with its own records.
fn sections(
    points: &[(String, i32, String)],
    decisions: &[DecisionRow],
    findings: &[(i32, i32, String, String)],
    remedies: &[RemedyRow],
    outcomes: &[StageOutcome],
    sight: &Sight,
) -> Vec<StageSection> {
    let mut stages: Vec<Stage> = points
        .iter()
        .filter_map(|(s, _, _)| s.parse().ok())
        .chain(decisions.iter().map(|d| d.stage))
        .chain(outcomes.iter().map(|o| o.stage))
        .collect();
    stages.sort();
    stages.dedup();
    stages
        .into_iter()
        .map(|stage| {
            let decision = decisions
                .iter()
                .find(|d| d.stage == stage)
                .map(|d| DecisionView {
                    outcome: d.outcome.as_deref().and_then(|o| o.parse().ok()),
                    summary: sight.text(&d.summary),
                    findings: findings
                        .iter()
                        .filter(|f| f.0 == d.id)
                        .map(|(_, n, finding, reasons)| {
                            (*n, finding.parse().ok(), sight.text(reasons))
                        })
                        .collect(),
                    remedies: remedies
                        .iter()
                        .filter(|r| r.decision_id == d.id)
                        .map(|r| RemedyView {
                            kind: r.kind,
                            description: sight.text(&r.description),
                            amount_pence: r.amount_pence.map(i64::from),
                            heads: r.heads(),
                            due_on: r.due_on,
                        })
                        .collect(),
                    compensation_pence: d.compensation_pence.into(),
                    compensation: d.compensation_status,
                    sent_on: d.sent_on,
                    sent_by: d.sent_method.as_deref().and_then(|m| m.parse().ok()),
                    drafted_by: d.drafted_by_id,
                });
            StageSection {
                stage,
                points: points
                    .iter()
                    .filter(|(s, _, _)| *s == stage.key())
                    .map(|(_, n, text)| (*n, sight.text(text)))
                    .collect(),
                decision,
                response: outcomes
                    .iter()
                    .find(|o| o.stage == stage)
                    .map(|o| ResponseView {
                        sent_on: o.sent_on,
                        outcome: o.outcome.parse().ok(),
                        met: o.met,
                        days_late: o.days_late.into(),
                        extended: o.extended,
                    }),
            }
        })
        .collect()
}
