//! The work list's filters through htmx: changing a filter or typing a search swaps only the
//! results (the page is not reloaded: a value left on `window` survives), the address bar
//! follows so the filtered list can be bookmarked or shared, the count is announced in the
//! live region, and the updated page passes axe.

use serde_json::json;

use super::page::Browser;
use super::require_chromium;
use super::steps::today;
use crate::helpers::{spawn_app, Backend};
use crate::triage::{act, log_case, team};
use redress::domain::Role;

#[tokio::test]
async fn work_list_filters_update_the_table_in_place_and_the_address() {
    require_chromium!();
    let app = spawn_app(Backend::Sqlite).await;
    // Three cases, one of them at stage 1, logged over HTTP by another officer.
    let t = team(&app).await;
    let mut references = Vec::new();
    for _ in 0..3 {
        references.push(log_case(&t.officer, today(), &[]).await);
    }
    let triaged = act(
        &t.officer,
        &references[0],
        "triage",
        &[("decision", "stage1")],
    )
    .await;
    assert_eq!(triaged.status(), 303);
    app.create_user("owen@example.org", "Owen Officer", Role::Officer, &[]);

    let mut b = Browser::start(&app).await;
    b.sign_in("owen@example.org").await;
    b.nav("Cases").await;
    b.assert_heading("Cases").await;
    assert_eq!(b.text_of("[data-results-count]").await, "3 cases");
    b.screenshot("work-list").await;

    // Mark this document: a full page load would lose it.
    b.client
        .execute("window.__sameDocument = 'still here';", vec![])
        .await
        .unwrap();
    b.select("stage", "stage1").await;
    b.wait_until(
        "document.querySelector('[data-results-count]').textContent.trim() === '1 case'",
        "the table to show the stage 1 case",
    )
    .await;
    b.wait_until(
        "location.search.includes('stage=stage1')",
        "the address to carry the filter",
    )
    .await;
    let rows = b
        .client
        .execute(
            "return Array.from(document.querySelectorAll('#case-results tbody tr'))
               .map(r => r.dataset.reference);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(rows, json!([references[0]]));
    b.wait_until(
        "document.getElementById('case-results-status').textContent.trim() === '1 case'",
        "the live region to announce the count",
    )
    .await;
    let same = b
        .client
        .execute("return window.__sameDocument;", vec![])
        .await
        .unwrap();
    assert_eq!(same, json!("still here"), "the filter reloaded the page");
    b.check().await;
    b.screenshot("work-list-filtered").await;

    // Back to any stage, then a search typed in the box (sent after a pause in typing).
    b.select("stage", "").await;
    b.wait_until(
        "document.querySelector('[data-results-count]').textContent.trim() === '3 cases'",
        "all three cases again",
    )
    .await;
    b.fill("q", &references[2]).await;
    b.wait_until(
        "document.querySelector('[data-results-count]').textContent.trim() === '1 case'",
        "the search to narrow the list",
    )
    .await;
    b.wait_until(
        &format!("location.search.includes('q={}')", references[2]),
        "the address to carry the search",
    )
    .await;
    assert_eq!(
        b.text_of("#case-results tbody th").await,
        references[2].as_str()
    );
    let same = b
        .client
        .execute("return window.__sameDocument;", vec![])
        .await
        .unwrap();
    assert_eq!(same, json!("still here"), "the search reloaded the page");
    b.check().await;

    // The address is a real page: opened afresh, it shows the same filtered list.
    let path = b.path().await;
    b.visit(&path).await;
    assert_eq!(b.text_of("[data-results-count]").await, "1 case");
    b.close().await;
}
