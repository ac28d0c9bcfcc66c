//! Where a case stands within its stage: the step someone does next. The case page's task
//! list, its status label and the work lists' "stage and step" column all read it from here,
//! so the three always agree.
//!
//! A stage's steps, in order: acknowledge, assign, investigate, draft the response, approval
//! (only when compensation is offered), send the response. Triage comes before any stage.
//! Acknowledging and assigning may happen in either order; while both are outstanding the
//! acknowledgement comes first because its deadline is the nearer.

use std::fmt;

use super::vocabulary::{CompensationStatus, Status};
use crate::rules::Stage;

/// How far the current stage's decision has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionProgress {
    /// No decision started.
    NotStarted,
    /// A draft exists without an outcome yet.
    Drafting,
    /// Decided; compensation is offered and waits for a director.
    AwaitingApproval,
    /// Decided and, if compensation is offered, approved: ready to send.
    Ready,
}

impl DecisionProgress {
    /// From a stored decision of the current stage (`None` when there is none yet).
    pub fn of(decided: Option<bool>, compensation: CompensationStatus) -> DecisionProgress {
        match decided {
            None => DecisionProgress::NotStarted,
            // A director declined or returned the offer: it is being drafted again.
            Some(false) => DecisionProgress::Drafting,
            Some(true) if compensation == CompensationStatus::Returned => {
                DecisionProgress::Drafting
            }
            Some(true) if compensation == CompensationStatus::AwaitingApproval => {
                DecisionProgress::AwaitingApproval
            }
            Some(true) => DecisionProgress::Ready,
        }
    }
}

/// What the step depends on. The caller works out `acknowledged` as "acknowledged, or this
/// stage needs no acknowledgement under the case's policy".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepFacts {
    pub status: Status,
    pub stage: Option<Stage>,
    pub acknowledged: bool,
    pub assigned: bool,
    pub decision: DecisionProgress,
}

/// The step a case is at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    Triage,
    Acknowledge,
    Assign,
    Investigate,
    DraftResponse,
    Approval,
    SendResponse,
    /// Not a complaint: referred to a team as a service request.
    Referred,
    Closed,
}

impl Step {
    /// The steps of an open stage, in the order the task list shows them.
    pub const STAGE_STEPS: [Step; 6] = [
        Step::Acknowledge,
        Step::Assign,
        Step::Investigate,
        Step::DraftResponse,
        Step::Approval,
        Step::SendResponse,
    ];

    /// The step a case is at.
    pub fn of(facts: &StepFacts) -> Step {
        match facts.status {
            Status::Received => Step::Triage,
            Status::ServiceRequestReferred => Step::Referred,
            Status::Closed => Step::Closed,
            Status::Stage0Open | Status::Stage1Open | Status::Stage2Open => {
                if !facts.acknowledged {
                    Step::Acknowledge
                } else if !facts.assigned {
                    Step::Assign
                } else {
                    match facts.decision {
                        DecisionProgress::NotStarted => Step::Investigate,
                        DecisionProgress::Drafting => Step::DraftResponse,
                        DecisionProgress::AwaitingApproval => Step::Approval,
                        DecisionProgress::Ready => Step::SendResponse,
                    }
                }
            }
        }
    }

    /// The step's name in a task list ("Acknowledge the complaint").
    pub fn task(self) -> &'static str {
        match self {
            Step::Triage => "Triage the contact",
            Step::Acknowledge => "Acknowledge the complaint",
            Step::Assign => "Assign an investigator",
            Step::Investigate => "Investigate",
            Step::DraftResponse => "Draft the response",
            Step::Approval => "Approve the compensation",
            Step::SendResponse => "Send the response",
            Step::Referred => "Referred as a service request",
            Step::Closed => "Closed",
        }
    }

    /// Where the case stands, as a status ("to acknowledge").
    pub fn status(self) -> &'static str {
        match self {
            Step::Triage => "awaiting triage",
            Step::Acknowledge => "to acknowledge",
            Step::Assign => "to assign",
            Step::Investigate => "investigating",
            Step::DraftResponse => "drafting the response",
            Step::Approval => "awaiting approval",
            Step::SendResponse => "response to send",
            Step::Referred => "referred as a service request",
            Step::Closed => "closed",
        }
    }
}

/// A case's stage and step in words: "Stage 1: to acknowledge", "Awaiting triage",
/// "Closed at stage 2".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageAndStep {
    pub stage: Option<Stage>,
    pub step: Step,
}

impl StageAndStep {
    pub fn of(facts: &StepFacts) -> StageAndStep {
        StageAndStep {
            stage: facts.stage,
            step: Step::of(facts),
        }
    }
}

impl fmt::Display for StageAndStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.step, self.stage) {
            (Step::Triage, _) => f.write_str("Awaiting triage"),
            (Step::Referred, _) => f.write_str("Referred as a service request"),
            (Step::Closed, Some(stage)) => write!(f, "Closed at {}", stage_words(stage)),
            (Step::Closed, None) => f.write_str("Closed"),
            (step, Some(stage)) => write!(f, "{}: {}", stage.label(), step.status()),
            // An open status always has a stage; the task name is the safe fallback.
            (step, None) => f.write_str(step.task()),
        }
    }
}

fn stage_words(stage: Stage) -> &'static str {
    match stage {
        Stage::Stage0 => "stage 0",
        Stage::Stage1 => "stage 1",
        Stage::Stage2 => "stage 2",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(stage: Stage, acknowledged: bool, assigned: bool, decision: DecisionProgress) -> Step {
        let status = match stage {
            Stage::Stage0 => Status::Stage0Open,
            Stage::Stage1 => Status::Stage1Open,
            Stage::Stage2 => Status::Stage2Open,
        };
        Step::of(&StepFacts {
            status,
            stage: Some(stage),
            acknowledged,
            assigned,
            decision,
        })
    }

    #[test]
    fn an_open_stage_walks_its_steps_in_order() {
        use DecisionProgress::*;
        for stage in Stage::ALL {
            assert_eq!(open(stage, false, false, NotStarted), Step::Acknowledge);
            assert_eq!(open(stage, false, true, NotStarted), Step::Acknowledge);
            assert_eq!(open(stage, true, false, NotStarted), Step::Assign);
            assert_eq!(open(stage, true, true, NotStarted), Step::Investigate);
            assert_eq!(open(stage, true, true, Drafting), Step::DraftResponse);
            assert_eq!(open(stage, true, true, AwaitingApproval), Step::Approval);
            assert_eq!(open(stage, true, true, Ready), Step::SendResponse);
        }
    }

    #[test]
    fn decision_progress_follows_the_stored_decision() {
        use CompensationStatus as C;
        assert_eq!(
            DecisionProgress::of(None, C::None),
            DecisionProgress::NotStarted
        );
        assert_eq!(
            DecisionProgress::of(Some(false), C::AwaitingApproval),
            DecisionProgress::Drafting
        );
        assert_eq!(
            DecisionProgress::of(Some(true), C::AwaitingApproval),
            DecisionProgress::AwaitingApproval
        );
        assert_eq!(
            DecisionProgress::of(Some(true), C::Approved),
            DecisionProgress::Ready
        );
        assert_eq!(
            DecisionProgress::of(Some(true), C::None),
            DecisionProgress::Ready
        );
    }

    #[test]
    fn the_label_reads_as_words() {
        let facts = |status, stage| StepFacts {
            status,
            stage,
            acknowledged: true,
            assigned: false,
            decision: DecisionProgress::NotStarted,
        };
        let label = |status, stage| StageAndStep::of(&facts(status, stage)).to_string();
        assert_eq!(label(Status::Received, None), "Awaiting triage");
        assert_eq!(
            label(Status::Stage1Open, Some(Stage::Stage1)),
            "Stage 1: to assign"
        );
        assert_eq!(
            label(Status::Closed, Some(Stage::Stage2)),
            "Closed at stage 2"
        );
        assert_eq!(label(Status::Closed, None), "Closed");
        assert_eq!(
            label(Status::ServiceRequestReferred, None),
            "Referred as a service request"
        );
    }
}
