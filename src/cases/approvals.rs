//! Requests for a director's approval (issue 22): compensation offered in a decision and
//! proposed contact restrictions become waiting requests, emailed to the directors of the
//! case's service area; a director approves, declines (with a reason) or returns one with a
//! comment; the person who asked is told and sees the answer on the case. Nobody approves
//! their own request. Each answer goes through the transition runner, so it is
//! version-checked (the case's and the request's), on the timeline and audited, and every
//! row and email is written in the same transaction.

use chrono::NaiveDateTime;

use crate::cases::load::LoadedCase;
use crate::cases::restrictions as restriction_rules;
use crate::cases::transition::{AfterWrite, CaseError, Decided, Rules};
use crate::db::approval_requests::{self as requests, NewRequest, RequestRow};
use crate::db::decisions::{self, DecisionRow};
use crate::db::restrictions::{self, RestrictionRow};
use crate::db::DbConnection;
use crate::domain::case::{CompensationStatus, RemedyKind};
use crate::domain::{CaseEvent, Money, UserId};
use crate::mail::approval_mail;
use crate::mail::links::Links;
use crate::rules::Stage;

/// Longest reason or comment a director may give.
pub const COMMENT_MAX: usize = 5_000;

/// A director's answer to a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Approve,
    Decline { reason: String },
    Return { comment: String },
}

pub const STALE_REQUEST: &str = "The request changed after you opened it, or has already been answered. Nothing has been saved. Read it again before deciding";

/// Asking needs a second person: whoever asked (drafted the offer or proposed the
/// restriction) may not approve it, even as a director.
pub fn self_approval_problem(requested_by: UserId, director: UserId) -> Option<&'static str> {
    (requested_by == director)
        .then_some("You asked for this approval, so another director must decide it")
}

/// Chains `more` after whatever `decided` already writes.
fn then(decided: &mut Decided, more: AfterWrite) {
    let first = decided.also.take();
    decided.also = Some(Box::new(move |conn, id| {
        if let Some(first) = first {
            first(conn, id)?;
        }
        more(conn, id)
    }));
}

/// Puts `more` before whatever `decided` already writes.
fn before(decided: &mut Decided, more: AfterWrite) {
    let rest = decided.also.take();
    decided.also = Some(Box::new(move |conn, id| {
        more(conn, id)?;
        match rest {
            Some(rest) => rest(conn, id),
            None => Ok(()),
        }
    }));
}

/// What a saved decision asks for next: a director's approval of its compensation, and
/// (when `[workflow] review_responses` is on and a manager or director drafted it) an
/// officer's check. Wraps `decide_draft`'s result; see [`ask_for_compensation`].
#[allow(clippy::too_many_arguments)]
pub fn after_drafting(
    decided: Decided,
    case: &LoadedCase,
    stage: Stage,
    by: UserId,
    role: crate::domain::Role,
    review_responses: bool,
    links: Links,
    now: NaiveDateTime,
) -> Decided {
    let mut decided = ask_for_compensation(decided, case, stage, by, links, now);
    let check = crate::cases::response_check::needs_check(review_responses, stage, role)
        .then_some(crate::cases::response_check::WAITING);
    then(
        &mut decided,
        Box::new(move |conn, id| {
            if let Some(decision) = decisions::find(conn, id, stage)? {
                decisions::set_check(conn, decision.id, check)?;
            }
            Ok(())
        }),
    );
    decided
}

/// After a decision is saved: if its compensation now waits for a director, opens (or
/// rewrites) the request and, when the amount is new, emails the area's directors; if it no
/// longer needs approving, a waiting request is withdrawn.
pub fn ask_for_compensation(
    mut decided: Decided,
    case: &LoadedCase,
    stage: Stage,
    by: UserId,
    links: Links,
    now: NaiveDateTime,
) -> Decided {
    let (case_row, reference) = (case.row.clone(), case.row.reference.clone());
    then(
        &mut decided,
        Box::new(move |conn, id| {
            let Some(decision) = decisions::find(conn, id, stage)? else {
                return Ok(());
            };
            let waiting = requests::waiting_for(conn, id, requests::COMPENSATION)?;
            if decision.compensation_status != CompensationStatus::AwaitingApproval {
                if let Some(w) = waiting {
                    requests::withdraw(conn, w.id)?;
                }
                return Ok(());
            }
            let what = compensation_heads(conn, &decision)?;
            let unchanged = waiting.as_ref().is_some_and(|w| {
                w.amount_pence == Some(decision.compensation_pence) && w.what == what
            });
            let request = requests::open(
                conn,
                &NewRequest {
                    case_id: id,
                    kind: requests::COMPENSATION,
                    stage,
                    decision_id: Some(decision.id),
                    restriction_id: None,
                    requested_by: by,
                    amount_pence: Some(decision.compensation_pence),
                    what: &what,
                    reason: decision.summary.trim(),
                },
                now,
            )?;
            if !unchanged {
                if let Some(request) = requests::find(conn, request)? {
                    approval_mail::waiting(conn, &links, &case_row, &reference, &request, now)?;
                }
            }
            Ok(())
        }),
    );
    decided
}

/// The amount by remedy ("£50.00 for the delay…"), one a line, then the total when there is
/// more than one.
fn compensation_heads(
    conn: &mut DbConnection,
    decision: &DecisionRow,
) -> diesel::QueryResult<String> {
    let heads: Vec<String> = decisions::remedies_of(conn, decision.id)?
        .into_iter()
        .filter(|r| r.kind == RemedyKind::Compensation)
        .filter_map(|r| {
            r.amount_pence.map(|p| {
                let what = r.description.trim();
                if what.is_empty() {
                    Money::from_pence(p.into()).to_string()
                } else {
                    format!("{}: {what}", Money::from_pence(p.into()))
                }
            })
        })
        .collect();
    let total = Money::from_pence(decision.compensation_pence.into());
    Ok(match heads.len() {
        0 => format!("{total} in total"),
        1 => heads[0].clone(),
        _ => format!("{}\n{total} in total", heads.join("\n")),
    })
}

/// After a restriction is proposed: opens its request and emails the area's directors.
pub fn ask_for_restriction(
    mut decided: Decided,
    case: &LoadedCase,
    by: UserId,
    links: Links,
    now: NaiveDateTime,
) -> Decided {
    let (case_row, reference) = (case.row.clone(), case.row.reference.clone());
    let stage = case.state.stage.unwrap_or(Stage::Stage1);
    then(
        &mut decided,
        Box::new(move |conn, id| {
            let Some(proposal) =
                restrictions::live_for(conn, id)?.filter(RestrictionRow::is_proposed)
            else {
                return Ok(());
            };
            let what = format!(
                "{} (review by {})",
                proposal.what,
                proposal.review_on.format("%-d %B %Y")
            );
            let request = requests::open(
                conn,
                &NewRequest {
                    case_id: id,
                    kind: requests::RESTRICTION,
                    stage,
                    decision_id: None,
                    restriction_id: Some(proposal.id),
                    requested_by: by,
                    amount_pence: None,
                    what: &what,
                    reason: &proposal.reason,
                },
                now,
            )?;
            if let Some(request) = requests::find(conn, request)? {
                approval_mail::waiting(conn, &links, &case_row, &reference, &request, now)?;
            }
            Ok(())
        }),
    );
    decided
}

/// What the answer needs, looked up before the transaction: the request, and the decision
/// or restriction it is about.
pub struct Asked {
    pub request: RequestRow,
    pub decision: Option<DecisionRow>,
    pub restriction: Option<RestrictionRow>,
}

/// Looks up request `id` of `case` with what it is about; `None` when there is no such
/// request on this case.
pub fn asked(
    conn: &mut DbConnection,
    case: &LoadedCase,
    id: i32,
) -> diesel::QueryResult<Option<Asked>> {
    let Some(request) = requests::find(conn, id)?.filter(|r| r.case_id == case.row.id) else {
        return Ok(None);
    };
    let decision = match request.decision_id {
        Some(_) => decisions::find(conn, case.row.id, request.stage)?,
        None => None,
    };
    let restriction = match request.restriction_id {
        Some(r) => restrictions::find(conn, r)?,
        None => None,
    };
    Ok(Some(Asked {
        request,
        decision,
        restriction,
    }))
}

/// A director's answer to the request they read (`seen_version`).
#[allow(clippy::too_many_arguments)]
pub fn decide_request(
    case: &LoadedCase,
    director: UserId,
    asked: Option<Asked>,
    seen_version: i32,
    answer: Answer,
    rules: &Rules<'_>,
    links: Links,
    now: NaiveDateTime,
) -> Result<Decided, CaseError> {
    let asked = match asked {
        Some(a) if a.request.is_waiting() && a.request.version == seen_version => a,
        _ => return Err(CaseError::Invalid(STALE_REQUEST.into())),
    };
    let request = asked.request;
    if answer == Answer::Approve {
        if let Some(problem) = self_approval_problem(request.requested_by_id, director) {
            return Err(CaseError::Invalid(problem.into()));
        }
    }
    let (to, comment) = match &answer {
        Answer::Approve => (requests::APPROVED, None),
        Answer::Decline { reason } => (
            requests::DECLINED,
            Some(required(reason, "Enter why you decline it")?),
        ),
        Answer::Return { comment } => (
            requests::RETURNED,
            Some(required(
                comment,
                "Enter a comment for the person who asked",
            )?),
        ),
    };
    let mut decided = if request.is_compensation() {
        let decision = asked
            .decision
            .filter(|d| {
                d.compensation_status == CompensationStatus::AwaitingApproval && d.sent_on.is_none()
            })
            .ok_or_else(|| CaseError::Invalid(STALE_REQUEST.into()))?;
        match &answer {
            Answer::Approve => {
                crate::cases::decide::decide_approval(case, director, decision, rules, now)?
            }
            _ => {
                let event = CaseEvent::ApprovalAnswered {
                    subject: request.subject(),
                    returned: to == requests::RETURNED,
                    comment: comment.clone().unwrap_or_default(),
                };
                let mut decided = Decided::new(case.state.clone(), event, rules.today);
                let decision = decision.id;
                decided.also = Some(Box::new(move |conn, _| {
                    must_change(decisions::return_compensation(conn, decision)?)
                }));
                decided
            }
        }
    } else {
        let proposal = asked
            .restriction
            .ok_or_else(|| CaseError::Invalid(STALE_REQUEST.into()))?;
        let read = (proposal.id, proposal.version);
        match &answer {
            Answer::Approve => restriction_rules::decide_answer(
                case,
                director,
                Some(proposal),
                read,
                restriction_rules::Answer::Approve,
                rules,
                now,
            )?,
            Answer::Decline { reason } => restriction_rules::decide_answer(
                case,
                director,
                Some(proposal),
                read,
                restriction_rules::Answer::Decline {
                    reason: reason.clone(),
                },
                rules,
                now,
            )?,
            Answer::Return { comment } => {
                if !proposal.is_proposed() {
                    return Err(CaseError::Invalid(STALE_REQUEST.into()));
                }
                let event = CaseEvent::ApprovalAnswered {
                    subject: request.subject(),
                    returned: true,
                    comment: comment.trim().to_string(),
                };
                let mut decided = Decided::new(case.state.clone(), event, rules.today);
                let comment = comment.trim().to_string();
                decided.also = Some(Box::new(move |conn, _| {
                    // Returned for changes: the proposal stops, so a changed one may be made.
                    must_change(restrictions::decide(
                        conn,
                        &restrictions::Decision {
                            id: proposal.id,
                            seen_version: proposal.version,
                            from: restrictions::PROPOSED,
                            to: restrictions::DECLINED,
                            by: director,
                            reason: Some(&comment),
                            now,
                        },
                    )?)
                }));
                decided
            }
        }
    };
    decided.audit_detail = format!("approval request {} {to}", request.kind);
    let (case_row, reference) = (case.row.clone(), case.row.reference.clone());
    let (id, version) = (request.id, request.version);
    // First, so the decision's or restriction's own closing of a waiting request (for the
    // case page's forms) finds this one answered already.
    before(
        &mut decided,
        Box::new(move |conn, _| {
            must_change(requests::answer(
                conn,
                &requests::Answer {
                    id,
                    seen_version: version,
                    to,
                    by: director,
                    comment: comment.as_deref(),
                    now,
                },
            )?)?;
            if let Some(answered) = requests::find(conn, id)? {
                approval_mail::answered(conn, &links, &case_row, &reference, &answered, now)?;
            }
            Ok(())
        }),
    );
    Ok(decided)
}

fn required(text: &str, problem: &str) -> Result<String, CaseError> {
    let text = text.trim();
    if text.is_empty() {
        Err(CaseError::Invalid(problem.into()))
    } else {
        Ok(text.to_string())
    }
}

/// The case's version serialises every write to a request, so an update cannot miss; if one
/// ever did, nothing of the answer may stay.
fn must_change(changed: usize) -> diesel::QueryResult<()> {
    if changed == 1 {
        Ok(())
    } else {
        Err(diesel::result::Error::RollbackTransaction)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nobody_approves_what_they_asked_for() {
        assert!(self_approval_problem(UserId(4), UserId(4)).is_some());
        assert!(self_approval_problem(UserId(3), UserId(4)).is_none());
    }

    #[test]
    fn a_reason_or_comment_is_required() {
        assert!(required("  ", "Enter why").is_err());
        assert_eq!(required(" Too much ", "Enter why").unwrap(), "Too much");
    }
}
