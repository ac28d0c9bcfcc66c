//! Contact restrictions (SPEC sections 1 and 2): an officer or the case's assigned manager
//! proposes one (what is restricted, the behaviour that led to it, a review date); a director
//! approves it — recorded as `CaseEvent::Restriction` — or declines it with a reason. Each
//! step goes through the transition runner, so it is version-checked, on the timeline and
//! audited, and the restriction row is written in the same transaction.

use chrono::{Months, NaiveDate, NaiveDateTime};

use crate::cases::load::LoadedCase;
use crate::cases::transition::{CaseError, Decided, Rules};
use crate::db::restrictions::{self, NewRestriction, RestrictionRow};
use crate::domain::{CaseEvent, UserId};

/// The longest a restriction may run before it must be reviewed. Of the shipped policies only
/// charitable-association-policy.txt names a period ("We'll review customers we manage this
/// way each year"); east-kent-housing-policy.txt (8.2) requires a director's decision and a
/// letter explaining it but no period, and the others say nothing. We follow the stricter
/// six months asked for in the brief: it sits inside the charitable association's yearly
/// review, so every shipped policy is satisfied, and it keeps a restriction proportionate and
/// time-limited as the Housing Ombudsman expects.
pub const MAX_REVIEW_MONTHS: u32 = 6;

/// Longest "what is restricted" text.
pub const WHAT_MAX: usize = 500;
/// Longest reason (the behaviour) or decline reason.
pub const REASON_MAX: usize = 5_000;

/// The latest review date a restriction proposed on `today` may have.
pub fn latest_review(today: NaiveDate) -> NaiveDate {
    today
        .checked_add_months(Months::new(MAX_REVIEW_MONTHS))
        .unwrap_or(NaiveDate::MAX)
}

/// Why a review date is not acceptable on `today`, if it is not.
pub fn review_date_problem(review_on: NaiveDate, today: NaiveDate) -> Option<String> {
    if review_on <= today {
        Some("The review date must be in the future".into())
    } else if review_on > latest_review(today) {
        Some(format!(
            "The review date must be no more than {MAX_REVIEW_MONTHS} months ahead, on or before {}",
            latest_review(today).format("%-d %B %Y")
        ))
    } else {
        None
    }
}

pub const ALREADY_LIVE: &str = "This case already has a contact restriction proposed or in force. It must be declined or ended before another is proposed";

/// What a proposal says.
pub struct Proposal {
    pub what: String,
    pub reason: String,
    pub review_on: NaiveDate,
}

/// Why nothing more is restricted on a case whose personal data has been removed.
pub const ANONYMISED: &str =
    "This case's personal data has been removed: there is nobody left to restrict contact with";

/// Proposing: refused while another is proposed or in force (`live` is the case's current
/// one, looked up before the transaction; the unique index backs this up).
pub fn decide_propose(
    case: &LoadedCase,
    by: UserId,
    proposal: Proposal,
    live: Option<RestrictionRow>,
    rules: &Rules<'_>,
    now: NaiveDateTime,
) -> Result<Decided, CaseError> {
    if case.anonymised() {
        return Err(CaseError::Invalid(ANONYMISED.into()));
    }
    if live.is_some() {
        return Err(CaseError::Invalid(ALREADY_LIVE.into()));
    }
    let what = proposal.what.trim().to_string();
    let reason = proposal.reason.trim().to_string();
    if what.is_empty() || reason.is_empty() {
        return Err(CaseError::Invalid(
            "Enter what is restricted and why".into(),
        ));
    }
    if let Some(problem) = review_date_problem(proposal.review_on, rules.today) {
        return Err(CaseError::Invalid(problem));
    }
    let event = CaseEvent::RestrictionProposed {
        summary: what.clone(),
        review_on: proposal.review_on,
    };
    let mut decided = Decided::new(case.state.clone(), event, rules.today);
    // What is restricted is free text about the resident: the log keeps only that it was.
    decided.audit_detail = "restriction proposed".into();
    let new = NewRestriction {
        case_id: case.row.id,
        proposed_by: by,
        what,
        reason,
        review_on: proposal.review_on,
    };
    decided.also = Some(Box::new(move |conn, _| {
        restrictions::insert(conn, &new, now).map(|_| ())
    }));
    Ok(decided)
}

/// A director's answer to a proposal, or their ending of the restriction in force.
pub enum Answer {
    Approve,
    Decline { reason: String },
    End { reason: String },
}

pub const STALE_RESTRICTION: &str = "The restriction changed after you opened it, or has already ended. Nothing has been saved. Read it again before ending it";

pub const STALE_PROPOSAL: &str = "The proposed restriction changed after you opened it, or has already been decided. Nothing has been saved. Read it again before deciding";

/// Restricting a resident's contact needs a second person: a director who is also the case's
/// assignee may propose a restriction, but not approve their own proposal (declining it, in
/// effect withdrawing it, is allowed).
pub fn self_approval_problem(proposed_by: UserId, director: UserId) -> Option<&'static str> {
    (proposed_by == director)
        .then_some("You proposed this restriction, so another director must approve it")
}

/// Approving or declining the proposal the director read (`seen_version` of `proposal`,
/// which is the case's live restriction looked up before the transaction).
pub fn decide_answer(
    case: &LoadedCase,
    director: UserId,
    proposal: Option<RestrictionRow>,
    seen: (i32, i32),
    answer: Answer,
    rules: &Rules<'_>,
    now: NaiveDateTime,
) -> Result<Decided, CaseError> {
    let (seen_id, seen_version) = seen;
    let ending = matches!(answer, Answer::End { .. });
    let proposal = match proposal {
        Some(p)
            if p.id == seen_id
                && p.version == seen_version
                && (if ending {
                    p.is_approved()
                } else {
                    p.is_proposed()
                }) =>
        {
            p
        }
        _ if ending => return Err(CaseError::Invalid(STALE_RESTRICTION.into())),
        _ => return Err(CaseError::Invalid(STALE_PROPOSAL.into())),
    };
    let from = if ending {
        restrictions::APPROVED
    } else {
        restrictions::PROPOSED
    };
    if matches!(answer, Answer::Approve) {
        if let Some(problem) = self_approval_problem(proposal.proposed_by_id, director) {
            return Err(CaseError::Invalid(problem.into()));
        }
    }
    let (event, to, reason) = match answer {
        Answer::Approve => (
            CaseEvent::Restriction {
                summary: proposal.what.clone(),
                until: Some(proposal.review_on),
            },
            restrictions::APPROVED,
            None,
        ),
        Answer::Decline { reason } => {
            let reason = reason.trim().to_string();
            if reason.is_empty() {
                return Err(CaseError::Invalid(
                    "Enter why the restriction is declined".into(),
                ));
            }
            (
                CaseEvent::RestrictionDeclined {
                    summary: proposal.what.clone(),
                    reason: reason.clone(),
                },
                restrictions::DECLINED,
                Some(reason),
            )
        }
        Answer::End { reason } => {
            let reason = reason.trim().to_string();
            if reason.is_empty() {
                return Err(CaseError::Invalid("Enter why the restriction ends".into()));
            }
            (
                CaseEvent::RestrictionEnded {
                    summary: proposal.what.clone(),
                    reason: reason.clone(),
                },
                restrictions::ENDED,
                Some(reason),
            )
        }
    };
    let mut decided = Decided::new(case.state.clone(), event, rules.today);
    decided.audit_detail = format!("restriction {to}");
    decided.also = Some(Box::new(move |conn, _| {
        let changed = restrictions::decide(
            conn,
            &restrictions::Decision {
                id: proposal.id,
                seen_version,
                from,
                to,
                by: director,
                reason: reason.as_deref(),
                now,
            },
        )?;
        // The case version serialises every restriction write, so this cannot miss; if it
        // ever did, nothing of the decision may stay.
        if changed != 1 {
            return Err(diesel::result::Error::RollbackTransaction);
        }
        // Decided from the case's own form: its request on /approvals is answered too.
        if from == restrictions::PROPOSED {
            crate::db::approval_requests::close_waiting(
                conn,
                proposal.case_id,
                crate::db::approval_requests::RESTRICTION,
                to,
                director,
                reason.as_deref(),
                now,
            )?;
        }
        Ok(())
    }));
    Ok(decided)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_director_may_not_approve_their_own_proposal() {
        assert!(self_approval_problem(UserId(4), UserId(4)).is_some());
        assert!(self_approval_problem(UserId(3), UserId(4)).is_none());
    }

    #[test]
    fn review_dates_are_in_the_future_and_within_six_months() {
        let today = d(2026, 8, 31);
        assert!(review_date_problem(today, today).is_some());
        assert!(review_date_problem(d(2026, 8, 30), today).is_some());
        assert!(review_date_problem(d(2026, 9, 1), today).is_none());
        // 31 August + 6 months is the end of February.
        assert_eq!(latest_review(today), d(2027, 2, 28));
        assert!(review_date_problem(d(2027, 2, 28), today).is_none());
        assert!(review_date_problem(d(2027, 3, 1), today)
            .unwrap()
            .contains("28 February 2027"));
    }
}
