//! The case row's lifecycle columns as a projection of the case's state: whatever writes a
//! case after a transition (or seeds one) stores these, so the row never disagrees with the
//! timeline it was built from.

use chrono::NaiveDate;

use crate::domain::case::Channel;
use crate::domain::{CaseId, CaseState, ServiceAreaId, Status, UserId};
use crate::rules::Stage;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Projection {
    pub channel: Channel,
    pub received_on: NaiveDate,
    pub health_and_safety: bool,
    pub safeguarding: bool,
    pub status: Status,
    pub stage: Option<Stage>,
    pub classification: Option<&'static str>,
    pub service_area_id: Option<ServiceAreaId>,
    pub case_officer_id: Option<UserId>,
    pub assignee_id: Option<UserId>,
    /// The day the current (or last) stage's clock started.
    pub stage_started_on: Option<NaiveDate>,
    /// The current stage's acknowledgement.
    pub acknowledged_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub duplicate_of_id: Option<CaseId>,
}

impl Projection {
    pub fn of(state: &CaseState) -> Projection {
        Projection {
            channel: state.channel,
            received_on: state.received,
            health_and_safety: state.health_and_safety,
            safeguarding: state.safeguarding,
            status: state.status,
            stage: state.stage,
            classification: state.classification.map(|c| c.as_str()),
            service_area_id: state.service_area,
            case_officer_id: state.case_officer,
            assignee_id: state.assigned_manager,
            stage_started_on: state.stage.and_then(|s| state.stage_start(s)),
            acknowledged_on: state.current_acknowledgement().map(|a| a.on),
            closed_on: state.closure.map(|c| c.on),
            duplicate_of_id: state.duplicate_of,
        }
    }
}
