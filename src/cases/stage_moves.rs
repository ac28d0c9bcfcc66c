//! Moves between classifications after triage: a service request converted into a stage 1
//! complaint (same reference, clock from the day the resident expressed dissatisfaction),
//! and a stage 0 complaint moved to stage 1.

use chrono::NaiveDate;

use crate::cases::load::LoadedCase;
use crate::cases::transition::{CaseError, Decided, Rules};

pub fn decide_convert(
    case: &LoadedCase,
    dissatisfied_on: NaiveDate,
    rules: &Rules<'_>,
) -> Result<Decided, CaseError> {
    let (state, event) = case
        .state
        .convert_service_request(dissatisfied_on, rules.today)?;
    Ok(Decided::new(state, event, dissatisfied_on))
}

pub fn decide_stage1(
    case: &LoadedCase,
    on: NaiveDate,
    rules: &Rules<'_>,
) -> Result<Decided, CaseError> {
    let (state, event) = case.state.move_stage0_to_stage1(on, rules.today)?;
    Ok(Decided::new(state, event, on))
}
