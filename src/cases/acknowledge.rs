//! Acknowledgement: the date it was sent and how, which stops the acknowledgement clock,
//! with the agreed complaint definition — numbered points and the outcome sought — that the
//! decision will later answer point by point.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::cases::load::LoadedCase;
use crate::cases::sent_methods;
use crate::cases::transition::{CaseError, Decided, Rules};
use crate::db::complaint_points;
use crate::db::schema::cases;
use crate::domain::case::ContactMethod;
use crate::rules::methods::SentStep;

pub const POINT_MAX: usize = 1_000;
pub const MAX_POINTS: usize = 20;

/// The complaint points as typed, one per line: non-empty lines, trimmed, without any "1."
/// or "-" typed before them.
pub fn point_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| {
            line.trim()
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .trim_start_matches(['.', ')', '-', '*'])
                .trim()
                .to_string()
        })
        .filter(|line| !line.is_empty())
        .collect()
}

pub struct AcknowledgeCommand {
    pub on: NaiveDate,
    pub method: ContactMethod,
    /// The complaint points, in order.
    pub points: Vec<String>,
    pub outcome_sought: String,
}

pub fn decide(
    case: &LoadedCase,
    command: AcknowledgeCommand,
    rules: &Rules<'_>,
    now: NaiveDateTime,
) -> Result<Decided, CaseError> {
    if command.points.is_empty() {
        return Err(CaseError::Invalid(
            "Enter at least one complaint point".into(),
        ));
    }
    if let Some(why) = sent_methods::refused(case, rules, SentStep::Acknowledge, command.method) {
        return Err(CaseError::Invalid(why));
    }
    let (state, event) = case
        .state
        .acknowledge(command.on, command.method, rules.today)?;
    let stage = state
        .stage
        .ok_or_else(|| CaseError::Invalid("Triage the case first".into()))?
        .to_string();
    let mut decided = Decided::new(state, event, command.on);
    let (points, outcome) = (command.points, command.outcome_sought);
    decided.audit_detail = format!("{} complaint points", points.len());
    decided.also = Some(Box::new(move |conn, id| {
        complaint_points::replace(conn, id, &stage, &points, now)?;
        diesel::update(cases::table.find(id))
            .set(cases::outcome_sought.eq(outcome))
            .execute(conn)?;
        Ok(())
    }));
    Ok(decided)
}
