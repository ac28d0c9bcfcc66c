//! The deadlines of a case as it stands: the rules engine applied to the case's state.

use chrono::NaiveDate;

use crate::domain::CaseState;
use crate::rules::{
    schedule, Calendar, CaseClock, DeadlineError, PolicyProfile, RagThresholds, Schedule, Stage,
};

/// The clock the rules should run on. A case awaiting triage has no stage yet, but the
/// acknowledgement clock already runs from receipt, so it is shown as a provisional stage 1
/// (stage 0 where the profile and a health-and-safety rule would put it there is decided at
/// triage). Closed cases and non-complaints have none.
pub fn clock_for(state: &CaseState) -> Option<CaseClock> {
    if state.status.is_open() && state.stage.is_none() && state.classification.is_none() {
        let mut clock = CaseClock::new(Stage::Stage1, state.received);
        clock.health_and_safety = state.health_and_safety;
        return Some(clock);
    }
    if !state.status.is_open() {
        return None;
    }
    state.clock()
}

pub fn for_case(
    state: &CaseState,
    profile: &PolicyProfile,
    calendar: &Calendar,
    today: NaiveDate,
    rag: &RagThresholds,
) -> Result<Option<Schedule>, DeadlineError> {
    match clock_for(state) {
        Some(clock) => schedule(profile, calendar, &clock, today, rag).map(Some),
        None => Ok(None),
    }
}

/// The due date of the next deadline, stored on the case row so work lists can sort and
/// filter without recomputing every schedule.
pub fn next_due(
    state: &CaseState,
    profile: &PolicyProfile,
    calendar: &Calendar,
    today: NaiveDate,
) -> Result<Option<NaiveDate>, DeadlineError> {
    Ok(
        for_case(state, profile, calendar, today, &RagThresholds::default())?
            .and_then(|s| s.next().map(|d| d.due)),
    )
}
