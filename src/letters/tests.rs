//! Every kind rendered from a fixture with every field, checked element by element; the
//! content check refusing each missing element; escaping of every user-supplied field.

use super::checks::missing;
use super::kind::LetterKind;
use super::recipient::{Channel, Recipient};
use super::render::render;
use super::signatory::Signatory;
use super::view::{ExclusionView, FindingView, LetterView, RemedyView};
use crate::config::LandlordSettings;
use crate::rules::Stage;

/// A value typed by staff or a resident, with markup in it.
const HOSTILE: &str = "<script>alert(\"x\")</script> & 'quoted'";

fn fixture(kind: LetterKind) -> LetterView {
    let stage = kind.fixed_stage().or(Some(Stage::Stage1));
    LetterView {
        kind,
        kind_key: kind.as_str(),
        stage,
        stage_label: stage.map(|s| s.label().to_string()).unwrap_or_default(),
        title: "Your complaint".into(),
        reference: "CMP-2026-000042".into(),
        date: "23 November 2026".into(),
        landlord: LandlordSettings::default(),
        signatory: Signatory {
            name: "Sophie Irving".into(),
            title: "Head of Repairs".into(),
        },
        recipient: Recipient {
            name: "Ada Lovelace".into(),
            address: vec!["12 Mill Lane".into(), "Anytown".into(), "AN1 2BB".into()],
            email: Some("ada@example.org".into()),
            channel: Channel::Email,
            large_print: false,
            representative: false,
            post_reason: None,
            paper_needs: Vec::new(),
        },
        complainant_name: "Ada Lovelace".into(),
        body: vec![vec!["Thank you for contacting us.".into()]],
        description: "The kitchen ceiling leaks".into(),
        points: vec!["Repair delayed for six weeks".into(), "Calls not returned".into()],
        outcome_sought: "Fix the leak and apologise".into(),
        respond_by: Some("8 December 2026".into()),
        extensions_text: "If we need more time, we will write to you before the response date to explain why and give you a new date, no more than 10 working days later, with the Housing Ombudsman's contact details.".into(),
        adjustments: vec!["Large print".into()],
        outcome: Some("Partly upheld".into()),
        summary: "We were too slow to repair the leak.".into(),
        findings: vec![
            FindingView {
                number: 1,
                point: "Repair delayed for six weeks".into(),
                finding: "Upheld".into(),
                reasons: "The repair took 40 days against a 20-day target.".into(),
            },
            FindingView {
                number: 2,
                point: "Calls not returned".into(),
                finding: "Not upheld".into(),
                reasons: "Our call log shows three returned calls.".into(),
            },
        ],
        remedies: vec![
            RemedyView {
                kind: "Action to put things right".into(),
                description: "Replace the ceiling".into(),
                due: Some("by 4 December 2026".into()),
                amount: None,
                needs_date: false,
            },
            RemedyView {
                kind: "Compensation".into(),
                description: "For the delay".into(),
                due: None,
                amount: Some("£150.00".into()),
                needs_date: false,
            },
        ],
        compensation_awaiting_approval: false,
        escalate_by: Some("22 December 2026".into()),
        escalation_date_missing: false,
        extension_reason: "Waiting for the roofing contractor's report".into(),
        extension_length: Some(10),
        previous_due: Some("8 December 2026".into()),
        new_due: Some("22 December 2026".into()),
        exclusions: vec![ExclusionView {
            label: "Legal proceedings have started".into(),
            explanation: "Legal proceedings about this matter have started.".into(),
        }],
        exclusion_explanation: "Your solicitor issued a claim on 1 November.".into(),
        restriction_what: "Contact by email to the complaints team only".into(),
        restriction_reason: "Forty calls a day to the repairs line".into(),
        restriction_review: "23 May 2027".into(),
        refusal_requested_on: "20 November 2026".into(),
        progress_news: "The surveyor visited on 18 November.".into(),
        next_update: Some("7 December 2026".into()),
        outstanding: vec!["Replace the ceiling, by 4 December 2026".into()],
        completed: vec!["Repair the gutter (completed 21 November 2026)".into()],
    }
}

/// What every letter shows, in both its HTML and its text.
fn common(v: &LetterView) -> Vec<String> {
    let l = &v.landlord;
    vec![
        v.reference.clone(),
        v.date.clone(),
        "Dear Ada Lovelace".into(),
        "12 Mill Lane".into(),
        "AN1 2BB".into(),
        l.name.clone(),
        l.address[0].clone(),
        v.signatory.name.clone(),
        v.signatory.title.clone(),
        l.complaints_phone.clone(),
        "Thank you for contacting us.".into(),
    ]
}

fn ombudsman(v: &LetterView) -> Vec<String> {
    let l = &v.landlord;
    vec![
        l.ombudsman_name.clone(),
        l.ombudsman_address[0].clone(),
        l.ombudsman_phone.clone(),
        l.ombudsman_email.clone(),
        l.ombudsman_website.clone(),
    ]
}

/// The required elements of each kind (SPEC section 5).
fn required(kind: LetterKind, v: &LetterView) -> Vec<String> {
    let mut r = common(v);
    match kind {
        LetterKind::Stage1Acknowledgement | LetterKind::Stage2Acknowledgement => {
            r.extend([
                "Our understanding of your complaint".to_string(),
                "Repair delayed for six weeks".into(),
                "Calls not returned".into(),
                "Fix the leak and apologise".into(),
                "8 December 2026".into(),
                "no more than 10 working days later".into(),
                "advocate".into(),
                "reasonable adjustments".to_string(),
                "You told us you need: Large print".into(),
                if kind == LetterKind::Stage1Acknowledgement {
                    "stage 1".into()
                } else {
                    "stage 2".into()
                },
            ]);
        }
        LetterKind::Extension => {
            r.extend([
                "Waiting for the roofing contractor".to_string(),
                "22 December 2026".into(),
                "8 December 2026".into(),
            ]);
            r.extend(ombudsman(v));
        }
        LetterKind::Stage0Decision | LetterKind::Stage1Response | LetterKind::Stage2Response => {
            r.extend([
                "Partly upheld".to_string(),
                "We were too slow to repair the leak.".into(),
                "Point 1: Repair delayed for six weeks".into(),
                "Upheld".into(),
                "The repair took 40 days against a 20-day target.".into(),
                "Point 2: Calls not returned".into(),
                "Not upheld".into(),
                "Our call log shows three returned calls.".into(),
                "Replace the ceiling".into(),
                "by 4 December 2026".into(),
                "£150.00".into(),
            ]);
            match kind {
                LetterKind::Stage2Response => {
                    r.push("final response".into());
                    r.extend(ombudsman(v));
                }
                LetterKind::Stage1Response => {
                    r.extend(["escalate".to_string(), "22 December 2026".into()]);
                }
                _ => r.extend(["stage 1".to_string(), "22 December 2026".into()]),
            }
        }
        LetterKind::RestrictionNotice => {
            r.extend([
                "Contact by email to the complaints team only".to_string(),
                "Forty calls a day to the repairs line".into(),
                "23 May 2027".into(),
                "We will continue to deal with your complaint".into(),
                "ask us to review it".into(),
                v.landlord.complaints_email.clone(),
            ]);
            r.extend(ombudsman(v));
        }
        LetterKind::Decline => {
            r.extend([
                "Legal proceedings have started".to_string(),
                "Legal proceedings about this matter have started.".into(),
                "Your solicitor issued a claim on 1 November.".into(),
            ]);
            r.extend(ombudsman(v));
        }
        // Code 2.4 and 5.11: the ground, the reasons and the way to the Ombudsman.
        LetterKind::EscalationRefusal => {
            r.extend([
                "20 November 2026".to_string(),
                "stage 2".into(),
                "Legal proceedings have started".into(),
                "Your solicitor issued a claim on 1 November.".into(),
                "Housing Ombudsman Service to look at our decision not to escalate".into(),
            ]);
            r.extend(ombudsman(v));
        }
        LetterKind::ProgressUpdate => r.extend([
            "The surveyor visited on 18 November.".to_string(),
            "8 December 2026".into(),
            "Replace the ceiling, by 4 December 2026".into(),
            "7 December 2026".into(),
        ]),
        LetterKind::ActionCompleted => r.extend([
            "Repair the gutter (completed 21 November 2026)".to_string(),
            "Replace the ceiling, by 4 December 2026".into(),
        ]),
    }
    r
}

#[test]
fn every_kind_renders_every_required_element_in_html_and_text() {
    for kind in LetterKind::ALL {
        let v = fixture(kind);
        let rendered = render(&v).unwrap();
        for element in required(kind, &v) {
            // HTML escapes apostrophes and ampersands; compare against the escaped form.
            let escaped = element.replace('&', "&#38;").replace('\'', "&#39;");
            assert!(
                rendered.html.contains(&escaped) || rendered.html.contains(&element),
                "{kind}: HTML lacks {element:?}\n{}",
                rendered.html
            );
            // Text headings are in capitals.
            assert!(
                rendered
                    .text
                    .to_lowercase()
                    .contains(&element.to_lowercase()),
                "{kind}: text lacks {element:?}\n{}",
                rendered.text
            );
        }
        assert!(rendered.subject.starts_with("CMP-2026-000042: "));
        assert!(!rendered.text.contains('<'), "{kind}: markup in text");
        assert!(
            missing(&v).is_empty(),
            "{kind}: complete fixture refused: {:?}",
            missing(&v)
        );
    }
}

#[test]
fn a_representative_letter_names_the_complainant_and_large_print_marks_the_letter() {
    let mut v = fixture(LetterKind::Stage1Acknowledgement);
    v.recipient.name = "Cllr Grace Hopper".into();
    v.recipient.representative = true;
    let html = render(&v).unwrap().html;
    assert!(html.contains("Dear Cllr Grace Hopper"));
    assert!(html.contains("About the complaint made by: Ada Lovelace"));
    assert!(!html.contains("letter--large-print"));
    v.recipient.large_print = true;
    assert!(render(&v).unwrap().html.contains("letter--large-print"));
}

#[test]
fn every_user_supplied_field_is_escaped_in_html() {
    for kind in LetterKind::ALL {
        let mut v = fixture(kind);
        v.recipient.name = HOSTILE.into();
        v.recipient.address = vec![HOSTILE.into()];
        v.complainant_name = HOSTILE.into();
        v.recipient.representative = true;
        v.body = vec![vec![HOSTILE.into(), HOSTILE.into()]];
        v.description = HOSTILE.into();
        v.points = vec![HOSTILE.into()];
        v.outcome_sought = HOSTILE.into();
        v.summary = HOSTILE.into();
        for f in &mut v.findings {
            f.point = HOSTILE.into();
            f.reasons = HOSTILE.into();
        }
        for r in &mut v.remedies {
            r.description = HOSTILE.into();
        }
        v.extension_reason = HOSTILE.into();
        v.exclusion_explanation = HOSTILE.into();
        v.restriction_what = HOSTILE.into();
        v.restriction_reason = HOSTILE.into();
        v.progress_news = HOSTILE.into();
        v.outstanding = vec![HOSTILE.into()];
        v.completed = vec![HOSTILE.into()];
        v.landlord.name = HOSTILE.into();
        v.signatory.name = HOSTILE.into();
        let rendered = render(&v).unwrap();
        assert!(
            !rendered.html.contains("<script>"),
            "{kind}: unescaped markup\n{}",
            rendered.html
        );
        assert!(rendered.html.contains("&#60;script&#62;"), "{kind}");
        // The text alternative is plain text: it carries the value as typed.
        assert!(rendered.text.contains(HOSTILE), "{kind}");
    }
}

/// Removes one element from a complete view; the check must name it.
fn refuses(kind: LetterKind, change: impl Fn(&mut LetterView), expect: &str) {
    let mut v = fixture(kind);
    change(&mut v);
    let found = missing(&v);
    assert!(
        found.iter().any(|m| m.contains(expect)),
        "{kind}: expected a problem mentioning {expect:?}, got {found:?}"
    );
}

#[test]
fn the_content_check_refuses_each_missing_element() {
    for kind in LetterKind::ALL {
        refuses(kind, |v| v.recipient.name.clear(), "recipient's name");
        refuses(kind, |v| v.recipient.email = None, "email address");
        refuses(
            kind,
            |v| {
                v.recipient.channel = Channel::Post;
                v.recipient.address.clear()
            },
            "postal address",
        );
        refuses(kind, |v| v.signatory.name.clear(), "signatory");
        refuses(
            kind,
            |v| {
                v.recipient.channel = Channel::Post;
                v.recipient.large_print = true;
                v.recipient.address = (1..=7).map(|n| format!("Line {n}")).collect();
            },
            "envelope window",
        );
        refuses(
            kind,
            |v| v.landlord.address.clear(),
            "landlord's name and address",
        );
    }
    for kind in [
        LetterKind::Stage1Acknowledgement,
        LetterKind::Stage2Acknowledgement,
    ] {
        refuses(kind, |v| v.points.clear(), "complaint points");
        refuses(kind, |v| v.outcome_sought.clear(), "outcome the resident");
        refuses(kind, |v| v.respond_by = None, "respond by");
        // How extensions work is explained when one is made (Code 6.5): a warning only.
        let mut v = fixture(kind);
        v.extensions_text.clear();
        assert!(missing(&v).is_empty(), "{kind}");
    }
    refuses(
        LetterKind::Extension,
        |v| v.extension_reason.clear(),
        "reason for the extension",
    );
    refuses(
        LetterKind::Extension,
        |v| v.new_due = None,
        "new response date",
    );
    for kind in [
        LetterKind::Extension,
        LetterKind::Stage2Response,
        LetterKind::Decline,
        LetterKind::RestrictionNotice,
        LetterKind::EscalationRefusal,
    ] {
        refuses(kind, |v| v.landlord.ombudsman_phone.clear(), "phone number");
        refuses(
            kind,
            |v| v.landlord.ombudsman_email.clear(),
            "email address",
        );
        refuses(kind, |v| v.landlord.ombudsman_name.clear(), "Ombudsman");
        refuses(kind, |v| v.landlord.ombudsman_address.clear(), "address");
        refuses(kind, |v| v.landlord.ombudsman_website.clear(), "website");
    }
    for kind in [
        LetterKind::Stage0Decision,
        LetterKind::Stage1Response,
        LetterKind::Stage2Response,
    ] {
        refuses(kind, |v| v.outcome = None, "overall outcome");
        refuses(
            kind,
            |v| v.findings[1].finding.clear(),
            "finding for complaint point 2",
        );
        refuses(
            kind,
            |v| v.findings[0].reasons.clear(),
            "reasons for the finding on complaint point 1",
        );
        refuses(
            kind,
            |v| v.remedies[0].needs_date = true,
            "date for the outstanding action",
        );
        refuses(
            kind,
            |v| v.compensation_awaiting_approval = true,
            "approval of the compensation",
        );
    }
    refuses(
        LetterKind::Stage1Response,
        |v| v.findings.clear(),
        "finding on each",
    );
    // Without a date to escalate by the letter is still complete: a warning only.
    for kind in [LetterKind::Stage1Response, LetterKind::Stage0Decision] {
        let mut v = fixture(kind);
        v.escalation_date_missing = true;
        assert!(missing(&v).is_empty(), "{kind}");
        let gaps = super::checks::gaps(&v);
        assert!(
            gaps.iter()
                .any(|g| !g.blocks && g.text.contains("escalate by")),
            "{gaps:?}"
        );
    }
    refuses(
        LetterKind::Decline,
        |v| v.exclusions.clear(),
        "exclusion reason",
    );
    refuses(
        LetterKind::Decline,
        |v| v.exclusion_explanation.clear(),
        "Why the complaint is excluded",
    );
    refuses(
        LetterKind::RestrictionNotice,
        |v| v.restriction_what.clear(),
        "contact restriction approved by a director",
    );
    refuses(
        LetterKind::RestrictionNotice,
        |v| v.restriction_reason.clear(),
        "reasons for the restriction",
    );
    refuses(
        LetterKind::RestrictionNotice,
        |v| v.restriction_review.clear(),
        "date the restriction will be reviewed",
    );
    refuses(
        LetterKind::EscalationRefusal,
        |v| v.exclusions.clear(),
        "ground for refusing",
    );
    refuses(
        LetterKind::EscalationRefusal,
        |v| v.exclusion_explanation.clear(),
        "Why the escalation is refused",
    );
    refuses(
        LetterKind::EscalationRefusal,
        |v| v.refusal_requested_on.clear(),
        "escalation refused on the case",
    );
    refuses(
        LetterKind::ProgressUpdate,
        |v| v.progress_news.clear(),
        "What has happened since the last update",
    );
    refuses(
        LetterKind::ActionCompleted,
        |v| v.completed.clear(),
        "since marked done",
    );
    // Without an agreed interval the update is still complete: a warning only.
    let mut v = fixture(LetterKind::ProgressUpdate);
    v.next_update = None;
    assert!(missing(&v).is_empty());
}

#[test]
fn the_escalation_date_is_given_only_when_the_policy_names_a_window() {
    for kind in [LetterKind::Stage1Response, LetterKind::Stage0Decision] {
        let with_window = render(&fixture(kind)).unwrap();
        for text in [&with_window.html, &with_window.text] {
            assert!(text.contains("22 December 2026"), "{kind}: {text}");
        }
        let mut v = fixture(kind);
        v.escalate_by = None;
        assert!(missing(&v).is_empty(), "{kind}: no window is complete");
        let without = render(&v).unwrap();
        assert!(
            without.text.contains("Please contact us by phone on"),
            "{kind}"
        );
        assert!(!without.text.contains("22 December 2026"), "{kind}");
        assert!(
            without.html.contains("Please contact us by phone on"),
            "{kind}"
        );
    }
}
