//! The steps of a case's journey through the browser, one function each, so a journey reads
//! as the list of what people do. Each step starts from the case page (or anywhere, for
//! navigation steps) and ends on the page the app shows next, checked by axe.
//!
//! What the resident is sent goes by letter from Redress (`send_acknowledgement_letter`,
//! `send_response_letter`), except the stage 2 acknowledgement, recorded by hand as if made
//! by phone (`record_acknowledgement_by_hand`), which must stay possible.

use chrono::{Duration, NaiveDate};
use fantoccini::Locator;
use redress::domain::{Role, ServiceAreaId, UserId};
use serde_json::json;

use super::driver::Scripts;
use super::page::Browser;
use crate::helpers::{make_area, TestApp, PASSWORD};

pub fn today() -> NaiveDate {
    redress::cases::london_today()
}

/// A person with an account, known by the email they sign in with.
pub struct Person {
    pub id: UserId,
    pub email: String,
    pub name: String,
}

/// The people a case passes through, all in one service area.
pub struct Staff {
    pub area: ServiceAreaId,
    /// Created with a temporary password: their first sign-in asks for a new one.
    pub officer: Person,
    pub manager: Person,
    /// Approves compensation at stage 1.
    pub director: Person,
    /// Reviews at stage 2 (not the stage 1 responder).
    pub reviewer: Person,
}

impl Staff {
    pub fn create(app: &TestApp) -> Staff {
        let area = make_area(app, "Repairs", "REP");
        let person = |email: &str, name: &str, role: Role, must_change: bool| Person {
            id: app.create_user_with(email, name, role, &[area], must_change, true),
            email: email.to_string(),
            name: name.to_string(),
        };
        Staff {
            area,
            officer: person("olive@example.org", "Olive Officer", Role::Officer, true),
            manager: person("mia@example.org", "Mia Manager", Role::Manager, false),
            director: person("dana@example.org", "Dana Director", Role::Director, false),
            reviewer: person("dave@example.org", "Dave Director", Role::Director, false),
        }
    }
}

/// The new password the officer chooses at first sign-in.
pub const NEW_PASSWORD: &str = "amber-orchard-kettle-93";

/// First sign-in with a temporary password: the app insists on a new one before anything else.
pub async fn first_sign_in(b: &mut Browser, who: &Person) {
    b.visit("/login").await;
    b.fill("email", &who.email).await;
    b.fill("password", PASSWORD).await;
    b.press("Sign in").await;
    b.assert_heading("Change your password").await;
    b.assert_text("You must choose a new password").await;
    b.fill("current_password", PASSWORD).await;
    b.fill("new_password", NEW_PASSWORD).await;
    b.fill("confirm_password", NEW_PASSWORD).await;
    b.press("Change password").await;
    assert!(
        !b.path().await.starts_with("/account/password"),
        "password changed: {}",
        b.main_text().await
    );
}

/// A complaint made by phone, as the officer types it in; returns the new case's reference.
pub async fn log_phone_complaint(b: &mut Browser, received: NaiveDate) -> String {
    b.nav("Log a complaint").await;
    b.assert_heading("Log a complaint").await;
    b.fill("complainant-name", "Jo Bloggs").await;
    b.pick("tenancy_relationship", "tenant").await;
    b.fill("email", "jo@example.org").await;
    b.fill("phone", "020 7946 0000").await;
    b.pick("channel", "phone").await;
    b.date("received", received).await;
    b.date("occurred", received - Duration::days(10)).await;
    b.fill(
        "description",
        "The kitchen repair booked in March was never done, and the call centre was rude.",
    )
    .await;
    b.fill("outcome-sought", "Fix the kitchen and apologise.")
        .await;
    b.press("Log complaint").await;
    let path = b.path().await;
    let Some(reference) = path.strip_prefix("/cases/").map(str::to_string) else {
        panic!("logged, on the case page: {path}: {}", b.main_text().await)
    };
    b.assert_heading(&reference).await;
    reference
}

/// Opens the case page (unless already there: it was checked when it loaded).
pub async fn open_case(b: &mut Browser, reference: &str) {
    let path = format!("/cases/{reference}");
    if b.path().await != path {
        b.visit(&path).await;
    }
    b.assert_heading(reference).await;
}

pub async fn triage_to_stage1(b: &mut Browser, reference: &str) {
    open_case(b, reference).await;
    b.follow("Triage the contact").await;
    triage_follow_up_questions(b).await;
    b.pick("decision", "stage1").await;
    b.press("Save triage").await;
    b.assert_heading(reference).await;
    b.assert_text("Stage 1").await;
}

/// On the triage form, the questions that follow "Service request" (the team it went to) and
/// "Excluded" (reasons, explanation, how the decline was sent). With JavaScript, only the
/// chosen answer's questions show, revealed by the app's own script (never GOV.UK's, which
/// sets `aria-expanded` on the radios); without it, all of them show, so every answer can still
/// be given. Ends with "Stage 1" chosen.
async fn triage_follow_up_questions(b: &mut Browser) {
    let js = b.scripts == Scripts::On;
    assert_eq!(follow_ups_shown(b).await, [!js, !js], "nothing chosen yet");
    b.pick("decision", "service_request").await;
    assert_eq!(follow_ups_shown(b).await, [true, !js], "service request");
    b.pick("decision", "excluded").await;
    assert_eq!(follow_ups_shown(b).await, [!js, true], "excluded");
    // The revealed questions pass axe too, and no input carries aria-expanded.
    b.check().await;
    let expanded = b
        .client
        .execute(
            "return document.querySelectorAll('input[aria-expanded]').length;",
            vec![],
        )
        .await
        .expect("look for aria-expanded");
    assert_eq!(expanded, json!(0), "inputs with aria-expanded");
    b.pick("decision", "stage1").await;
    assert_eq!(follow_ups_shown(b).await, [!js, !js], "stage 1");
}

/// Whether triage's follow-up blocks are displayed: [service request's, excluded's].
async fn follow_ups_shown(b: &Browser) -> [bool; 2] {
    let mut shown = [false; 2];
    for (slot, id) in shown
        .iter_mut()
        .zip(["conditional-referred", "conditional-excluded"])
    {
        *slot = b
            .find(Locator::Id(id))
            .await
            .is_displayed()
            .await
            .expect("ask whether it is displayed");
    }
    shown
}

/// The officer assigns the case to an investigating manager (or, at stage 2, a director),
/// from the case page or from the assign form itself, where recording an acknowledgement
/// leads when no one is assigned yet.
pub async fn assign(b: &mut Browser, reference: &str, area: ServiceAreaId, to: &Person) {
    if b.path().await != format!("/cases/{reference}/assign") {
        open_case(b, reference).await;
        b.follow("Assign an investigator").await;
    }
    b.assert_text(reference).await;
    // The case's own area (or the only one in use) comes chosen, with its people listed.
    let area = area.to_string();
    let chosen = b
        .find(Locator::Id("service-area"))
        .await
        .prop("value")
        .await
        .unwrap();
    let radio = format!("input[name='manager'][value='{}']", to.id);
    if chosen.as_deref() != Some(area.as_str()) {
        b.select("service-area", &area).await;
        // The area's people, each a radio with their caseload: htmx swaps them in as the
        // area changes; without JavaScript, "Show people in this area" shows the form again
        // with them.
        let scripts_on = b
            .client
            .execute(
                "return document.body.classList.contains('js-enabled');",
                vec![],
            )
            .await
            .unwrap();
        if scripts_on == serde_json::json!(true) {
            b.wait_until(
                &format!("document.querySelector(\"{radio}\")"),
                "the area's people",
            )
            .await;
        } else {
            b.press("Show people in this area").await;
        }
    }
    // The suggested investigator comes chosen.
    choose_investigator(b, &radio, to).await;
    b.press("Assign").await;
    b.assert_heading(reference).await;
    b.assert_text(&to.name).await;
}

/// Picks `to` (the radio `radio`) as the investigator unless they come chosen, as a person
/// would: a click only when the suggestion is someone else.
async fn choose_investigator(b: &mut Browser, radio: &str, to: &Person) {
    let chosen = b
        .find(Locator::Css(radio))
        .await
        .prop("checked")
        .await
        .unwrap();
    if chosen.as_deref() != Some("true") {
        b.pick("manager", &to.id.to_string()).await;
    }
}

/// Opens the editor of the letter of `kind` owed on the case, from the case page's letters
/// section (which htmx loads after the page).
pub async fn open_owed_letter(b: &mut Browser, reference: &str, kind: &str) {
    open_case(b, reference).await;
    let css = format!("main a[href='/cases/{reference}/letters/{kind}']");
    b.wait_until(
        &format!("document.querySelector(\"{css}\")"),
        "the letters section to list the letter owed",
    )
    .await;
    b.click_to_new_page(Locator::Css(&css)).await;
}

/// The officer writes and sends the acknowledgement letter from the case page. Sent first
/// without the agreed complaint points, the content check refuses it (that error page is
/// checked with axe too); then the points are filled in, previewed and the letter sent,
/// which records the acknowledgement. The frozen letter and its print view are opened from
/// the case's letters, and the letters owed and print queue pages checked.
pub async fn send_acknowledgement_letter(
    b: &mut Browser,
    reference: &str,
    kind: &str,
    points: &str,
) {
    b.nav("Letters").await;
    b.assert_text(reference).await;
    open_owed_letter(b, reference, kind).await;
    b.fill("points", "").await;
    b.press("Send letter").await;
    assert!(
        b.title().await.starts_with("Error: "),
        "refused without points"
    );
    b.fill("points", points).await;
    b.fill("outcome-sought", "Fix the kitchen and apologise.")
        .await;
    b.fill("body", "Thank you for telling us about the kitchen repair.")
        .await;
    b.press("Preview").await;
    b.assert_text("Kitchen repair not done").await;
    b.screenshot("letter-editor").await;
    b.press("Send letter").await;
    b.assert_heading(reference).await;

    b.visit(&format!("/cases/{reference}/letters")).await;
    b.click_to_new_page(Locator::Css(
        "#letters-section a[href^='/letters/']:not([href$='/print'])",
    ))
    .await;
    b.assert_text("This letter is frozen").await;
    b.follow("Print view").await;
    b.assert_text(reference).await;
    b.screenshot("letter-print-view").await;
    b.visit("/letters/print-queue").await;
    b.assert_heading("Print queue").await;
}

/// Records that an acknowledgement was sent outside the app, with the agreed points (a
/// phone acknowledgement, say).
pub async fn record_acknowledgement_by_hand(
    b: &mut Browser,
    reference: &str,
    sent: NaiveDate,
    points: &str,
) {
    open_case(b, reference).await;
    // One route per job: the acknowledgement letter, where a letter sent outside Redress is
    // recorded with its copy.
    b.follow("Acknowledge the complaint").await;
    b.follow("Record a letter sent elsewhere").await;
    b.date("sent", sent).await;
    b.pick("method", "email").await;
    b.fill("points", points).await;
    b.fill(
        "copy-text",
        "Dear resident, we have received your complaint.",
    )
    .await;
    b.press("Record as sent").await;
    assert_acknowledged(b, reference).await;
}

/// After an acknowledgement: on the case page, or on the assign form when no one is
/// assigned yet (the task list's next step), told it was recorded.
pub async fn assert_acknowledged(b: &Browser, reference: &str) {
    let path = b.path().await;
    let case = format!("/cases/{reference}");
    assert!(
        path == case || path == format!("{case}/assign"),
        "acknowledged, on {path}: {}",
        b.main_text().await
    );
    b.assert_text("recorded as sent").await;
}

/// The officer records, from the case page, that the complaint was acknowledged by phone
/// today (the complaint points agreed on the call and a note of it) and assigns it to `to`
/// in the same step: the suggested investigator comes chosen, so `to` is picked only when
/// someone else is.
pub async fn acknowledge_by_phone_and_assign(
    b: &mut Browser,
    reference: &str,
    points: &str,
    to: &Person,
) {
    open_case(b, reference).await;
    b.fill("points", points).await;
    b.fill("copy-text", "Rang the resident and agreed the points.")
        .await;
    let radio = format!(
        "#phone-acknowledgement input[name='manager'][value='{}']",
        to.id
    );
    choose_investigator(b, &radio, to).await;
    b.press("Record the phone acknowledgement and assign").await;
    b.assert_heading(reference).await;
    b.assert_text("acknowledgement recorded as sent and the case assigned")
        .await;
    b.assert_text(&to.name).await;
    assert_acknowledged(b, reference).await;
}

/// A note typed into the case page's note box.
pub async fn add_note(b: &mut Browser, reference: &str, text: &str) {
    open_case(b, reference).await;
    b.fill("note-text", text).await;
    b.press("Add note").await;
    b.assert_heading(reference).await;
    b.assert_text("Added to the timeline").await;
}

/// A 5 working day extension, granted and told to the resident today, by email: the way
/// the extension letter goes to a resident with an email address, which comes chosen.
pub async fn extend(b: &mut Browser, reference: &str) {
    open_case(b, reference).await;
    b.follow("Extend the response date").await;
    b.fill("length", "5").await;
    b.pick("reason", "interviews_needed").await;
    b.date("granted", today()).await;
    b.date("notified", today()).await;
    let by_email = b
        .find(Locator::Css("input[name='notified_method'][value='email']"))
        .await
        .prop("checked")
        .await
        .unwrap();
    assert_eq!(by_email.as_deref(), Some("true"), "email comes chosen");
    b.press("Record extension").await;
    // One route per job: the extension letter, drafted with the extension, comes next.
    b.assert_heading("Extension letter").await;
    b.assert_text(reference).await;
}

/// The assignee's decision: a finding on every point (`findings`, in order), the overall
/// outcome that follows from them (with JavaScript it comes ticked once every point has a
/// finding), optionally with compensation.
pub async fn draft_decision(
    b: &mut Browser,
    reference: &str,
    findings: &[&str],
    compensation: Option<&str>,
) {
    open_case(b, reference).await;
    b.follow("Draft the response").await;
    b.assert_heading("Decision").await;
    for (i, finding) in findings.iter().enumerate() {
        let n = i + 1;
        b.pick(&format!("finding_{n}"), finding).await;
        b.fill(
            &format!("reasons-{n}"),
            &format!("The records show what happened on point {n}."),
        )
        .await;
    }
    let outcome = if findings.iter().all(|f| *f == findings[0]) {
        findings[0]
    } else {
        "partly_upheld"
    };
    let css = format!("input[name='outcome'][value='{outcome}']");
    let ticked = b
        .find(Locator::Css(&css))
        .await
        .prop("checked")
        .await
        .unwrap();
    if b.scripts == Scripts::On {
        assert_eq!(
            ticked.as_deref(),
            Some("true"),
            "the outcome follows the findings"
        );
    } else {
        b.pick("outcome", outcome).await;
    }
    b.fill("summary", "We got this partly wrong and will put it right.")
        .await;
    if let Some(amount) = compensation {
        b.pick("remedy_kind_1", "compensation").await;
        b.fill("remedy-1-description", "For the delay and the distress")
            .await;
        b.fill("remedy-1-distress", amount).await;
    }
    b.press("Save decision").await;
    b.assert_heading(reference).await;
}

/// A director finds the compensation on their approvals page and approves it on the case.
pub async fn approve_compensation(b: &mut Browser, reference: &str) {
    b.nav("Approvals").await;
    b.assert_heading("Waiting for approval").await;
    b.follow(reference).await;
    b.press("Approve the compensation").await;
    b.assert_heading(reference).await;
}

/// The decision's author sends the response letter drafted from the decision: findings per
/// point, remedies and how to escalate come from the case; sending closes the stage.
pub async fn send_response_letter(b: &mut Browser, reference: &str, kind: &str) {
    open_owed_letter(b, reference, kind).await;
    b.fill(
        "body",
        "Thank you for your patience while we looked into this.",
    )
    .await;
    b.press("Send letter").await;
    b.assert_heading(reference).await;
    b.assert_text("Closed").await;
}

/// The decision's author sends the response as drafted from the decision, with the case
/// page's one button; sending closes the stage.
pub async fn send_response_here(b: &mut Browser, reference: &str) {
    open_case(b, reference).await;
    b.press("Send the response").await;
    b.assert_heading(reference).await;
    b.assert_text("Closed").await;
}

/// The resident asked today for a review: the officer escalates to stage 2 from the case
/// page (the date comes filled in with today).
pub async fn escalate(b: &mut Browser, reference: &str) {
    open_case(b, reference).await;
    b.fill("reason", "The kitchen is still not repaired.").await;
    b.press("Escalate to stage 2").await;
    b.assert_heading(reference).await;
    b.assert_text("Stage 2").await;
}

/// A director reads the dashboard and every report for this reporting year; the case just
/// closed is counted at both stages of the performance report.
pub async fn read_reports(b: &mut Browser) {
    b.nav("Home").await;
    b.assert_text("Open cases by stage and RAG status").await;
    b.screenshot("dashboard").await;
    b.nav("Reports").await;
    b.assert_heading("Reports").await;
    b.follow("Complaints performance").await;
    let by_stage = b.text_of("#table-stage").await;
    assert!(
        by_stage.contains("Stage 1") && by_stage.contains("Stage 2"),
        "{by_stage}"
    );
    b.screenshot("report-performance").await;
    // A bad reporting year: the error beside the field, the typed value kept.
    b.fill("year", "20x5").await;
    b.press("Show report").await;
    assert!(
        b.title().await.starts_with("Error: "),
        "{}",
        b.title().await
    );
    super::errors::assert_error_summary_links_to_fields(b).await;
    for report in [
        "Tenant Satisfaction Measures",
        "Contractors",
        "Learning register",
        "Annual complaints performance and service improvement report",
        "Evidence pack for the Complaint Handling Code self-assessment",
    ] {
        b.nav("Reports").await;
        b.follow(report).await;
    }
}
