//! Correcting a case after logging (issue 20), in a real browser: the case details page and
//! every change form through axe (empty and with errors), as the officer and as the manager
//! the case is assigned to; and an officer correcting a telephone number and an address with
//! the keyboard alone, from the case page.

use fantoccini::key::Key;

use super::errors::assert_error_summary_links_to_fields;
use super::page::Browser;
use super::require_chromium;
use super::steps::today;
use crate::helpers::{spawn_app, Backend};
use crate::triage::{act, log_case, team};
use redress::domain::Role;

const HOP: usize = 60;

#[tokio::test]
async fn the_details_page_and_change_forms_pass_axe() {
    require_chromium!();
    let app = spawn_app(Backend::Sqlite).await;
    let t = team(&app).await;
    let reference = log_case(&t.officer, today(), &[]).await;
    act(&t.officer, &reference, "triage", &[("decision", "stage1")]).await;
    let (area, manager) = (t.area.to_string(), t.manager.to_string());
    act(
        &t.officer,
        &reference,
        "assign",
        &[("service_area", &area), ("manager", &manager)],
    )
    .await;
    app.create_user("cat@example.org", "Cat Officer", Role::Officer, &[]);
    let case = format!("/cases/{reference}");

    let mut b = Browser::start(&app).await;
    b.sign_in("cat@example.org").await;
    b.visit(&case).await;
    b.follow(&format!("View or change the case details of {reference}"))
        .await;
    b.assert_heading("Case details").await;
    b.screenshot("case-details").await;
    for form in [
        "complainant",
        "adjustments",
        "flags",
        "dates",
        "classification",
        "description",
        "officer",
    ] {
        b.visit(&format!("{case}/details/{form}")).await;
    }
    // Errors: a name taken out, an interpreter without a language, a date that is no date,
    // nothing changed.
    b.visit(&format!("{case}/details/complainant")).await;
    b.fill("complainant-name", "").await;
    b.press("Save changes").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    b.visit(&format!("{case}/details/adjustments")).await;
    b.choose("adjustments-interpreter").await;
    b.press("Save changes").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    b.visit(&format!("{case}/details/dates")).await;
    b.fill("received-day", "31").await;
    b.fill("received-month", "2").await;
    b.press("Save changes").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    b.visit(&format!("{case}/details/flags")).await;
    b.press("Save changes").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    // After acknowledgement: the complaint points, amended with a reason.
    let acknowledged = crate::investigation::stage1_case(&app, &t, today(), today()).await;
    b.visit(&format!("/cases/{acknowledged}/details")).await;
    b.follow("Change complaint points").await;
    b.press("Save changes").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    b.sign_out().await;

    // The assigned manager may change the adjustments, nothing else.
    b.sign_in("mia@example.org").await;
    b.visit(&format!("{case}/details")).await;
    b.follow("Change reasonable adjustments").await;
    b.choose("adjustments").await;
    b.press("Save changes").await;
    b.check().await;
    b.assert_text("Adjustments and vulnerability notes changed")
        .await;
    b.assert_text("Large print").await;
    b.close().await;
}

/// Presses Backspace enough times to empty the focused box.
async fn clear_focused(b: &Browser) {
    b.keys(&[Key::End.into()]).await;
    let backspaces: Vec<char> = std::iter::repeat_n(Key::Backspace.into(), 40).collect();
    b.keys(&backspaces).await;
}

async fn retype(b: &Browser, id: &str, text: &str) {
    b.tab_to(id, HOP).await;
    clear_focused(b).await;
    b.type_text(text).await;
}

#[tokio::test]
async fn an_officer_corrects_a_telephone_number_and_address_with_the_keyboard() {
    require_chromium!();
    let app = spawn_app(Backend::Sqlite).await;
    app.create_user("kim@example.org", "Kim Officer", Role::Officer, &[]);
    let officer = app.signed_in_as(Role::Officer).await;
    let reference = log_case(
        &officer,
        today(),
        &[
            ("phone", "01632 960 000"),
            ("address_line_1", "1 Old Road"),
            ("address_town", "Anytown"),
            ("address_postcode", "AN1 1AA"),
        ],
    )
    .await;
    let mut b = Browser::start(&app).await;
    b.sign_in("kim@example.org").await;
    b.visit(&format!("/cases/{reference}")).await;

    b.tab_to_text(
        &format!("View or change the case details of {reference}"),
        HOP * 2,
    )
    .await;
    b.key_to_new_page(Key::Enter).await;
    b.assert_heading("Case details").await;
    b.tab_to_text("Change telephone number", HOP).await;
    b.key_to_new_page(Key::Enter).await;
    b.assert_heading("Change the complainant's details").await;

    retype(&b, "phone", "07700 900 123").await;
    retype(&b, "address-line-1", "22 New Street").await;
    retype(&b, "address-postcode", "AN2 2BB").await;
    b.tab_to_text("Save changes", HOP).await;
    b.key_to_new_page(Key::Enter).await;

    assert!(
        b.path().await.ends_with("/details"),
        "saved: {}",
        b.main_text().await
    );
    b.assert_text("Complainant's details changed").await;
    b.assert_text("07700900123").await;
    b.assert_text("22 New Street").await;
    b.assert_text("AN2 2BB").await;
    b.close().await;
}
