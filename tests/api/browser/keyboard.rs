//! One path through logging a complaint with the keyboard alone: Tab to move, Space to tick,
//! arrow keys within a radio group, typing, and Enter to follow a link or press a button —
//! sent through WebDriver's keyboard actions, with no clicks. On the way it checks that the
//! skip link comes first and that focus is visible where it lands.

use fantoccini::key::Key;
use serde_json::json;

use super::page::Browser;
use super::require_chromium;
use super::steps::today;
use crate::helpers::{spawn_app, Backend};
use redress::domain::Role;

/// How many Tab presses may separate one field from the next (the form has many optional
/// fields between the ones this path fills).
const HOP: usize = 40;

async fn type_into(b: &Browser, id: &str, text: &str) {
    b.tab_to(id, HOP).await;
    assert_focus_visible(b).await;
    b.type_text(text).await;
}

/// Focuses the radio group whose first radio has this id and selects `value` with Space and
/// the arrow keys.
async fn pick_with_keys(b: &Browser, first_id: &str, value: &str) {
    b.tab_to(first_id, HOP).await;
    b.keys(&[' ']).await;
    for _ in 0..12 {
        let current = b
            .client
            .execute(
                "const e = document.activeElement; return e.checked ? e.value : '';",
                vec![],
            )
            .await
            .unwrap();
        if current == json!(value) {
            return;
        }
        b.keys(&[Key::Down.into()]).await;
    }
    panic!("could not reach {value} in the group of #{first_id} with the arrow keys");
}

async fn date_with_keys(b: &Browser, id: &str, on: chrono::NaiveDate) {
    use chrono::Datelike;
    type_into(b, &format!("{id}-day"), &on.day().to_string()).await;
    b.keys(&[Key::Tab.into()]).await;
    b.type_text(&on.month().to_string()).await;
    b.keys(&[Key::Tab.into()]).await;
    b.type_text(&on.year().to_string()).await;
}

/// GOV.UK's focus state: a yellow outline or box shadow, never nothing.
async fn assert_focus_visible(b: &Browser) {
    let style = b
        .client
        .execute(
            "const s = getComputedStyle(document.activeElement);
             return [s.outlineStyle, s.boxShadow];",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        style[0] != json!("none") || style[1] != json!("none"),
        "no visible focus on #{}: {style}",
        b.focused_id().await
    );
}

#[tokio::test]
async fn an_officer_logs_a_complaint_with_the_keyboard_only() {
    require_chromium!();
    let app = spawn_app(Backend::Sqlite).await;
    app.create_user("kim@example.org", "Kim Officer", Role::Officer, &[]);
    let mut b = Browser::start(&app).await;
    b.sign_in("kim@example.org").await;

    // The first Tab on a page reaches the skip link.
    b.keys(&[Key::Tab.into()]).await;
    let first = b
        .client
        .execute("return document.activeElement.textContent.trim();", vec![])
        .await
        .unwrap();
    assert_eq!(first, json!("Skip to main content"));
    assert_focus_visible(&b).await;

    b.tab_to_text("Log a complaint", HOP).await;
    assert_focus_visible(&b).await;
    b.key_to_new_page(Key::Enter).await;
    b.assert_heading("Log a complaint").await;

    type_into(&b, "complainant-name", "Kim Keyboard").await;
    pick_with_keys(&b, "tenancy-relationship", "tenant").await;
    type_into(&b, "email", "kim.keyboard@example.org").await;
    pick_with_keys(&b, "channel", "phone").await;
    date_with_keys(&b, "received", today()).await;
    date_with_keys(&b, "occurred", today()).await;
    type_into(
        &b,
        "description",
        "Typed without a mouse: the lift is broken.",
    )
    .await;
    b.tab_to_text("Log complaint", HOP).await;
    assert_focus_visible(&b).await;
    b.key_to_new_page(Key::Enter).await;

    assert!(
        b.path().await.starts_with("/cases/CMP-"),
        "logged: {}",
        b.main_text().await
    );
    b.assert_text("Kim Keyboard").await;
    b.assert_text("Phone").await;
    b.close().await;
}

/// The case page's next step with the keyboard alone: Tab from the top of the page reaches
/// the one primary button, with focus visible, and Enter opens its form.
#[tokio::test]
async fn the_case_pages_next_step_is_reached_with_the_keyboard() {
    require_chromium!();
    let app = spawn_app(Backend::Sqlite).await;
    app.create_user("kim@example.org", "Kim Officer", Role::Officer, &[]);
    let officer = app.with_new_client();
    officer
        .sign_in("kim@example.org", crate::helpers::PASSWORD)
        .await;
    let reference = crate::triage::log_case(&officer, today(), &[]).await;
    let mut b = Browser::start(&app).await;
    b.sign_in("kim@example.org").await;
    b.visit(&format!("/cases/{reference}")).await;
    b.tab_to("next-step", HOP).await;
    assert_focus_visible(&b).await;
    b.key_to_new_page(Key::Enter).await;
    assert_eq!(b.path().await, format!("/cases/{reference}/triage"));
    b.close().await;
}
