//! Content checks before a letter is sent: each kind's required elements (SPEC section 5 and
//! the Housing Ombudsman's Complaint Handling Code). Each gap found is a sentence saying what
//! to do, with the editor field it belongs beside when the officer fixes it in the letter
//! (the complaint points, the extension's reason…); a gap about the case or the configuration
//! (a director's approval, the Ombudsman's details, the recipient's address) has no field and
//! is shown as a warning, never linked to the letter body.
//!
//! Which gaps block sending: every element the Code or SPEC requires the letter to contain
//! (the complaint definition, a finding with reasons on each point, the Ombudsman's details,
//! approved compensation, a recipient it can reach). Only two warn without blocking, because
//! the letter is still complete without them: the date to escalate by (the Code sets no time
//! limit for escalating and letters without a policy window give none; the letter still says
//! how to escalate) and the paragraph on how extensions work in an acknowledgement (the Code
//! asks for the extension to be explained when one is made, 6.5, not in the acknowledgement).

use super::kind::LetterKind;
use super::recipient::Channel;
use super::view::LetterView;

/// One thing the check found missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// What to do, as a sentence.
    pub text: String,
    /// The editor field it belongs beside, when the officer fixes it in the letter.
    pub field: Option<&'static str>,
    /// The letter cannot be sent until it is put right.
    pub blocks: bool,
}

/// The gaps found so far.
#[derive(Default)]
struct Found(Vec<Gap>);

impl Found {
    /// A required element about the case or configuration: blocks, no field.
    fn need(&mut self, ok: bool, what: impl Into<String>) {
        self.push(ok, what, None, true);
    }

    /// A required element the officer fills in the letter's `field`.
    fn need_in(&mut self, ok: bool, what: impl Into<String>, field: &'static str) {
        self.push(ok, what, Some(field), true);
    }

    /// Worth knowing before sending, but the letter is complete without it.
    fn warn(&mut self, ok: bool, what: impl Into<String>) {
        self.push(ok, what, None, false);
    }

    fn push(
        &mut self,
        ok: bool,
        what: impl Into<String>,
        field: Option<&'static str>,
        blocks: bool,
    ) {
        if !ok {
            self.0.push(Gap {
                text: what.into(),
                field,
                blocks,
            });
        }
    }
}

/// What stops the letter being sent, one sentence each; empty when it may be sent.
pub fn missing(view: &LetterView) -> Vec<String> {
    gaps(view)
        .into_iter()
        .filter(|g| g.blocks)
        .map(|g| g.text)
        .collect()
}

/// Everything the check finds in `view`, blocking or not.
pub fn gaps(view: &LetterView) -> Vec<Gap> {
    let mut found = Found::default();
    let landlord = &view.landlord;
    found.need(!view.reference.is_empty(), "The case reference");
    found.need(
        !view.recipient.name.trim().is_empty(),
        "The recipient's name",
    );
    match view.recipient.channel {
        Channel::Email => found.need(
            view.recipient.email.is_some(),
            "The recipient's email address",
        ),
        Channel::Post => found.need(
            !view.recipient.address.is_empty(),
            "The recipient's postal address: add it to the case before sending by post",
        ),
    }
    found.need(
        !landlord.name.trim().is_empty() && !landlord.address.is_empty(),
        "The landlord's name and address (configuration: [landlord])",
    );
    found.need(
        !view.signatory.name.trim().is_empty(),
        "The signatory (configuration: landlord.signatory, or landlord.signed_by)",
    );
    let window = (view.recipient.channel == Channel::Post)
        .then(|| super::recipient::window_problem(&view.recipient))
        .flatten();
    found.need(
        !landlord.complaints_phone.trim().is_empty() || !landlord.complaints_email.trim().is_empty(),
        "How to contact the complaints team (configuration: landlord.complaints_phone or complaints_email)",
    );
    if let Some(problem) = window {
        found.need(false, &problem);
    }
    let ombudsman = ombudsman_complete(view);

    match view.kind {
        LetterKind::Stage1Acknowledgement | LetterKind::Stage2Acknowledgement => {
            found.need_in(
                !view.points.is_empty(),
                "Our understanding of the complaint: enter the complaint points, one per line",
                "points",
            );
            found.need_in(
                !view.outcome_sought.is_empty(),
                "The outcome the resident is seeking",
                "outcome-sought",
            );
            found.need(
                view.respond_by.is_some(),
                "The date we will respond by (the case's deadlines could not be worked out)",
            );
            found.warn(
                !view.extensions_text.is_empty(),
                "How extensions work (the case's policy profile is not loaded)",
            );
        }
        LetterKind::Extension => {
            found.need_in(
                !view.extension_reason.is_empty(),
                "The reason for the extension",
                "extension-reason",
            );
            found.need(
                view.new_due.is_some(),
                "The new response date: extend the response date first",
            );
            push_ombudsman(&mut found, &ombudsman);
        }
        LetterKind::Stage0Decision | LetterKind::Stage1Response | LetterKind::Stage2Response => {
            found.need(
                view.outcome.is_some(),
                "The overall outcome: record it in the decision",
            );
            if view.kind != LetterKind::Stage0Decision {
                found.need(
                    !view.findings.is_empty(),
                    "The complaint points and a finding on each",
                );
            }
            for f in &view.findings {
                found.need(
                    !f.finding.is_empty(),
                    format!("A finding for complaint point {}", f.number),
                );
                found.need(
                    !f.reasons.is_empty(),
                    format!(
                        "The reasons for the finding on complaint point {}",
                        f.number
                    ),
                );
            }
            if view.kind == LetterKind::Stage0Decision {
                found.need(
                    !view.summary.is_empty()
                        || view.findings.iter().all(|f| !f.reasons.is_empty())
                            && !view.findings.is_empty(),
                    "What we found and why: add a summary to the decision",
                );
            }
            for r in &view.remedies {
                found.need(
                    !r.needs_date,
                    format!("A date for the outstanding action: {}", r.description),
                );
            }
            found.need(
                !view.compensation_awaiting_approval,
                "A director's approval of the compensation offered",
            );
            if view.kind == LetterKind::Stage2Response {
                push_ombudsman(&mut found, &ombudsman);
            } else {
                found.warn(
                    !view.escalation_date_missing,
                    "The date to escalate by (the policy's window could not be worked out)",
                );
            }
        }
        LetterKind::Decline => {
            found.need_in(
                !view.exclusions.is_empty(),
                "The exclusion reason: select at least one",
                "exclusion-reasons",
            );
            found.need_in(
                !view.exclusion_explanation.is_empty(),
                "Why the complaint is excluded, in your own words",
                "exclusion-explanation",
            );
            push_ombudsman(&mut found, &ombudsman);
        }
        LetterKind::RestrictionNotice => {
            found.need(
                !view.restriction_what.is_empty(),
                "A contact restriction approved by a director",
            );
            found.need(
                !view.restriction_reason.is_empty(),
                "The reasons for the restriction",
            );
            found.need(
                !view.restriction_review.is_empty(),
                "The date the restriction will be reviewed",
            );
            push_ombudsman(&mut found, &ombudsman);
        }
        // Code 2.4 and 5.11: a refusal on a section 2 ground, explained, with the way to
        // the Ombudsman.
        LetterKind::EscalationRefusal => {
            found.need(
                !view.refusal_requested_on.is_empty(),
                "An escalation refused on the case: refuse it on the escalate form first",
            );
            found.need_in(
                !view.exclusions.is_empty(),
                "The ground for refusing (section 2 of the Code): select at least one",
                "exclusion-reasons",
            );
            found.need_in(
                !view.exclusion_explanation.is_empty(),
                "Why the escalation is refused, in your own words",
                "exclusion-explanation",
            );
            push_ombudsman(&mut found, &ombudsman);
        }
        LetterKind::ProgressUpdate => {
            found.need_in(
                !view.progress_news.is_empty(),
                "What has happened since the last update",
                "progress-news",
            );
            found.warn(
                view.next_update.is_some(),
                "When the next update is due (no interval is agreed on the case)",
            );
        }
        LetterKind::ActionCompleted => {
            found.need(
                !view.completed.is_empty(),
                "An action promised in the response and since marked done: mark it done on the Actions page first",
            );
        }
    }
    found.0
}

/// The ombudsman's details the configuration lacks.
fn ombudsman_complete(view: &LetterView) -> Vec<&'static str> {
    let l = &view.landlord;
    let mut gaps = Vec::new();
    if l.ombudsman_name.trim().is_empty() {
        gaps.push("name");
    }
    if l.ombudsman_address.iter().all(|a| a.trim().is_empty()) {
        gaps.push("address");
    }
    if l.ombudsman_phone.trim().is_empty() {
        gaps.push("phone number");
    }
    if l.ombudsman_email.trim().is_empty() {
        gaps.push("email address");
    }
    if l.ombudsman_website.trim().is_empty() {
        gaps.push("website");
    }
    gaps
}

fn push_ombudsman(found: &mut Found, gaps: &[&str]) {
    if !gaps.is_empty() {
        found.need(
            false,
            format!(
                "The Housing Ombudsman's details (configuration: landlord.ombudsman_*): {} missing",
                gaps.join(", ")
            ),
        );
    }
}
