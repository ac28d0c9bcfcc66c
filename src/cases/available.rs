//! Which actions a viewer may take on a case in its current state — so the case page offers
//! only what the routes would accept.

use crate::domain::{CaseState, Role, Status};

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
    /// property's address (officers; offered by the case page, which knows the case row).
    ShareProperty,
}

impl CaseAction {
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
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseAction::Triage => "Triage",
            CaseAction::ConvertToComplaint => "Convert to a complaint",
            CaseAction::MoveToStage1 => "Move to stage 1",
            CaseAction::Assign => "Assign to a manager",
            CaseAction::Acknowledge => "Record acknowledgement",
            CaseAction::RecordInvolvement => "Record a manager's involvement",
            CaseAction::DeclareOwnInvolvement => "Declare my involvement",
            CaseAction::Relate => "Link a related or duplicate case",
            CaseAction::Representative => "Add or change the representative",
            CaseAction::AddNote => "Add a note or contact",
            CaseAction::Extend => "Extend the response date",
            CaseAction::DraftDecision => "Record the decision",
            CaseAction::SendDecision => "Send the decision",
            CaseAction::RecordCompensationPaid => "Record compensation paid",
            CaseAction::Escalate => "Escalate to stage 2 (or refuse)",
            CaseAction::Withdraw => "Record a withdrawal",
            CaseAction::Reopen => "Reopen the case",
            CaseAction::ShareProperty => "Record agreement to share the property address",
        }
    }
}

pub fn available(state: &CaseState, role: Role, is_assignee: bool) -> Vec<CaseAction> {
    use CaseAction::*;
    let mut actions = Vec::new();
    let at_stage = state.stage.is_some()
        && matches!(
            state.status,
            Status::Stage0Open | Status::Stage1Open | Status::Stage2Open
        );
    if is_assignee && at_stage {
        actions.extend([DraftDecision, SendDecision]);
    }
    if role == Role::Officer {
        match state.status {
            Status::Received => actions.extend([Triage, Relate]),
            Status::ServiceRequestReferred => actions.push(ConvertToComplaint),
            Status::Stage0Open | Status::Stage1Open | Status::Stage2Open => {
                if state.status == Status::Stage0Open {
                    actions.push(MoveToStage1);
                }
                actions.push(Assign);
                if state.current_acknowledgement().is_none() {
                    actions.push(Acknowledge);
                }
                actions.extend([RecordInvolvement, Relate]);
            }
            Status::Closed => {
                // Closed at stage 1 with a response: the resident may ask for a review.
                let closed_on = state.closure.map_or(state.received, |c| c.on);
                if state.escalate(closed_on, closed_on).is_ok() {
                    actions.push(Escalate);
                }
                actions.push(Reopen);
            }
        }
        if state.status.is_open() {
            actions.push(Withdraw);
        }
        if state.stage.is_some() {
            actions.push(RecordCompensationPaid);
        }
        actions.push(Representative);
    } else if is_assignee && state.status.is_open() {
        actions.push(DeclareOwnInvolvement);
    }
    if role != Role::Admin {
        if at_stage {
            actions.push(Extend);
        }
        actions.push(AddNote);
    }
    actions
}
