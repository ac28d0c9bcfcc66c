//! Error states in the browser: forms sent empty come back with the GOV.UK error summary,
//! each message linked to its field and tied to it for screen readers, typed values kept,
//! and the error pages pass axe like any other. Also proves axe really reports a violation,
//! so a clean run means something.

use fantoccini::Locator;
use serde_json::json;

use super::axe;
use super::driver::Scripts;
use super::page::Browser;
use super::require_chromium;
use super::steps::{self, today, Staff};
use crate::helpers::{spawn_app, Backend};

/// Every link in the error summary leads to a form field that exists, and that field (or its
/// fieldset) points at the error message shown next to it with aria-describedby.
pub async fn assert_error_summary_links_to_fields(b: &Browser) {
    let links = b.error_summary_links().await;
    assert!(
        !links.is_empty(),
        "an error summary on {}",
        b.where_().await
    );
    for (href, tag) in &links {
        assert!(
            matches!(tag.as_str(), "input" | "select" | "textarea"),
            "the error summary link {href} leads to a <{tag}>, not a field, on {}",
            b.where_().await
        );
    }
    let described = b
        .client
        .execute(
            "return Array.from(document.querySelectorAll('.govuk-error-summary__list a')).map(a => {
               const field = document.getElementById(a.getAttribute('href').slice(1));
               const group = field.closest('.govuk-form-group--error');
               const message = group && group.querySelector('.govuk-error-message');
               if (!message) { return a.getAttribute('href') + ': no error message by the field'; }
               const holders = [field, field.closest('fieldset')].filter(Boolean);
               const tied = holders.some(h => (h.getAttribute('aria-describedby') || '')
                 .split(/\\s+/).includes(message.id));
               return tied ? '' : a.getAttribute('href') + ': message not in aria-describedby';
             }).filter(Boolean);",
            vec![],
        )
        .await
        .expect("check error messages");
    assert_eq!(described, json!([]), "on {}", b.where_().await);
}

/// axe is live in this browser: a page with an unlabelled field and an image without a text
/// alternative fails. (Run before the journey: it leaves a page with no app on it.)
pub async fn assert_axe_reports_violations(b: &Browser) {
    b.client
        .goto("data:text/html,<html lang=en><title>t</title><main><img src=x.png><input></main></html>")
        .await
        .unwrap();
    let found = axe::violations(&b.client, b.scripts == Scripts::Off).await;
    let rules: Vec<&str> = found.iter().map(|v| v.id.as_str()).collect();
    assert!(
        rules.contains(&"image-alt") && rules.contains(&"label"),
        "axe-core should report image-alt and label here, reported {rules:?}"
    );
}

#[tokio::test]
async fn empty_forms_show_linked_errors_that_pass_axe() {
    require_chromium!();
    let app = spawn_app(Backend::Sqlite).await;
    let staff = Staff::create(&app);
    let mut b = Browser::start(&app).await;

    assert_axe_reports_violations(&b).await;
    steps::first_sign_in(&mut b, &staff.officer).await;
    b.nav("Log a complaint").await;
    b.fill("complainant-name", "Jo Bloggs").await;
    b.press("Log complaint").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    // GOV.UK's error summary takes focus when the page loads, so it is read out first.
    let focused = b
        .client
        .execute(
            "return !!document.activeElement.closest('.govuk-error-summary');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(focused, json!(true), "the error summary has focus");
    // What was typed is kept.
    let kept = b.find(Locator::Id("complainant-name")).await;
    assert_eq!(
        kept.prop("value").await.unwrap().as_deref(),
        Some("Jo Bloggs")
    );
    b.screenshot("log-complaint-errors").await;
    // Following a summary link moves focus to the field.
    let first = b.find(Locator::Css(".govuk-error-summary__list a")).await;
    let target = first.attr("href").await.unwrap().unwrap();
    first.click().await.unwrap();
    assert_eq!(format!("#{}", b.focused_id().await), target);

    // An action's form: triage with no decision.
    b.fill("description", "The boiler has failed twice this month.")
        .await;
    b.pick("tenancy_relationship", "tenant").await;
    b.fill("email", "jo@example.org").await;
    b.pick("channel", "phone").await;
    b.date("received", today()).await;
    b.date("occurred", today()).await;
    b.press("Log complaint").await;
    let reference = b.heading().await;
    b.follow("Triage the contact").await;
    b.press("Save triage").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    assert!(b.path().await.ends_with(&format!("{reference}/triage")));
    b.close().await;
}
