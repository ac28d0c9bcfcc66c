//! Related cases: a link to an earlier case (a recurring issue), or marking a case as a
//! duplicate of another, which closes it and keeps it out of volumes and CH01.

use chrono::NaiveDateTime;

use crate::cases::load::LoadedCase;
use crate::cases::transition::{CaseError, Decided, Rules};
use crate::db::cases::CaseRow;
use crate::db::complaint_points;
use crate::domain::{CaseEvent, CaseReference};

pub fn decide_duplicate(
    case: &LoadedCase,
    of: &CaseRow,
    rules: &Rules<'_>,
    now: NaiveDateTime,
) -> Result<Decided, CaseError> {
    let of_reference =
        CaseReference::parse(&of.reference).map_err(|m| CaseError::Invalid(m.into()))?;
    let (state, event) = case
        .state
        .mark_duplicate(of.id, of_reference, rules.today)?;
    let mut decided = Decided::new(state, event, rules.today);
    let original = of.id;
    decided.also = Some(Box::new(move |conn, id| {
        complaint_points::link(conn, id, original, now)
    }));
    Ok(decided)
}

/// A link is not a state change: it is recorded as a note on the timeline.
pub fn decide_link(
    case: &LoadedCase,
    other: &CaseRow,
    rules: &Rules<'_>,
    now: NaiveDateTime,
) -> Result<Decided, CaseError> {
    if other.id == case.row.id {
        return Err(CaseError::Invalid(
            "A case cannot be related to itself".into(),
        ));
    }
    let event = CaseEvent::Linked {
        other: other
            .reference
            .parse()
            .map_err(|_| CaseError::Invalid("The related case's reference is not valid".into()))?,
    };
    let mut decided = Decided::new(case.state.clone(), event, rules.today);
    let other_id = other.id;
    decided.also = Some(Box::new(move |conn, id| {
        complaint_points::link(conn, id, other_id, now)
    }));
    Ok(decided)
}
