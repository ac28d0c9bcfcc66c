//! The logging journey again with Chromium's JavaScript switched off (its content setting, as a
//! person or an organisation's policy would): every form still works as plain HTML, and the
//! work list's filters fall back to an ordinary GET. axe still runs — WebDriver's scripts are
//! not the page's.

use serde_json::json;

use super::driver::Scripts;
use super::errors::assert_axe_reports_violations;
use super::page::Browser;
use super::require_chromium;
use super::steps::{self, today, Staff};
use crate::helpers::{spawn_app, Backend};

#[tokio::test]
async fn an_officer_logs_and_acknowledges_a_complaint_with_javascript_off() {
    require_chromium!();
    let app = spawn_app(Backend::Sqlite).await;
    let staff = Staff::create(&app);
    let mut b = Browser::start_with(&app, Scripts::Off).await;
    assert_axe_reports_violations(&b).await;

    steps::first_sign_in(&mut b, &staff.officer).await;
    // The page's own scripts did not run: app.js would have marked the body.
    let marked = b
        .client
        .execute(
            "return document.body.classList.contains('js-enabled');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(marked, json!(false), "page scripts are off");

    let reference = steps::log_phone_complaint(&mut b, today()).await;
    steps::triage_to_stage1(&mut b, &reference).await;
    steps::assign(&mut b, &reference, staff.area, &staff.manager).await;
    steps::record_acknowledgement_by_hand(&mut b, &reference, today(), "Kitchen repair not done")
        .await;
    b.assert_text("Kitchen repair not done").await;

    // The work list: without htmx, "Apply filters" loads the filtered page. The filter panel
    // is a details element, which opens without JavaScript.
    b.nav("Cases").await;
    b.find(fantoccini::Locator::Css("#filter-panel summary"))
        .await
        .click()
        .await
        .expect("open the filter panel");
    b.select("stage", "stage1").await;
    b.press("Apply filters").await;
    assert!(
        b.path().await.contains("stage=stage1"),
        "{}",
        b.path().await
    );
    assert_eq!(b.text_of("[data-results-count]").await, "1 case");
    b.close().await;
}
