//! The Code's letters (issue 25) and the TSM page through axe: the escalation refusal,
//! action completed and progress update letters, the form for how often to update the
//! resident (empty of errors and with one), the case page with a progress update in its
//! header, the letters owed page, and the TSM page split by tenure.

use chrono::Duration;
use diesel::prelude::*;
use redress::db::schema::remedies;
use redress::domain::Role;

use super::page::Browser;
use super::require_chromium;
use super::steps::today;
use crate::code_letters::{answered, prefers_email, refuse};
use crate::helpers::{spawn_app_with, Backend};
use crate::triage::team;

#[tokio::test]
async fn the_code_letters_and_the_tsm_page_pass_axe() {
    require_chromium!();
    let year = redress::reports::period::Period::year_of(today());
    let app = spawn_app_with(Backend::Sqlite, move |s| {
        s.reports.tenure_homes.insert(
            year.to_string(),
            redress::config::TenureHomes {
                lcra: 900,
                lcho: 100,
            },
        );
    })
    .await;
    let t = team(&app).await;
    let refused = answered(
        &app,
        &t,
        today() - Duration::days(3),
        today() - Duration::days(2),
        today(),
        &[],
        None,
    )
    .await;
    refuse(&t, &refused, "The resident raised a new matter").await;
    let owner = t.manager.to_string();
    let actions = answered(
        &app,
        &t,
        today() - Duration::days(3),
        today() - Duration::days(2),
        today(),
        &[
            ("remedy_kind_1", "put_right"),
            ("remedy_description_1", "Fix the boiler"),
            ("remedy_owner_1", &owner),
            ("remedy_kind_2", "put_right"),
            ("remedy_description_2", "Replace the radiator valve"),
            ("remedy_owner_2", &owner),
        ],
        Some(today() + Duration::days(30)),
    )
    .await;
    prefers_email(&app);
    let boiler: i32 = remedies::table
        .filter(remedies::description.eq("Fix the boiler"))
        .select(remedies::id)
        .first(&mut app.conn())
        .unwrap();
    let done = t
        .manager_client
        .post_form(
            &format!("/actions/remedies/{boiler}/done"),
            &[("evidence", "Job 123 closed")],
        )
        .await;
    assert_eq!(done.status(), 303);
    // An update every working day, so one is owed on the case with the valve outstanding.
    let agreed = crate::triage::act(
        &t.manager_client,
        &actions,
        "progress-updates",
        &[("every", "1")],
    )
    .await;
    assert_eq!(agreed.status(), 303);
    app.create_user("ria@example.org", "Ria Officer", Role::Officer, &[]);
    app.create_user("dee@example.org", "Dee Director", Role::Director, &[t.area]);

    let mut b = Browser::start(&app).await;
    b.sign_in("ria@example.org").await;
    for path in [
        format!("/cases/{refused}/letters"),
        format!("/cases/{refused}/letters/escalation_refusal"),
        format!("/cases/{actions}"),
        format!("/cases/{actions}/letters"),
        format!("/cases/{actions}/letters/action_completed"),
        format!("/cases/{actions}/letters/progress_update"),
        format!("/cases/{actions}/progress-updates"),
        "/letters/owed".into(),
        "/reports/tsm".into(),
    ] {
        b.visit(&path).await;
    }
    // The refusal letter sent without its ground: the error passes too.
    b.visit(&format!("/cases/{refused}/letters/escalation_refusal"))
        .await;
    b.press("Send letter").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    b.visit(&format!("/cases/{actions}/progress-updates")).await;
    b.fill("every", "ten").await;
    b.press("Save").await;
    assert!(b.title().await.starts_with("Error:"), "{}", b.title().await);
    b.sign_out().await;

    b.sign_in("dee@example.org").await;
    for path in [format!("/cases/{actions}"), "/reports/tsm".to_string()] {
        b.visit(&path).await;
    }
    b.close().await;
}
