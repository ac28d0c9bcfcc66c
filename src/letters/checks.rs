//! Content checks before a letter is sent: each kind's required elements (SPEC section 5 and
//! the Housing Ombudsman's Complaint Handling Code). A send is refused with the list of what
//! is missing, each item a sentence saying what to do.

use super::kind::LetterKind;
use super::recipient::Channel;
use super::view::LetterView;

/// Everything missing from `view`; empty when the letter may be sent.
pub fn missing(view: &LetterView) -> Vec<String> {
    let mut missing = Vec::new();
    let mut need = |ok: bool, what: &str| {
        if !ok {
            missing.push(what.to_string());
        }
    };
    let landlord = &view.landlord;
    need(!view.reference.is_empty(), "The case reference");
    need(
        !view.recipient.name.trim().is_empty(),
        "The recipient's name",
    );
    match view.recipient.channel {
        Channel::Email => need(
            view.recipient.email.is_some(),
            "The recipient's email address",
        ),
        Channel::Post => need(
            !view.recipient.address.is_empty(),
            "The recipient's postal address: add it to the case before sending by post",
        ),
    }
    need(
        !landlord.name.trim().is_empty() && !landlord.address.is_empty(),
        "The landlord's name and address (configuration: [landlord])",
    );
    need(
        !view.signatory.name.trim().is_empty(),
        "The signatory (configuration: landlord.signatory, or landlord.signed_by)",
    );
    let window = (view.recipient.channel == Channel::Post)
        .then(|| super::recipient::window_problem(&view.recipient))
        .flatten();
    need(
        !landlord.complaints_phone.trim().is_empty() || !landlord.complaints_email.trim().is_empty(),
        "How to contact the complaints team (configuration: landlord.complaints_phone or complaints_email)",
    );
    if let Some(problem) = window {
        need(false, &problem);
    }
    let ombudsman = ombudsman_complete(view);

    match view.kind {
        LetterKind::Stage1Acknowledgement | LetterKind::Stage2Acknowledgement => {
            need(
                !view.points.is_empty(),
                "Our understanding of the complaint: enter the complaint points, one per line",
            );
            need(
                !view.outcome_sought.is_empty(),
                "The outcome the resident is seeking",
            );
            need(
                view.respond_by.is_some(),
                "The date we will respond by (the case's deadlines could not be worked out)",
            );
            need(
                !view.extensions_text.is_empty(),
                "How extensions work (the case's policy profile is not loaded)",
            );
        }
        LetterKind::Extension => {
            need(
                !view.extension_reason.is_empty(),
                "The reason for the extension",
            );
            if let Some(problem) = &view.extension_problem {
                missing.push(format!("A new response date the rules allow: {problem}"));
            } else {
                need(
                    view.new_due.is_some(),
                    "The new response date: enter the length of the extension",
                );
            }
            push_ombudsman(&mut missing, &ombudsman);
        }
        LetterKind::Stage0Decision | LetterKind::Stage1Response | LetterKind::Stage2Response => {
            let mut need = |ok: bool, what: String| {
                if !ok {
                    missing.push(what);
                }
            };
            need(
                view.outcome.is_some(),
                "The overall outcome: record it in the decision".into(),
            );
            if view.kind != LetterKind::Stage0Decision {
                need(
                    !view.findings.is_empty(),
                    "The complaint points and a finding on each".into(),
                );
            }
            for f in &view.findings {
                need(
                    !f.finding.is_empty(),
                    format!("A finding for complaint point {}", f.number),
                );
                need(
                    !f.reasons.is_empty(),
                    format!(
                        "The reasons for the finding on complaint point {}",
                        f.number
                    ),
                );
            }
            if view.kind == LetterKind::Stage0Decision {
                need(
                    !view.summary.is_empty()
                        || view.findings.iter().all(|f| !f.reasons.is_empty())
                            && !view.findings.is_empty(),
                    "What we found and why: add a summary to the decision".into(),
                );
            }
            for r in &view.remedies {
                need(
                    !r.needs_date,
                    format!("A date for the outstanding action: {}", r.description),
                );
            }
            need(
                !view.compensation_awaiting_approval,
                "A director's approval of the compensation offered".into(),
            );
            if view.kind == LetterKind::Stage2Response {
                push_ombudsman(&mut missing, &ombudsman);
            } else {
                need(
                    !view.escalation_date_missing,
                    "The date to escalate by (the policy's window could not be worked out)".into(),
                );
            }
        }
        LetterKind::Decline => {
            need(
                !view.exclusions.is_empty(),
                "The exclusion reason: select at least one",
            );
            need(
                !view.exclusion_explanation.is_empty(),
                "Why the complaint is excluded, in your own words",
            );
            push_ombudsman(&mut missing, &ombudsman);
        }
        LetterKind::RestrictionNotice => {
            need(
                !view.restriction_what.is_empty(),
                "A contact restriction approved by a director",
            );
            need(
                !view.restriction_reason.is_empty(),
                "The reasons for the restriction",
            );
            need(
                !view.restriction_review.is_empty(),
                "The date the restriction will be reviewed",
            );
            push_ombudsman(&mut missing, &ombudsman);
        }
    }
    missing
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

fn push_ombudsman(missing: &mut Vec<String>, gaps: &[&str]) {
    if !gaps.is_empty() {
        missing.push(format!(
            "The Housing Ombudsman's details (configuration: landlord.ombudsman_*): {} missing",
            gaps.join(", ")
        ));
    }
}
