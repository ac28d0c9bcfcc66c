//! Acting on a work list (issue 24) in Chromium, with its scripts on and off: ticking rows
//! (with scripts, a header box ticks the page and the button counts what is ticked), the
//! bulk form, its result page and saving the list as a view. axe runs on every page.

use fantoccini::Locator;
use serde_json::json;

use super::driver::Scripts;
use super::page::Browser;
use super::require_chromium;
use super::steps::today;
use crate::helpers::{spawn_app, Backend, TestApp};
use crate::triage::{act, log_case, team, Team};
use redress::domain::Role;

/// Three cases at stage 1, not yet assigned, logged over HTTP by another officer.
async fn three_at_stage_one(t: &Team) -> Vec<String> {
    let mut references = Vec::new();
    for _ in 0..3 {
        let reference = log_case(&t.officer, today(), &[]).await;
        let triaged = act(&t.officer, &reference, "triage", &[("decision", "stage1")]).await;
        assert_eq!(triaged.status(), 303);
        references.push(reference);
    }
    references
}

/// Assigns what the bulk form holds to the team's manager and returns the result's heading.
async fn assign_on_the_form(b: &mut Browser, t: &Team) -> String {
    b.select("service-area", &t.area.to_string()).await;
    b.select("manager", &t.manager.to_string()).await;
    let button = b.text_of("#bulk-assign button").await;
    b.press(&button).await;
    b.heading().await
}

fn assigned(app: &TestApp, reference: &str, t: &Team) -> bool {
    crate::triage::row_of(app, reference).3 == Some(t.manager)
}

#[tokio::test]
async fn bulk_selection_with_javascript_ticks_the_page_and_counts() {
    require_chromium!();
    let app = spawn_app(Backend::Sqlite).await;
    let t = team(&app).await;
    let references = three_at_stage_one(&t).await;
    app.create_user("owen@example.org", "Owen Officer", Role::Officer, &[]);

    let mut b = Browser::start(&app).await;
    b.sign_in("owen@example.org").await;
    b.client.set_window_size(1280, 800).await.unwrap();
    b.visit("/cases?list=open&stage=stage1").await;
    assert_eq!(b.text_of("[data-results-count]").await, "3 cases");

    // The header's box ticks every row on the page; the button says how many.
    b.choose("select-page").await;
    let ticked = b
        .client
        .execute(
            "return Array.from(document.querySelectorAll('input[name=case]')).filter(i => i.checked).length;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(ticked, json!(3));
    assert_eq!(
        b.text_of("#act-on-ticked").await,
        "Act on the ticked cases (3)"
    );
    // Untick one: the header box is part-ticked, the count follows.
    b.choose_off(&format!("select-{}", references[2])).await;
    assert_eq!(
        b.text_of("#act-on-ticked").await,
        "Act on the ticked cases (2)"
    );
    let mixed = b
        .client
        .execute(
            "return document.getElementById('select-page').indeterminate;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(mixed, json!(true));
    b.check().await;
    b.screenshot("work-list-ticked").await;

    b.press("Act on the ticked cases (2)").await;
    b.assert_heading("Act on 2 cases").await;
    b.screenshot("bulk-form").await;
    let heading = assign_on_the_form(&mut b, &t).await;
    assert_eq!(heading, "2 of 2 cases assigned");
    b.screenshot("bulk-done").await;
    assert!(assigned(&app, &references[0], &t) && assigned(&app, &references[1], &t));
    assert!(!assigned(&app, &references[2], &t));

    // Saving the list as a view: it then sits beside the built-in lists with its count.
    b.follow("Back to the list").await;
    b.find(Locator::Css(".app-save-view summary"))
        .await
        .click()
        .await
        .expect("open Save this view");
    b.fill("view-name", "My stage 1").await;
    b.press("Save this view").await;
    b.assert_text("Saved as a view: My stage 1").await;
    assert_eq!(
        b.text_of(".app-work-lists__item--saved").await,
        "My stage 1 3"
    );
    b.follow("Your saved views").await;
    b.assert_heading("Your saved views").await;
    b.close().await;
}

#[tokio::test]
async fn bulk_selection_works_without_javascript() {
    require_chromium!();
    let app = spawn_app(Backend::Sqlite).await;
    let t = team(&app).await;
    let references = three_at_stage_one(&t).await;
    app.create_user("owen@example.org", "Owen Officer", Role::Officer, &[]);

    let mut b = Browser::start_with(&app, Scripts::Off).await;
    b.sign_in("owen@example.org").await;
    b.visit("/cases?list=open&stage=stage1").await;
    // No scripts: no header box, each row ticked on its own.
    let header_box = b
        .client
        .execute(
            "return document.getElementById('select-page').checkVisibility();",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(header_box, json!(false));
    b.choose(&format!("select-{}", references[0])).await;
    b.choose(&format!("select-{}", references[2])).await;
    b.press("Act on the ticked cases").await;
    b.assert_heading("Act on 2 cases").await;
    let heading = assign_on_the_form(&mut b, &t).await;
    assert_eq!(heading, "2 of 2 cases assigned");
    assert!(assigned(&app, &references[0], &t) && assigned(&app, &references[2], &t));

    // "All matching" needs no ticking: the one left, the others now assigned elsewhere too.
    b.follow("Back to the list").await;
    b.follow("Act on all 3 matching cases").await;
    b.assert_heading("Act on 3 cases").await;
    let heading = assign_on_the_form(&mut b, &t).await;
    // Two already assigned to this manager: assigning again is refused or done, never lost.
    assert!(heading.ends_with("of 3 cases assigned"), "{heading}");
    assert!(assigned(&app, &references[1], &t));
    b.close().await;
}
