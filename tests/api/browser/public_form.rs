//! A resident makes a complaint on the public form at /complain, without signing in: first
//! sending it empty (the error page must pass axe too), then properly.

use chrono::Duration;
use diesel::prelude::*;
use redress::db::schema::cases;

use super::errors::assert_error_summary_links_to_fields;
use super::page::Browser;
use super::require_chromium;
use super::steps::today;
use crate::helpers::{spawn_app, Backend};

#[tokio::test]
async fn a_resident_sends_a_complaint_on_the_public_form() {
    require_chromium!();
    let app = spawn_app(Backend::Sqlite).await;
    let mut b = Browser::start(&app).await;

    b.visit("/complain").await;
    b.assert_heading("Make a complaint").await;
    b.screenshot("public-form").await;

    b.press("Send complaint").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;

    b.fill("complainant-name", "Sam Resident").await;
    b.pick("tenancy_relationship", "tenant").await;
    b.fill("email", "sam@example.org").await;
    b.pick("preferred_contact", "email").await;
    b.date("occurred", today() - Duration::days(7)).await;
    b.fill(
        "description",
        "Water has been coming through the bathroom ceiling for a week.",
    )
    .await;
    b.fill("outcome-sought", "Fix the leak.").await;
    b.press("Send complaint").await;
    b.assert_heading("Complaint sent").await;
    let reference = b.text_of("#reference").await;
    b.screenshot("public-form-sent").await;

    let channel: String = cases::table
        .filter(cases::reference.eq(&reference))
        .select(cases::channel)
        .first(&mut app.conn())
        .expect("the complaint is on the system");
    assert_eq!(channel, "web_form");
    b.close().await;
}
