//! Escalation to stage 2 (or its refusal, only with a recorded reason), withdrawal at any
//! open state, and reopening a closed case — each through the transition runner, so each is
//! version-checked and audited.

use chrono::NaiveDate;

use crate::cases::load::LoadedCase;
use crate::cases::transition::{CaseError, Decided, Rules};
use crate::domain::CaseEvent;

/// The resident asked on `requested_on` for a review; their reasons (optional) are kept as a
/// note beside the escalation.
pub fn decide_escalate(
    case: &LoadedCase,
    requested_on: NaiveDate,
    reasons: &str,
    rules: &Rules<'_>,
) -> Result<Decided, CaseError> {
    let (state, mut event) = case.state.escalate(requested_on, rules.today)?;
    let reasons = reasons.trim();
    if let CaseEvent::Escalation { reasons: kept, .. } = &mut event {
        // The domain checks when a case may be escalated; the resident's words ride along.
        *kept = reasons.to_string();
    }
    let mut decided = Decided::new(state, event, requested_on);
    if !reasons.is_empty() {
        decided.audit_detail = "reasons recorded".into();
    }
    Ok(decided)
}

/// Refusing an escalation: only with a reason, recorded on the timeline; the case stays
/// closed at stage 1.
pub fn decide_refuse_escalation(
    case: &LoadedCase,
    requested_on: NaiveDate,
    reason: &str,
    rules: &Rules<'_>,
) -> Result<Decided, CaseError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(CaseError::Invalid(
            "Enter the reason the escalation is refused".into(),
        ));
    }
    // The same checks as escalating: only a case closed at stage 1 with a valid request date.
    case.state.escalate(requested_on, rules.today)?;
    let event = CaseEvent::EscalationRefused {
        requested_on,
        reason: reason.to_string(),
    };
    let mut decided = Decided::new(case.state.clone(), event, rules.today);
    decided.audit_detail = "escalation refused".into();
    Ok(decided)
}

/// Who withdrew the complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WithdrawnBy {
    Resident,
    Representative,
}

impl WithdrawnBy {
    pub fn parse(raw: &str) -> Option<WithdrawnBy> {
        match raw {
            "resident" => Some(WithdrawnBy::Resident),
            "representative" => Some(WithdrawnBy::Representative),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            WithdrawnBy::Resident => "the resident",
            WithdrawnBy::Representative => "the resident's representative",
        }
    }
}

pub fn decide_withdraw(
    case: &LoadedCase,
    by: WithdrawnBy,
    reason: &str,
    rules: &Rules<'_>,
) -> Result<Decided, CaseError> {
    let reason = reason.trim();
    let text = if reason.is_empty() {
        String::new()
    } else {
        format!("Withdrawn by {}: {reason}", by.label())
    };
    let (state, event) = case.state.withdraw(&text, rules.today)?;
    Ok(Decided::new(state, event, rules.today))
}

pub fn decide_reopen(
    case: &LoadedCase,
    reason: &str,
    rules: &Rules<'_>,
) -> Result<Decided, CaseError> {
    let (state, event) = case.state.reopen(reason, rules.today)?;
    Ok(Decided::new(state, event, rules.today))
}
