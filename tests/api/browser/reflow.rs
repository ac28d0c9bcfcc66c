//! WCAG 1.4.10 Reflow, which axe cannot test: at 320 CSS pixels wide (a phone, or 1280 at
//! 400% zoom) the main pages read without scrolling sideways — apart from data tables, which
//! the rule exempts — and still pass axe at that width.

use serde_json::json;

use super::page::Browser;
use super::require_chromium;
use super::steps::today;
use crate::helpers::{spawn_app, Backend};
use crate::triage::{log_case, team};
use redress::domain::Role;

/// Elements outside tables whose right edge passes the viewport's.
async fn overflowing(b: &Browser) -> serde_json::Value {
    b.client
        .execute(
            "const width = document.documentElement.clientWidth;
             return Array.from(document.querySelectorAll('body *'))
               .filter(e => !e.closest('table') && e.getClientRects().length > 0)
               .filter(e => e.getBoundingClientRect().right > width + 1)
               .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' +
                    Array.from(e.classList).join('.'))
               .slice(0, 10);",
            vec![],
        )
        .await
        .expect("measure the page")
}

#[tokio::test]
async fn the_main_pages_reflow_at_320_pixels() {
    require_chromium!();
    let app = spawn_app(Backend::Sqlite).await;
    let t = team(&app).await;
    let reference = log_case(&t.officer, today(), &[]).await;
    app.create_user("ria@example.org", "Ria Officer", Role::Officer, &[]);
    let mut b = Browser::start(&app).await;
    b.client
        .set_window_size(320, 800)
        .await
        .expect("narrow window");
    let width = b
        .client
        .execute("return document.documentElement.clientWidth;", vec![])
        .await
        .unwrap();
    assert!(width.as_u64().unwrap() <= 340, "viewport {width}");

    b.visit("/complain").await;
    assert_eq!(overflowing(&b).await, json!([]), "/complain at 320 px");
    b.sign_in("ria@example.org").await;
    for path in [
        "/".to_string(),
        "/cases".into(),
        "/cases/new".into(),
        format!("/cases/{reference}"),
        format!("/cases/{reference}/triage"),
    ] {
        b.visit(&path).await;
        assert_eq!(overflowing(&b).await, json!([]), "{path} at 320 px");
    }
    b.close().await;
}

/// The report tables fit a 1,280-pixel screen: no sideways scrolling, and each table within
/// the page's column (a breakdown is split into a timeliness and an outcomes table).
#[tokio::test]
async fn report_tables_fit_1280_pixels() {
    require_chromium!();
    let app = spawn_app(Backend::Sqlite).await;
    let t = team(&app).await;
    log_case(&t.officer, today(), &[]).await;
    app.create_user("ria@example.org", "Ria Officer", Role::Officer, &[]);
    let mut b = Browser::start(&app).await;
    b.client
        .set_window_size(1280, 800)
        .await
        .expect("desktop window");
    b.sign_in("ria@example.org").await;
    for path in [
        "/reports/performance",
        "/reports/contractors",
        "/reports/tsm",
        "/reports/annual",
        "/reports/evidence",
    ] {
        b.visit(path).await;
        let measured = b
            .client
            .execute(
                "const column = document.querySelector('main').getBoundingClientRect().right;
                 return {
                   sideways: document.documentElement.scrollWidth >
                             document.documentElement.clientWidth,
                   tables: document.querySelectorAll('table').length,
                   wider: Array.from(document.querySelectorAll('table'))
                     .filter(t => t.getBoundingClientRect().right > column + 1)
                     .map(t => t.id || t.className),
                 };",
                vec![],
            )
            .await
            .expect("measure the tables");
        assert_eq!(
            measured["sideways"],
            json!(false),
            "{path} scrolls sideways"
        );
        assert!(
            measured["tables"].as_u64().unwrap() > 0,
            "{path} has tables"
        );
        assert_eq!(
            measured["wider"],
            json!([]),
            "{path}: tables wider than the page"
        );
    }
}

/// The navigation bar keeps one line at 1,280 pixels for every role (the signed-in name and
/// "Sign out" sit in the black header above it; the letters pages share one item).
#[tokio::test]
async fn the_navigation_fits_one_line_at_1280_pixels() {
    require_chromium!();
    let app = spawn_app(Backend::Sqlite).await;
    let mut b = Browser::start(&app).await;
    b.client
        .set_window_size(1280, 800)
        .await
        .expect("desktop window");
    for (email, role) in [
        ("officer@example.org", Role::Officer),
        ("manager@example.org", Role::Manager),
        ("director@example.org", Role::Director),
        ("admin@example.org", Role::Admin),
    ] {
        app.create_user(email, "Alexandra Montgomery-Smith", role, &[]);
        b.sign_in(email).await;
        let measured = b
            .client
            .execute(
                "const items = Array.from(document.querySelectorAll('.govuk-service-navigation__item'));
                 return {
                   items: items.length,
                   lines: new Set(items.map(i => Math.round(i.getBoundingClientRect().top))).size,
                 };",
                vec![],
            )
            .await
            .expect("measure the navigation");
        assert!(
            measured["items"].as_u64().unwrap() >= 2,
            "{role:?}: {measured}"
        );
        assert_eq!(measured["lines"], json!(1), "{role:?}: {measured}");
        b.sign_out().await;
    }
}
