//! The actions on a case and, for each, its rule: who may use it ([`CaseAction::who`], by
//! role and relation to the case) and when ([`CaseAction::applies`], by the case's state).
//! `access::may` puts the two together; the routes and the case page's buttons both ask it,
//! so the page offers exactly what the routes accept.

use crate::cases::access::{self, Viewer, Who};
use crate::cases::load::LoadedCase;
use crate::domain::case::Step;
use crate::domain::{CaseEvent, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseAction {
    Triage,
    ConvertToComplaint,
    MoveToStage1,
    Assign,
    Acknowledge,
    RecordInvolvement,
    DeclareOwnInvolvement,
    Relate,
    /// Add or change the representative (officers, any status: letters may follow closure).
    Representative,
    AddNote,
    Extend,
    DraftDecision,
    SendDecision,
    RecordCompensationPaid,
    Escalate,
    Withdraw,
    Reopen,
    /// Record that a confidential complainant agreed the investigators may know the
    /// property's address.
    ShareProperty,
    // Corrections after logging (issue 20), offered on the case details page.
    /// The complainant's name, contact details and relationship to the home.
    CorrectContact,
    /// Reasonable adjustments, interpreter language, vulnerability notes.
    CorrectNeeds,
    /// Health and safety, safeguarding, confidential.
    CorrectFlags,
    /// How received, date received, date happened, date aware.
    CorrectDates,
    /// Category, contractor, service area, property.
    CorrectClassification,
    /// Description and outcome sought.
    CorrectDescription,
    /// After acknowledgement: the complaint points, amended with a reason.
    AmendPoints,
    /// The case officer.
    ChangeCaseOfficer,
}

impl CaseAction {
    /// Every action, in the order the case page offers them (the first is its main button).
    pub const ALL: [CaseAction; 18] = [
        CaseAction::DraftDecision,
        CaseAction::SendDecision,
        CaseAction::Triage,
        CaseAction::ConvertToComplaint,
        CaseAction::MoveToStage1,
        CaseAction::Assign,
        CaseAction::Acknowledge,
        CaseAction::RecordInvolvement,
        CaseAction::Relate,
        CaseAction::Escalate,
        CaseAction::Reopen,
        CaseAction::Withdraw,
        CaseAction::RecordCompensationPaid,
        CaseAction::Representative,
        CaseAction::ShareProperty,
        CaseAction::DeclareOwnInvolvement,
        CaseAction::Extend,
        CaseAction::AddNote,
    ];

    /// Everyday work beside the next step, offered as secondary buttons on the case page;
    /// everything else that is not a step of the task list goes under "More actions".
    pub const EVERYDAY: [CaseAction; 2] = [CaseAction::AddNote, CaseAction::Extend];

    /// The corrections, in the order the case details page lists them. Not on the case
    /// page's action list: each is a "Change" link beside what it changes.
    pub const CORRECTIONS: [CaseAction; 8] = [
        CaseAction::CorrectContact,
        CaseAction::CorrectNeeds,
        CaseAction::CorrectDates,
        CaseAction::CorrectFlags,
        CaseAction::CorrectClassification,
        CaseAction::CorrectDescription,
        CaseAction::AmendPoints,
        CaseAction::ChangeCaseOfficer,
    ];

    /// The action that does `step` of a stage: today's route for it. The task list's links
    /// and its next step both come from here, so a step's route changes in this one place.
    pub fn for_step(step: Step) -> Option<CaseAction> {
        match step {
            Step::Triage => Some(CaseAction::Triage),
            Step::Acknowledge => Some(CaseAction::Acknowledge),
            Step::Assign => Some(CaseAction::Assign),
            // Investigating ends in the decision: its form is the next thing to open.
            Step::Investigate | Step::DraftResponse => Some(CaseAction::DraftDecision),
            Step::SendResponse => Some(CaseAction::SendDecision),
            // Approval is a button on the case page itself (a director's form).
            Step::Approval | Step::Referred | Step::Closed => None,
        }
    }

    /// Who may use the action (SPEC section 1).
    pub fn who(self) -> Who {
        use CaseAction::*;
        match self {
            Triage
            | ConvertToComplaint
            | MoveToStage1
            | Assign
            | Acknowledge
            | RecordInvolvement
            | Relate
            | Representative
            | RecordCompensationPaid
            | Escalate
            | Withdraw
            | Reopen
            | ShareProperty
            | CorrectContact
            | CorrectFlags
            | CorrectDates
            | CorrectClassification
            | CorrectDescription
            | AmendPoints
            | ChangeCaseOfficer => Who::Officers,
            // The Code asks landlords to keep adjustments under review (5.10): whoever holds
            // the case may.
            CorrectNeeds => Who::OfficersOrAssignedManager,
            // An officer records someone's involvement instead.
            DeclareOwnInvolvement => Who::AssigneeNotOfficer,
            AddNote | Extend => Who::CaseTeam,
            DraftDecision | SendDecision => Who::Assignee,
        }
    }

    /// Whether the case, as it stands, allows the action; why not, in words, otherwise.
    pub fn applies(self, case: &LoadedCase) -> Result<(), &'static str> {
        use CaseAction::*;
        let state = &case.state;
        let open_stage = state.stage.is_some()
            && matches!(
                state.status,
                Status::Stage0Open | Status::Stage1Open | Status::Stage2Open
            );
        let check = |ok: bool, why: &'static str| if ok { Ok(()) } else { Err(why) };
        const NO_OPEN_STAGE: &str = "This case has no open complaint stage";
        match self {
            Triage => check(
                state.status == Status::Received,
                "This case has already been triaged",
            ),
            ConvertToComplaint => check(
                state.status == Status::ServiceRequestReferred,
                "Only a service request can be converted into a complaint",
            ),
            MoveToStage1 => check(
                state.status == Status::Stage0Open,
                "Only a stage 0 complaint can move to stage 1",
            ),
            Assign | RecordInvolvement | DraftDecision => check(open_stage, NO_OPEN_STAGE),
            SendDecision => {
                check(open_stage, NO_OPEN_STAGE)?;
                check(
                    decision_drafted(case),
                    "There is no decision to send yet: record the decision first",
                )
            }
            // The investigator asks for the time, against a response date that is running.
            Extend => {
                check(open_stage, NO_OPEN_STAGE)?;
                check(
                    state.assigned_manager.is_some(),
                    "Assign an investigator first: the response date is extended for them",
                )
            }
            Acknowledge => {
                check(open_stage, NO_OPEN_STAGE)?;
                check(
                    state.current_acknowledgement().is_none(),
                    "This stage has already been acknowledged",
                )
            }
            Relate => check(
                open_stage || state.status == Status::Received,
                "Only a case awaiting triage or at an open stage can be linked",
            ),
            Escalate => {
                // Closed at stage 1 with a response: the resident may ask for a review.
                let closed_on = state.closure.map_or(state.received, |c| c.on);
                check(
                    state.status == Status::Closed && state.escalate(closed_on, closed_on).is_ok(),
                    "Only a complaint closed with a stage 1 response can be escalated to stage 2",
                )
            }
            Reopen => check(
                state.status == Status::Closed,
                "Only a closed case can be reopened",
            ),
            Withdraw | DeclareOwnInvolvement => {
                check(state.status.is_open(), "This case is closed")
            }
            RecordCompensationPaid => check(
                compensation_unpaid(case),
                "There is no approved compensation left to pay on this case",
            ),
            Representative | AddNote => Ok(()),
            CorrectContact | CorrectNeeds | CorrectFlags | CorrectClassification => Ok(()),
            CorrectDates => check(
                state.first_response.is_none(),
                "How the complaint was received and its dates cannot be changed after the first response was sent",
            ),
            CorrectDescription => check(
                state.current_acknowledgement().is_none(),
                "The complaint was acknowledged with its definition: amend the complaint points instead",
            ),
            AmendPoints => {
                check(open_stage, NO_OPEN_STAGE)?;
                check(
                    state.current_acknowledgement().is_some(),
                    "The complaint points are agreed at acknowledgement: until then, change the description",
                )
            }
            ChangeCaseOfficer => check(
                state.status != Status::Received,
                "The case officer is set at triage: triage the case first",
            ),
            ShareProperty => {
                check(
                    case.row.confidential,
                    "The property's address is only withheld when the complainant is confidential",
                )?;
                check(
                    case.row.property_id.is_some(),
                    "This case has no property address to share",
                )?;
                check(
                    state.property_address_shared.is_none(),
                    "The resident's agreement to share the property's address is already recorded",
                )
            }
        }
    }

    /// The action's path under `/cases/{reference}/`.
    pub fn path(self) -> &'static str {
        match self {
            CaseAction::Triage => "triage",
            CaseAction::ConvertToComplaint => "convert",
            CaseAction::MoveToStage1 => "stage1",
            CaseAction::Assign => "assign",
            CaseAction::Acknowledge => "acknowledge",
            CaseAction::RecordInvolvement | CaseAction::DeclareOwnInvolvement => "involvement",
            CaseAction::Relate => "related",
            CaseAction::Representative => "representative",
            CaseAction::AddNote => "notes",
            CaseAction::Extend => "extend",
            CaseAction::DraftDecision => "decision",
            CaseAction::SendDecision => "decision/send",
            CaseAction::RecordCompensationPaid => "compensation/paid",
            CaseAction::Escalate => "escalate",
            CaseAction::Withdraw => "withdraw",
            CaseAction::Reopen => "reopen",
            CaseAction::ShareProperty => "property-address",
            CaseAction::CorrectContact => "details/complainant",
            CaseAction::CorrectNeeds => "details/adjustments",
            CaseAction::CorrectFlags => "details/flags",
            CaseAction::CorrectDates => "details/dates",
            CaseAction::CorrectClassification => "details/classification",
            CaseAction::CorrectDescription => "details/description",
            CaseAction::AmendPoints => "details/points",
            CaseAction::ChangeCaseOfficer => "details/officer",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseAction::Triage => "Triage",
            CaseAction::ConvertToComplaint => "Convert to a complaint",
            CaseAction::MoveToStage1 => "Move to stage 1",
            CaseAction::Assign => "Assign to a manager",
            CaseAction::Acknowledge => "Acknowledge the complaint",
            CaseAction::RecordInvolvement => "Record a manager's involvement",
            CaseAction::DeclareOwnInvolvement => "Declare my involvement",
            CaseAction::Relate => "Link a related or duplicate case",
            CaseAction::Representative => "Add or change the representative",
            CaseAction::AddNote => "Add a note or contact",
            CaseAction::Extend => "Extend the response date",
            CaseAction::DraftDecision => "Record the decision",
            CaseAction::SendDecision => "Send the response",
            CaseAction::RecordCompensationPaid => "Record compensation paid",
            CaseAction::Escalate => "Escalate to stage 2 (or refuse)",
            CaseAction::Withdraw => "Record a withdrawal",
            CaseAction::Reopen => "Reopen the case",
            CaseAction::ShareProperty => "Record agreement to share the property address",
            CaseAction::CorrectContact => "Change the complainant's details",
            CaseAction::CorrectNeeds => "Change adjustments and vulnerability notes",
            CaseAction::CorrectFlags => "Change the flags",
            CaseAction::CorrectDates => "Change how and when it was received",
            CaseAction::CorrectClassification => "Change category, contractor, area or property",
            CaseAction::CorrectDescription => "Change the description",
            CaseAction::AmendPoints => "Amend the complaint points",
            CaseAction::ChangeCaseOfficer => "Change the case officer",
        }
    }
}

/// Whether the current stage has a decision (drafted since the stage last opened).
fn decision_drafted(case: &LoadedCase) -> bool {
    let Some(current) = case.state.stage else {
        return false;
    };
    let mut drafted = false;
    for event in case.events.iter().filter_map(|e| e.event()) {
        match event {
            CaseEvent::DecisionDrafted { stage, .. } => drafted = stage == current,
            // A response closes the stage; an escalation opens the next.
            CaseEvent::Response { .. } | CaseEvent::Escalation { .. } => drafted = false,
            _ => {}
        }
    }
    drafted
}

/// Whether directors approved more compensation than has been recorded as paid.
fn compensation_unpaid(case: &LoadedCase) -> bool {
    let (mut approved, mut paid) = (0i64, 0i64);
    for event in case.events.iter().filter_map(|e| e.event()) {
        match event {
            CaseEvent::CompensationApproved { compensation_pence } => {
                approved += compensation_pence
            }
            CaseEvent::CompensationPaid { amount_pence, .. } => paid += amount_pence,
            _ => {}
        }
    }
    approved > paid
}

/// The corrections `viewer` may make on `case` now (the details page's "Change" links).
pub fn corrections(viewer: &Viewer<'_>, case: &LoadedCase) -> Vec<CaseAction> {
    CaseAction::CORRECTIONS
        .into_iter()
        .filter(|action| access::may(viewer, case, *action).is_ok())
        .collect()
}

/// The actions `viewer` may take on `case` now, in the page's order.
pub fn available(viewer: &Viewer<'_>, case: &LoadedCase) -> Vec<CaseAction> {
    CaseAction::ALL
        .into_iter()
        .filter(|action| access::may(viewer, case, *action).is_ok())
        .collect()
}
