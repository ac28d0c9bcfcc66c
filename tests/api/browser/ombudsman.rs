//! The Housing Ombudsman register and its forms (issue 27) in a real browser: the register,
//! a contact, the figures and every form through axe, empty and with errors, as an officer;
//! the register and a contact as the area's director (read only).

use super::errors::assert_error_summary_links_to_fields;
use super::page::Browser;
use super::require_chromium;
use super::steps::today;
use crate::helpers::{spawn_app, Backend};
use crate::investigation::stage1_case;
use redress::domain::Role;

#[tokio::test]
async fn the_register_and_the_determination_form_pass_axe() {
    require_chromium!();
    let app = spawn_app(Backend::Sqlite).await;
    let t = crate::triage::team(&app).await;
    let reference = stage1_case(&app, &t, today(), today()).await;
    let waiting =
        crate::ombudsman::contact(&t.officer, &reference, "referral", today(), "2026001").await;
    crate::ombudsman::evidence_request(&t.officer, waiting, today(), 10).await;
    let determined =
        crate::ombudsman::contact(&t.officer, &reference, "designated_person", today(), "").await;
    crate::ombudsman::determine(
        &t.officer,
        determined,
        today(),
        &[
            ("Repairs", "maladministration"),
            ("Noise", "no_maladministration"),
        ],
        &[("compensation", "250", today() + chrono::Duration::days(28))],
        true,
    )
    .await;
    app.create_user("cat@example.org", "Cat Officer", Role::Officer, &[]);
    app.create_user("dan@example.org", "Dan Director", Role::Director, &[t.area]);

    let mut b = Browser::start(&app).await;
    b.sign_in("cat@example.org").await;
    b.visit("/ombudsman").await;
    b.assert_heading("Housing Ombudsman register").await;
    b.screenshot("ombudsman-register").await;
    b.visit("/ombudsman?state=awaiting-evidence&overdue=yes")
        .await;
    b.visit("/ombudsman/figures").await;
    b.visit(&format!("/cases/{reference}")).await;
    b.visit(&format!("/cases/{reference}/ombudsman/new")).await;
    b.press("Record the contact").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    b.visit(&format!("/ombudsman/{determined}")).await;
    b.visit(&format!("/ombudsman/{waiting}")).await;
    for form in ["evidence", "chfo", "review", "lessons"] {
        b.visit(&format!("/ombudsman/{waiting}/{form}")).await;
    }
    b.visit(&format!("/ombudsman/{waiting}/determination"))
        .await;
    b.screenshot("ombudsman-determination").await;
    // Errors: a finding without its element, an order without its date.
    b.select("finding-1", "maladministration").await;
    b.select("order-kind-1", "apology").await;
    b.press("Record the determination").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    b.visit(&format!("/ombudsman/{waiting}/evidence")).await;
    b.press("Record the request").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    assert_error_summary_links_to_fields(&b).await;
    b.sign_out().await;

    // The area's director reads the register and the contact, with nothing to record.
    b.sign_in("dan@example.org").await;
    b.visit("/ombudsman").await;
    b.visit(&format!("/ombudsman/{determined}")).await;
    let text = b.main_text().await;
    assert!(!text.contains("Close this contact"), "{text}");
    b.close().await;
}
