//! The case page's "what happens next": the current stage's steps as a GOV.UK task list,
//! each with its status and due date, and the one next step — for the viewer to do, or
//! named as whose it is. The step comes from [`Step::of`] (shared with the work lists);
//! which link does a step is [`CaseAction::for_step`]; whether the viewer may is
//! [`access::may`], the rule the routes apply.

use chrono::NaiveDate;

use crate::cases::access::{self, Viewer};
use crate::cases::available::CaseAction;
use crate::cases::load::LoadedCase;
use crate::cases::refusal::RefusalState;
use crate::db::staff::StaffMember;
use crate::domain::case::{CompensationStatus, DecisionProgress, StageAndStep, Step, StepFacts};
use crate::rules::policy::DeadlineKind;
use crate::rules::{PolicyProfile, Stage};

use super::stages::StageSection;
use super::DeadlineRow;

/// A task's status, as the GOV.UK task list words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskStatus {
    NotStarted,
    InProgress,
    Completed,
    /// The stage's rules ask for no such step (no acknowledgement timescale, say).
    NotNeeded,
    /// Waiting for an earlier step: why, in words.
    CannotStartYet(&'static str),
}

impl TaskStatus {
    pub fn label(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "Not started",
            TaskStatus::InProgress => "In progress",
            TaskStatus::Completed => "Completed",
            TaskStatus::NotNeeded => "Not needed",
            TaskStatus::CannotStartYet(_) => "Cannot start yet",
        }
    }

    /// Why it cannot start, shown as the task's hint.
    pub fn why(self) -> Option<&'static str> {
        match self {
            TaskStatus::CannotStartYet(why) => Some(why),
            _ => None,
        }
    }

    /// Done or not needed: grey text in the list, not a blue tag.
    pub fn finished(self) -> bool {
        matches!(
            self,
            TaskStatus::Completed | TaskStatus::NotNeeded | TaskStatus::CannotStartYet(_)
        )
    }
}

/// One row of the task list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub step: Step,
    pub status: TaskStatus,
    pub due: Option<NaiveDate>,
    /// The link that does the step, when the viewer may follow it now.
    pub action: Option<CaseAction>,
}

/// The one next step on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// The viewer can do it: this link (the page's one primary button).
    Link(Step, CaseAction),
    /// A director approves the compensation on the case page itself (a form, not a link).
    Approve,
    /// Someone else's step: "Waiting for Sophie Irving to draft the response".
    Waiting(String),
    /// The viewer sends the letter explaining a refused escalation (Code 5.11).
    RefusalLetter,
    /// Nothing is waiting on anyone (a closed case that cannot be escalated).
    Nothing,
}

/// The stage's task list and its next step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskList {
    pub at: StageAndStep,
    /// Empty while nothing has a stage (awaiting triage, referred, closed).
    pub tasks: Vec<Task>,
    pub next: Next,
}

/// What the task list needs to know about the case beside its state.
pub struct TaskInputs<'a> {
    pub profile: Option<&'a PolicyProfile>,
    pub stages: &'a [StageSection],
    pub deadlines: &'a [DeadlineRow],
    pub case_officer: Option<&'a StaffMember>,
    pub assignee: Option<&'a StaffMember>,
    pub may_approve: bool,
    /// Whether a request for stage 2 was refused since the case last closed.
    pub refusal: RefusalState,
}

/// The facts [`Step::of`] reads, from the case, its policy and the stage's decision.
pub fn step_facts(case: &LoadedCase, inputs: &TaskInputs<'_>) -> StepFacts {
    let state = &case.state;
    let stage = state.stage;
    let acknowledged = state.current_acknowledgement().is_some()
        || stage.is_some_and(|stage| !acknowledgement_required(inputs.profile, stage, case));
    let decision = stage
        .and_then(|stage| current_decision(inputs.stages, stage))
        .map_or(DecisionProgress::NotStarted, |d| {
            DecisionProgress::of(Some(d.outcome.is_some()), d.compensation)
        });
    StepFacts {
        status: state.status,
        stage,
        acknowledged,
        assigned: state.assigned_manager.is_some(),
        decision,
    }
}

/// Whether the stage's rules set an acknowledgement timescale (no profile: assume so).
fn acknowledgement_required(
    profile: Option<&PolicyProfile>,
    stage: Stage,
    case: &LoadedCase,
) -> bool {
    profile.is_none_or(|p| {
        p.deadline_rule(stage, DeadlineKind::Acknowledge, case.row.health_and_safety)
            .is_some()
    })
}

fn current_decision(stages: &[StageSection], stage: Stage) -> Option<&super::stages::DecisionView> {
    stages
        .iter()
        .find(|s| s.stage == stage)
        .and_then(|s| s.decision.as_ref())
        // A decision already sent belongs to a stage that has closed (then reopened).
        .filter(|d| d.sent_on.is_none())
}

/// The task list of `case` as `viewer` sees it.
pub fn task_list(viewer: &Viewer<'_>, case: &LoadedCase, inputs: &TaskInputs<'_>) -> TaskList {
    let facts = step_facts(case, inputs);
    let at = StageAndStep::of(&facts);
    let may = |action: CaseAction| access::may(viewer, case, action).is_ok();
    let offered = |step: Step| CaseAction::for_step(step).filter(|a| may(*a));
    let tasks = match facts.stage {
        Some(stage) if facts.status.is_open() && at.step != Step::Referred => {
            stage_tasks(stage, &facts, case, inputs, &offered)
        }
        _ => Vec::new(),
    };
    let next = if at.step == Step::Approval && inputs.may_approve {
        Next::Approve
    } else if at.step == Step::Closed && inputs.refusal != RefusalState::NotRefused {
        // Refused: the letter is the next step, then nothing (the resident may still come
        // back, so escalating stays under the page's other actions).
        refused_next(inputs.refusal, may(CaseAction::Escalate))
    } else if let Some(action) = next_action(case, at.step).filter(|a| may(*a)) {
        Next::Link(at.step, action)
    } else {
        waiting(case, at.step, inputs)
    };
    TaskList { at, tasks, next }
}

/// The next step once a request for stage 2 was refused; `officer` may send the letter
/// (the complaints team refuses, and so explains).
fn refused_next(refusal: RefusalState, officer: bool) -> Next {
    match refusal {
        RefusalState::LetterOwed if officer => Next::RefusalLetter,
        RefusalState::LetterOwed => Next::Waiting(
            "Stage 2 refused: waiting for the complaints team to send the letter explaining why"
                .to_string(),
        ),
        RefusalState::Explained(on) => Next::Waiting(format!(
            "Closed: stage 2 was refused on {} and the resident told why and how to contact the Housing Ombudsman",
            on.format("%-d %B %Y")
        )),
        RefusalState::NotRefused => Next::Nothing,
    }
}

/// The action that moves the case on from `step`, for whoever may take it.
fn next_action(case: &LoadedCase, step: Step) -> Option<CaseAction> {
    match step {
        // A closed stage 1 complaint waits on the resident; when they ask for a review the
        // officer records it.
        Step::Closed => Some(CaseAction::Escalate).filter(|a| a.applies(case).is_ok()),
        Step::Referred => Some(CaseAction::ConvertToComplaint),
        step => CaseAction::for_step(step),
    }
}

fn stage_tasks(
    stage: Stage,
    facts: &StepFacts,
    case: &LoadedCase,
    inputs: &TaskInputs<'_>,
    offered: &dyn Fn(Step) -> Option<CaseAction>,
) -> Vec<Task> {
    use DecisionProgress as D;
    use TaskStatus::*;
    let due = |name: &str| {
        inputs
            .deadlines
            .iter()
            .filter(|d| d.stage == stage && d.name.starts_with(name))
            .filter(|d| d.state != crate::rules::DeadlineState::Superseded)
            .map(|d| d.due)
            .next_back()
    };
    let acknowledgement_needed = acknowledgement_required(inputs.profile, stage, case);
    let decided = matches!(facts.decision, D::AwaitingApproval | D::Ready);
    let compensation =
        current_decision(inputs.stages, stage).map_or(CompensationStatus::None, |d| d.compensation);
    let mut tasks = vec![Task {
        step: Step::Triage,
        status: Completed,
        due: None,
        action: None,
    }];
    for step in Step::STAGE_STEPS {
        let status = match step {
            Step::Acknowledge if !acknowledgement_needed => NotNeeded,
            Step::Acknowledge if facts.acknowledged => Completed,
            Step::Acknowledge => NotStarted,
            Step::Assign if facts.assigned => Completed,
            Step::Assign => NotStarted,
            Step::Investigate if !facts.assigned => CannotStartYet("Needs an investigator first"),
            Step::Investigate if facts.decision == D::NotStarted => InProgress,
            Step::Investigate => Completed,
            Step::DraftResponse if !facts.assigned => CannotStartYet("Needs an investigator first"),
            Step::DraftResponse => match facts.decision {
                D::NotStarted => NotStarted,
                D::Drafting => InProgress,
                D::AwaitingApproval | D::Ready => Completed,
            },
            // Approval only applies when compensation is offered: leave it out otherwise.
            Step::Approval => match compensation {
                CompensationStatus::None => continue,
                _ if !decided => CannotStartYet("Needs a decision first"),
                CompensationStatus::AwaitingApproval => NotStarted,
                _ => Completed,
            },
            Step::SendResponse => match facts.decision {
                D::NotStarted | D::Drafting => CannotStartYet("Needs a decision first"),
                D::AwaitingApproval => CannotStartYet("Needs a director's approval first"),
                D::Ready => NotStarted,
            },
            _ => continue,
        };
        let due = match step {
            Step::Acknowledge if status == NotStarted => due("acknowledge"),
            Step::DraftResponse | Step::SendResponse if status != Completed => due("respond"),
            _ => None,
        };
        let action = match status {
            // Investigating is the notes and evidence on this page: no form of its own.
            _ if step == Step::Investigate => None,
            NotStarted | InProgress => offered(step),
            // Done, but still changeable while the stage is open (reassign, redraft).
            Completed => offered(step).filter(|a| *a != CaseAction::Acknowledge),
            NotNeeded | CannotStartYet(_) => None,
        };
        tasks.push(Task {
            step,
            status,
            due,
            action,
        });
    }
    tasks
}

/// Whose step it is, for a viewer who cannot do it.
fn waiting(case: &LoadedCase, step: Step, inputs: &TaskInputs<'_>) -> Next {
    let officer = || {
        inputs
            .case_officer
            .map_or("the complaints team".to_string(), |s| s.name.clone())
    };
    let assignee = || {
        inputs
            .assignee
            .map_or("the investigator".to_string(), |s| s.name.clone())
    };
    let (who, what) = match step {
        Step::Triage => ("the complaints team".to_string(), "triage the contact"),
        Step::Acknowledge => (officer(), "acknowledge the complaint"),
        Step::Assign => (officer(), "assign an investigator"),
        Step::Investigate => (assignee(), "investigate and draft the response"),
        Step::DraftResponse => (assignee(), "finish drafting the response"),
        Step::Approval => ("a director".to_string(), "approve the compensation"),
        Step::SendResponse => (assignee(), "send the response"),
        Step::Referred => (officer(), "hear back from the team it was referred to"),
        Step::Closed => {
            return if CaseAction::Escalate.applies(case).is_ok() {
                Next::Waiting(
                    "Closed: if the resident asks for a review, the complaints team escalates it"
                        .to_string(),
                )
            } else {
                Next::Nothing
            };
        }
    };
    Next::Waiting(format!("Waiting for {who} to {what}"))
}
