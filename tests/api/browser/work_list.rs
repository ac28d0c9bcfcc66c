//! The work list's filters through htmx: changing a filter or typing a search swaps only the
//! results (the page is not reloaded: a value left on `window` survives), the address bar
//! follows so the filtered list can be bookmarked or shared, the count is announced in the
//! live region, and the updated page passes axe. And its layout (issue 23): fifteen rows in
//! the first 800 px at 1280 wide, the filter panel collapsing, a tag removing its filter,
//! sorting from the keyboard.

use fantoccini::key::Key;
use fantoccini::Locator;
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
    // The filters are in a panel that starts closed.
    b.client
        .execute(
            "document.querySelector('#filter-panel summary').click();",
            vec![],
        )
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

/// The rows in the order the table shows them.
async fn shown(b: &Browser) -> Vec<String> {
    let rows = b
        .client
        .execute(
            "return Array.from(document.querySelectorAll('#case-results tbody tr'))
               .map(r => r.dataset.reference);",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(rows).unwrap()
}

#[tokio::test]
async fn work_list_shows_fifteen_rows_collapses_its_filters_and_sorts_by_keyboard() {
    require_chromium!();
    let app = spawn_app(Backend::Sqlite).await;
    let t = team(&app).await;
    let mut references = Vec::new();
    for _ in 0..18 {
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

    // At 1280 wide, at least fifteen whole rows lie in the first 800 px of the page.
    b.client.set_window_size(1280, 800).await.unwrap();
    b.visit("/cases").await;
    let measured = b
        .client
        .execute(
            "window.scrollTo(0, 0);
             return { width: window.innerWidth,
                      rows: Array.from(document.querySelectorAll('#case-results tbody tr'))
                        .filter(r => r.getBoundingClientRect().bottom <= 800).length };",
            vec![],
        )
        .await
        .unwrap();
    eprintln!("rows in the first 800 px at 1280 wide: {measured}");
    assert!(
        measured["rows"].as_u64().unwrap() >= 15,
        "rows in the first 800 px: {measured}"
    );
    b.screenshot("work-list-fifteen-rows").await;

    // Sorting from the keyboard: Tab to the Reference header's link, Enter sorts ascending,
    // Enter again (on the new page's same link) descending.
    b.tab_to_text("Reference", 80).await;
    b.key_to_new_page(Key::Enter).await;
    let mut ascending = references.clone();
    ascending.sort();
    assert_eq!(shown(&b).await, ascending);
    assert_eq!(b.text_of("th[aria-sort='ascending']").await, "Reference");
    assert!(b.path().await.contains("sort=reference&order=asc"));
    b.tab_to_text("Reference", 80).await;
    b.key_to_new_page(Key::Enter).await;
    let descending: Vec<String> = ascending.iter().rev().cloned().collect();
    assert_eq!(shown(&b).await, descending);
    assert_eq!(b.text_of("th[aria-sort='descending']").await, "Reference");

    // A tag removes its own filter and keeps the rest (here the search and the sort).
    let path = format!(
        "/cases?q={}&stage=stage1&sort=reference&order=desc",
        references[0]
    );
    b.visit(&path).await;
    assert_eq!(shown(&b).await, [references[0].clone()]);
    b.click_to_new_page(Locator::XPath(
        "//a[@class='app-filter-tag'][contains(., 'Stage: Stage 1')]",
    ))
    .await;
    let now = b.path().await;
    assert!(!now.contains("stage="), "{now}");
    assert!(now.contains(&format!("q={}", references[0])), "{now}");
    assert!(now.contains("sort=reference&order=desc"), "{now}");
    // The visually hidden prefix is a line of its own in innerText.
    let tags = b.text_of("#active-filters").await;
    assert_eq!(
        tags.split_whitespace().collect::<Vec<_>>().join(" "),
        format!("Remove this filter: Search: {}", references[0])
    );

    // On a narrow screen the filter panel starts closed; its summary opens and closes it.
    b.client.set_window_size(375, 800).await.unwrap();
    b.visit("/cases?stage=stage1").await;
    let state = "({ open: document.getElementById('filter-panel').open,
                    visible: document.getElementById('stage').checkVisibility() })";
    let closed = b
        .client
        .execute(&format!("return {state};"), vec![])
        .await
        .unwrap();
    assert_eq!(closed, json!({ "open": false, "visible": false }));
    b.client
        .execute(
            "document.querySelector('#filter-panel summary').click();",
            vec![],
        )
        .await
        .unwrap();
    let opened = b
        .client
        .execute(&format!("return {state};"), vec![])
        .await
        .unwrap();
    assert_eq!(opened, json!({ "open": true, "visible": true }));
    b.check().await;
    b.client
        .execute(
            "document.querySelector('#filter-panel summary').click();",
            vec![],
        )
        .await
        .unwrap();
    let closed = b
        .client
        .execute(&format!("return {state};"), vec![])
        .await
        .unwrap();
    assert_eq!(closed, json!({ "open": false, "visible": false }));
    b.close().await;
}
