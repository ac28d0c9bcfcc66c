//! Correcting a case's details after logging (issue 20; docs/corrections.md): one module per
//! family of fields, each a `decide` for the transition runner. The change itself is the
//! domain's ([`CaseState::correct`](crate::domain::CaseState::correct)): it refuses what may
//! not change now and applies what the lifecycle carries (so deadlines are re-dated when the
//! runner re-projects the case); the rows the lifecycle does not carry (the complainant, the
//! case's own fields) are written in the same transaction.

pub mod classification;
pub mod contact;
pub mod dates;
pub mod description;
pub mod flags;
pub mod needs;
pub mod officer;
pub mod points;

use crate::cases::load::LoadedCase;
use crate::cases::transition::{AfterWrite, CaseError, Decided, Rules};
use crate::domain::case::Correction;

/// The corrections through the domain, with `also` writing the rows beside the state.
fn decided(
    case: &LoadedCase,
    changes: Vec<Correction>,
    rules: &Rules<'_>,
    also: AfterWrite,
) -> Result<Decided, CaseError> {
    let (state, event) = case.state.correct(changes, rules.today)?;
    let mut decided = Decided::new(state, event, rules.today);
    decided.also = Some(also);
    Ok(decided)
}

/// `Some(change)` when the value differs.
fn changed<T: PartialEq>(
    from: T,
    to: T,
    change: impl FnOnce(T, T) -> Correction,
) -> Option<Correction> {
    (from != to).then(|| change(from, to))
}
