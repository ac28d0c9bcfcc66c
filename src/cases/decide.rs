//! The decision of a stage (stage 0/1 by the assigned manager): a finding per complaint
//! point, an overall outcome, remedies and learning, drafted and redrafted; compensation
//! above zero approved by a director; then sent, which closes the stage and freezes its
//! due date and met/late outcome against the case's profile and against the Code.

use chrono::{NaiveDate, NaiveDateTime};

use crate::cases::load::LoadedCase;
use crate::cases::transition::{CaseError, Decided, Rules};
use crate::db::complaint_points;
use crate::db::decisions::{self, Draft, StageOutcome};
use crate::db::DbConnection;
use crate::domain::case::{CompensationStatus, ContactMethod, Outcome};
use crate::domain::{CaseEvent, UserId};
use crate::rules::{
    schedule, Calendar, CaseClock, DeadlineError, DeadlineState, PolicyProfile, RagThresholds,
    Stage,
};

/// The profile every landlord's CH02 figure is measured against.
pub const CODE_PROFILE: &str = "hoc-2024";

pub fn current_stage(case: &LoadedCase) -> Result<Stage, CaseError> {
    case.state
        .stage
        .filter(|_| case.state.status.is_open())
        .ok_or_else(|| {
            CaseError::Invalid("Only an open complaint at a stage has a decision to make".into())
        })
}

/// Saving a draft is recorded on the timeline (and audited) but changes no state.
pub fn decide_draft(
    case: &LoadedCase,
    draft: Draft,
    rules: &Rules<'_>,
    now: NaiveDateTime,
) -> Result<Decided, CaseError> {
    let stage = current_stage(case)?;
    let event = CaseEvent::DecisionDrafted {
        stage,
        compensation_pence: draft.compensation_pence().into(),
    };
    let mut decided = Decided::new(case.state.clone(), event, rules.today);
    decided.also = Some(Box::new(move |conn, id| {
        decisions::save_draft(conn, id, &draft, now).map(|_| ())
    }));
    Ok(decided)
}

pub fn decide_approval(
    case: &LoadedCase,
    director: UserId,
    conn_decision: decisions::DecisionRow,
    rules: &Rules<'_>,
    now: NaiveDateTime,
) -> Result<Decided, CaseError> {
    if conn_decision.compensation_status != CompensationStatus::AwaitingApproval {
        return Err(CaseError::Invalid(
            "There is no compensation awaiting approval on this case".into(),
        ));
    }
    if let Some(problem) = conn_decision
        .drafted_by_id
        .and_then(|by| crate::cases::approvals::self_approval_problem(by, director))
    {
        return Err(CaseError::Invalid(problem.into()));
    }
    let pence = conn_decision.compensation_pence;
    let event = CaseEvent::CompensationApproved {
        compensation_pence: pence.into(),
    };
    let mut decided = Decided::new(case.state.clone(), event, rules.today);
    let decision = conn_decision.id;
    decided.also = Some(Box::new(move |conn, case| {
        decisions::approve_compensation(conn, decision, director, now)?;
        // Approved from the case page: its request on /approvals is answered too.
        crate::db::approval_requests::close_waiting(
            conn,
            case,
            crate::db::approval_requests::COMPENSATION,
            crate::db::approval_requests::APPROVED,
            director,
            None,
            now,
        )
        .map(|_| ())
    }));
    Ok(decided)
}

/// What must be true before a decision can be sent; each problem is a sentence.
pub fn send_problems(
    conn: &mut DbConnection,
    case: &LoadedCase,
    stage: Stage,
) -> Result<Vec<String>, CaseError> {
    let Some(decision) = decisions::find(conn, case.row.id, stage)? else {
        return Ok(vec!["Draft the decision before sending it".into()]);
    };
    let mut problems = Vec::new();
    let points: Vec<i32> = complaint_points::for_case(conn, case.row.id)?
        .into_iter()
        .filter(|(s, _, _)| *s == stage.to_string())
        .map(|(_, n, _)| n)
        .collect();
    let answered: Vec<i32> = decisions::findings_of(conn, decision.id)?
        .into_iter()
        .map(|(n, _, _)| n)
        .collect();
    for point in &points {
        if !answered.contains(point) {
            problems.push(format!("Record a finding for complaint point {point}"));
        }
    }
    if decision.outcome.is_none() {
        problems.push("Record the overall outcome".into());
    }
    if let Some(problem) = crate::cases::response_check::send_problem(&decision) {
        problems.push(problem.into());
    }
    if decision.compensation_status == CompensationStatus::Returned {
        problems.push(
            "A director returned the compensation offered: change the offer and save the decision, which asks for approval again"
                .into(),
        );
    }
    if decision.compensation_status == CompensationStatus::AwaitingApproval {
        problems.push(
            "The compensation offered needs a director's approval before the decision can be sent"
                .into(),
        );
    }
    Ok(problems)
}

/// Sends the decision: the stage closes with its outcome, and its outcome is frozen.
/// What the final (stage 2) response records about the resident's right to go to the
/// Housing Ombudsman.
pub const OMBUDSMAN_REFERRAL: &str = "Final response sent: the resident was told that our complaints procedure is complete and given the Housing Ombudsman Service's details (0300 111 3000, info@housing-ombudsman.org.uk, www.housing-ombudsman.org.uk) to refer the complaint if still dissatisfied";

pub fn decide_send(
    case: &LoadedCase,
    decision: decisions::DecisionRow,
    on: NaiveDate,
    method: ContactMethod,
    rules: &Rules<'_>,
    now: NaiveDateTime,
) -> Result<Decided, CaseError> {
    let stage = current_stage(case)?;
    if let Some(why) = crate::cases::sent_methods::refused(
        case,
        rules,
        crate::rules::methods::SentStep::Respond,
        method,
    ) {
        return Err(CaseError::Invalid(why));
    }
    let outcome: Outcome = decision
        .outcome
        .as_deref()
        .and_then(|o| o.parse().ok())
        .ok_or_else(|| CaseError::Invalid("Record the overall outcome".into()))?;
    let clock = case
        .state
        .clock()
        .ok_or_else(|| CaseError::Invalid("Triage the case first".into()))?;
    let (state, event) = case.state.respond(outcome, on, rules.today)?;

    // Freeze: the response's due date and met/late against the case's profile and the Code.
    let mut responded = clock.clone();
    *responded.responded.get_mut(stage) = Some(on);
    let profile = |name: &str| {
        rules
            .policies
            .get(name)
            .ok_or_else(|| CaseError::Invalid(format!("The policy profile `{name}` is not loaded")))
    };
    let own = judge_response(profile(&case.row.policy)?, rules.calendar, &responded, on)?;
    // The Code has no stage 0 and CH02 measures stages 1 and 2 only, so a stage 0 response's
    // Code columns repeat the landlord's own judgement instead of refusing the send.
    let code = if stage == Stage::Stage0 {
        own
    } else {
        judge_response(
            profile(CODE_PROFILE)?,
            rules.calendar,
            &for_the_code(&responded),
            on,
        )?
    };
    let (due_on, met, days_late, extended) = (own.due_on, own.met, own.days_late, own.extended);
    let (code_due_on, code_met, code_days_late) = (code.due_on, code.met, code.days_late);
    let stage_started_on = case.state.stage_start(stage);
    let working_days = match stage_started_on {
        Some(start) => Some(
            rules
                .calendar
                .between(start, on)
                .map_err(crate::rules::DeadlineError::from)? as i32,
        ),
        None => None,
    };
    let frozen = StageOutcome {
        case_id: case.row.id,
        stage,
        outcome: outcome.as_str().to_string(),
        sent_on: on,
        due_on,
        met,
        days_late,
        extended,
        code_due_on,
        code_met,
        code_days_late,
        created_at: now,
        stage_started_on,
        working_days,
        service_area_id: case.row.service_area_id,
        category_id: case.row.category_id,
        contractor_id: case.row.contractor_id,
        channel: case.row.channel,
        assignee_id: case.row.assignee_id,
        compensation_pence: decision.compensation_pence,
    };
    let mut decided = Decided::new(state, event, on);
    decided.audit_detail = format!("met={met} code_met={code_met}");
    if stage == Stage::Stage2 {
        // The final response tells the resident they may refer the complaint to the Housing
        // Ombudsman; the timeline records that they were told.
        decided.follow_ups.push((
            CaseEvent::Note {
                text: OMBUDSMAN_REFERRAL.to_string(),
                sensitive: false,
            },
            on,
        ));
    }
    let decision_id = decision.id;
    decided.also = Some(Box::new(move |conn, _| {
        decisions::mark_sent(conn, decision_id, on, method.as_str())?;
        decisions::freeze_outcome(conn, &frozen)
    }));
    Ok(decided)
}

/// A response judged against one profile's respond deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Judged {
    pub due_on: Option<NaiveDate>,
    pub met: bool,
    pub days_late: i32,
    pub extended: bool,
}

/// Judges the response recorded in `responded` (sent `on`) against `profile`'s respond
/// deadline, extensions applied. Used when a decision is sent and by the demo seeder.
pub fn judge_response(
    profile: &PolicyProfile,
    calendar: &Calendar,
    responded: &CaseClock,
    on: NaiveDate,
) -> Result<Judged, DeadlineError> {
    let s = schedule(profile, calendar, responded, on, &RagThresholds::default())?;
    let respond = s
        .deadlines
        .iter()
        .filter(|d| d.name == "respond" || d.name == "respond_extended")
        .find(|d| d.state != DeadlineState::Superseded);
    Ok(match respond {
        Some(d) => {
            let late = match d.state {
                DeadlineState::MetLate { days_late } | DeadlineState::Overdue { days_late } => {
                    days_late as i32
                }
                _ => 0,
            };
            Judged {
                due_on: Some(d.due),
                met: late == 0,
                days_late: late,
                extended: d.name == "respond_extended",
            }
        }
        None => Judged {
            due_on: None,
            met: true,
            days_late: 0,
            extended: false,
        },
    })
}

/// The clock to judge against the Code: an extension counts only within the Code's own
/// cap, so a landlord's approval to go past its own cap does not stretch the Code's (SPEC
/// section 7, CH02).
pub fn for_the_code(clock: &CaseClock) -> CaseClock {
    let mut code = clock.clone();
    for grant in &mut code.extensions {
        grant.approved_past_cap = false;
    }
    code
}

/// An officer records compensation paid: a timeline entry and the payment row.
pub fn decide_payment(
    case: &LoadedCase,
    pence: i32,
    on: NaiveDate,
    officer: UserId,
    now: NaiveDateTime,
) -> Decided {
    let event = CaseEvent::CompensationPaid {
        amount_pence: pence.into(),
        paid_on: on,
    };
    let mut decided = Decided::new(case.state.clone(), event, on);
    decided.also = Some(Box::new(move |conn, id| {
        decisions::record_payment(conn, id, pence, on, officer, now).map(|_| ())
    }));
    decided
}
