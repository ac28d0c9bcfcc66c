//! The quality check before a response goes (issue 22, `[workflow] review_responses`, off
//! by default): a stage 1 or 2 decision drafted by a manager or director waits on the
//! complaints team's "Responses to check" list; an officer passes it (it can then be sent)
//! or returns it with comments (the drafter is told and changes it; saving it asks for a
//! check again). Off, or drafted by an officer: the response is sent as drafted.

use chrono::NaiveDateTime;

use crate::cases::load::LoadedCase;
use crate::cases::transition::{CaseError, Decided, Rules};
use crate::db::decisions::{self, DecisionRow};
use crate::domain::{CaseEvent, Role, UserId};
use crate::mail::links::Links;
use crate::rules::Stage;

pub const WAITING: &str = "waiting";
pub const PASSED: &str = "passed";
pub const RETURNED: &str = "returned";

/// Longest comment an officer may give.
pub const COMMENT_MAX: usize = 5_000;

/// Does a response at `stage` drafted by someone with `role` wait for an officer's check?
pub fn needs_check(review_responses: bool, stage: Stage, role: Role) -> bool {
    review_responses
        && matches!(stage, Stage::Stage1 | Stage::Stage2)
        && matches!(role, Role::Manager | Role::Director)
}

/// Why the response may not be sent yet because of its check, if so.
pub fn send_problem(decision: &DecisionRow) -> Option<&'static str> {
    match decision.check_state.as_deref() {
        Some(WAITING) => Some(
            "The complaints team must check the response before it is sent: it is on their Responses to check list",
        ),
        Some(RETURNED) => Some(
            "The complaints team returned the response with comments: change it and save the decision, which asks for a check again",
        ),
        _ => None,
    }
}

pub const STALE_CHECK: &str = "The response changed after you opened it, or has already been checked. Nothing has been saved. Read it again before checking it";

/// An officer's check of the response they read (its `updated_at`, to the second, as the
/// version): passed, or returned with `comment`.
#[allow(clippy::too_many_arguments)]
pub fn decide_check(
    case: &LoadedCase,
    officer: UserId,
    decision: Option<DecisionRow>,
    seen: NaiveDateTime,
    passed: bool,
    comment: String,
    rules: &Rules<'_>,
    links: Links,
    now: NaiveDateTime,
) -> Result<Decided, CaseError> {
    let decision = decision
        .filter(|d| d.check_state.as_deref() == Some(WAITING) && d.sent_on.is_none())
        .filter(|d| d.updated_at.and_utc().timestamp() == seen.and_utc().timestamp())
        .ok_or_else(|| CaseError::Invalid(STALE_CHECK.into()))?;
    let comment = comment.trim().to_string();
    if !passed && comment.is_empty() {
        return Err(CaseError::Invalid(
            "Enter your comments for the person who drafted it".into(),
        ));
    }
    let event = CaseEvent::ResponseChecked {
        stage: decision.stage,
        passed,
        comment: comment.clone(),
    };
    let mut decided = Decided::new(case.state.clone(), event, rules.today);
    decided.audit_detail = format!("response check {}", if passed { PASSED } else { RETURNED });
    let (case_row, drafter) = (case.row.clone(), decision.drafted_by_id);
    let stage = decision.stage;
    decided.also = Some(Box::new(move |conn, _| {
        let to = if passed { PASSED } else { RETURNED };
        decisions::record_check(
            conn,
            decision.id,
            to,
            Some(&comment).filter(|c| !c.is_empty()),
            officer,
            now,
        )?;
        if let Some(drafter) = drafter {
            crate::mail::approval_mail::response_checked(
                conn, &links, &case_row, stage, drafter, passed, &comment, now,
            )?;
        }
        Ok(())
    }));
    Ok(decided)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_managers_and_directors_responses_at_stages_1_and_2_wait_when_switched_on() {
        assert!(needs_check(true, Stage::Stage1, Role::Manager));
        assert!(needs_check(true, Stage::Stage2, Role::Director));
        assert!(!needs_check(true, Stage::Stage1, Role::Officer));
        assert!(!needs_check(true, Stage::Stage0, Role::Manager));
        assert!(!needs_check(false, Stage::Stage1, Role::Manager));
    }
}
