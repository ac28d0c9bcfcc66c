//! A complaint's whole life in Chromium, as the staff do it: the officer's first sign-in,
//! logging a phone complaint, triage, assignment and acknowledgement; the manager's note,
//! extension and decision with compensation; the director's approval; the decision sent;
//! escalation; the stage 2 review by a second director, and its response sent. Every page on
//! the way passes axe-core. The HTTP journey (tests/api/journey.rs) checks the deadlines and
//! runs on both databases; this one checks the pages work in a browser, so SQLite is enough.

use chrono::Duration;

use super::page::Browser;
use super::require_chromium;
use super::steps::{self, today, Staff};
use crate::helpers::{spawn_app, Backend};

#[tokio::test]
async fn staff_take_a_complaint_through_both_stages_in_chromium() {
    require_chromium!();
    let app = spawn_app(Backend::Sqlite).await;
    let staff = Staff::create(&app);
    let mut b = Browser::start(&app).await;

    // The officer: first sign-in, then the complaint from logging to acknowledgement.
    steps::first_sign_in(&mut b, &staff.officer).await;
    let reference = steps::log_phone_complaint(&mut b, today() - Duration::days(3)).await;
    b.screenshot("case-page-new").await;
    steps::triage_to_stage1(&mut b, &reference).await;
    steps::assign(&mut b, &reference, staff.area, &staff.manager).await;
    steps::send_acknowledgement_letter(
        &mut b,
        &reference,
        "stage1_acknowledgement",
        "Kitchen repair not done\nRude phone call",
    )
    .await;
    steps::open_case(&mut b, &reference).await;
    b.assert_text("Kitchen repair not done").await;
    b.sign_out().await;

    // The manager investigates and decides, with compensation a director must approve.
    b.sign_in(&staff.manager.email).await;
    steps::add_note(&mut b, &reference, "Spoke to the repairs team").await;
    steps::extend(&mut b, &reference).await;
    steps::draft_decision(&mut b, &reference, &["upheld", "not_upheld"], Some("50")).await;
    b.assert_text("Partly upheld").await;
    b.screenshot("case-page-decision").await;
    b.sign_out().await;

    b.sign_in(&staff.director.email).await;
    steps::approve_compensation(&mut b, &reference).await;
    b.sign_out().await;

    b.sign_in(&staff.manager.email).await;
    steps::send_response_letter(&mut b, &reference, "stage1_response").await;
    b.sign_out().await;

    // The resident asks for a review: stage 2, acknowledged, assigned to another director.
    b.sign_in_with(&staff.officer.email, steps::NEW_PASSWORD)
        .await;
    steps::escalate(&mut b, &reference).await;
    steps::record_acknowledgement_by_hand(
        &mut b,
        &reference,
        today(),
        "1. Kitchen repair not done\n2. Rude phone call\n3. The stage 1 response ignored the repair",
    )
    .await;
    steps::assign(&mut b, &reference, staff.area, &staff.reviewer).await;
    b.sign_out().await;

    b.sign_in(&staff.reviewer.email).await;
    steps::add_note(&mut b, &reference, "Reviewed the stage 1 file").await;
    steps::draft_decision(
        &mut b,
        &reference,
        &["upheld", "upheld", "not_upheld"],
        None,
    )
    .await;
    steps::send_response_letter(&mut b, &reference, "stage2_response").await;
    b.assert_text("Housing Ombudsman").await;
    b.screenshot("case-page-closed").await;
    b.sign_out().await;

    // A director reads the dashboard and the reports, where the case is counted.
    b.sign_in(&staff.director.email).await;
    steps::read_reports(&mut b).await;
    b.close().await;
}
