//! The escalation refusal letter (Code 2.4 and 5.11): an escalation may be refused only on a
//! ground section 2 of the Code allows, and the resident is told in writing why, with the
//! Housing Ombudsman's details. Refusing is the decision (on the escalate form); each
//! refusal then owes one letter until it is sent or recorded as sent elsewhere. Here, in
//! `cases`, because the case page's next step follows it as well as the letters do.

use chrono::NaiveDate;

use crate::cases::load::LoadedCase;
use crate::db::letters as table;
use crate::db::DbConnection;
use crate::domain::letter_kind::LetterKind;
use crate::domain::CaseEvent;

/// The stored stage key of refusal letters: a refusal comes after stage 1 closed.
pub const STAGE_KEY: &str = "escalation";

/// A refusal recorded on the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The day the resident asked to escalate.
    pub requested_on: NaiveDate,
    /// Why it was refused, as recorded.
    pub reason: String,
}

/// The refusals recorded on `case`, oldest first.
pub fn refusals(case: &LoadedCase) -> Vec<Refused> {
    case.events
        .iter()
        .filter_map(|row| match row.event() {
            Some(CaseEvent::EscalationRefused {
                requested_on,
                reason,
            }) => Some(Refused {
                requested_on,
                reason,
            }),
            _ => None,
        })
        .collect()
}

/// The latest refusal not yet explained by a letter sent (one letter per refusal).
pub fn awaiting_letter(
    conn: &mut DbConnection,
    case: &LoadedCase,
) -> diesel::QueryResult<Option<Refused>> {
    let refused = refusals(case);
    // Nearly every case was never refused stage 2: nothing to count then.
    if refused.is_empty() {
        return Ok(None);
    }
    let sent = table::sent_count(
        conn,
        case.row.id,
        LetterKind::EscalationRefusal.as_str(),
        STAGE_KEY,
    )?;
    Ok(if refused.len() as i64 > sent {
        refused.last().cloned()
    } else {
        None
    })
}

/// Where the latest request for stage 2 stands on a closed case, for its next step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalState {
    /// No request was refused since the case last closed.
    NotRefused,
    /// Refused, and the letter explaining why is still to go.
    LetterOwed,
    /// Refused on this day and explained to the resident.
    Explained(NaiveDate),
}

/// The state of the latest refusal on `case`: only a refusal recorded after the case's
/// last response or escalation counts (a case reopened and answered again starts afresh).
pub fn state(conn: &mut DbConnection, case: &LoadedCase) -> diesel::QueryResult<RefusalState> {
    let latest = case.events.iter().rev().find_map(|row| match row.event() {
        Some(CaseEvent::EscalationRefused { .. }) => Some(Some(row.occurred_on)),
        Some(CaseEvent::Response { .. } | CaseEvent::Escalation { .. }) => Some(None),
        _ => None,
    });
    let Some(Some(on)) = latest else {
        return Ok(RefusalState::NotRefused);
    };
    Ok(if awaiting_letter(conn, case)?.is_some() {
        RefusalState::LetterOwed
    } else {
        RefusalState::Explained(on)
    })
}
