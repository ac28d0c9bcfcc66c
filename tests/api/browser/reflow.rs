//! WCAG 1.4.10 Reflow, which axe cannot test: at 320 CSS pixels wide (a phone, or 1280 at
//! 400% zoom) the main pages read without scrolling sideways — apart from data tables, which
//! the rule exempts — and still pass axe at that width.

use serde_json::json;

use super::page::Browser;
use super::require_chromium;
use super::steps::today;
use crate::helpers::{spawn_app, spawn_app_with, Backend};
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
/// the page's column (a breakdown is split into a timeliness and an outcomes table; the TSM
/// split by tenure is one table per tenure; the month chart has its figures beside it).
/// With a decided case, the year's homes and homes per tenure, so every table has rows.
#[tokio::test]
async fn report_tables_fit_1280_pixels() {
    require_chromium!();
    let year = redress::reports::period::Period::year_of(today());
    let app = spawn_app_with(Backend::Sqlite, move |s| {
        s.reports.homes.insert(year.to_string(), 12000);
        s.reports.tenure_homes.insert(
            year.to_string(),
            redress::config::TenureHomes {
                lcra: 11000,
                lcho: 1000,
            },
        );
    })
    .await;
    let t = team(&app).await;
    log_case(&t.officer, today(), &[]).await;
    crate::investigation::compensation_approved_case(&app, &t).await;
    app.create_user("ria@example.org", "Ria Officer", Role::Officer, &[]);
    let mut b = Browser::start(&app).await;
    b.client
        .set_window_size(1280, 800)
        .await
        .expect("desktop window");
    b.sign_in("ria@example.org").await;
    for (path, expected) in [
        ("/reports", None),
        ("/reports/performance", Some("table-stage-outcomes")),
        ("/reports/contractors", None),
        ("/reports/tsm", Some("tsm-lcho")),
        ("/reports/learning", None),
        ("/reports/annual", None),
        ("/reports/evidence", None),
    ] {
        b.visit(path).await;
        let measured = b
            .client
            .execute(
                "const column = document.querySelector('main').getBoundingClientRect().right;
                 const tables = Array.from(document.querySelectorAll('table'));
                 return {
                   page: document.documentElement.scrollWidth,
                   viewport: document.documentElement.clientWidth,
                   ids: tables.map(t => t.id),
                   widest: Math.max(0, ...tables.map(t => Math.ceil(t.getBoundingClientRect().width))),
                   wider: tables
                     .filter(t => t.getBoundingClientRect().right > column + 1)
                     .map(t => t.id || t.className),
                 };",
                vec![],
            )
            .await
            .expect("measure the tables");
        eprintln!(
            "{path}: page {} px in a {} px window, widest table {} px",
            measured["page"], measured["viewport"], measured["widest"]
        );
        assert!(
            measured["page"].as_u64().unwrap() <= measured["viewport"].as_u64().unwrap(),
            "{path} scrolls sideways: {measured}"
        );
        assert_eq!(
            measured["wider"],
            json!([]),
            "{path}: tables wider than the page"
        );
        if let Some(id) = expected {
            assert!(
                measured["ids"].as_array().unwrap().iter().any(|i| i == id),
                "{path} has table {id}: {measured}"
            );
        }
    }
}

/// The tops of the header's navigation items, one per item, at the window's width.
async fn navigation_rows(b: &Browser) -> serde_json::Value {
    b.client
        .execute(
            "return Array.from(new Set(Array.from(
               document.querySelectorAll('.govuk-service-navigation__item'))
               .map(e => Math.round(e.getBoundingClientRect().top))));",
            vec![],
        )
        .await
        .expect("measure the navigation")
}

#[tokio::test]
async fn the_navigation_fits_one_line_at_1280_pixels_for_each_role() {
    require_chromium!();
    let app = spawn_app(Backend::Sqlite).await;
    let mut b = Browser::start(&app).await;
    b.client
        .set_window_size(1280, 800)
        .await
        .expect("a desktop window");
    for (email, name, role) in [
        ("ria@example.org", "Ria Officer", Role::Officer),
        ("dee@example.org", "Dee Director", Role::Director),
        ("max@example.org", "Max Manager", Role::Manager),
        ("cllr@example.org", "Councillor Price", Role::Member),
    ] {
        app.create_user(email, name, role, &[]);
        b.sign_in(email).await;
        b.visit("/").await;
        let rows = navigation_rows(&b).await;
        assert_eq!(
            rows.as_array().map(Vec::len),
            Some(1),
            "{role:?}: navigation items start at {rows} px"
        );
        b.sign_out().await;
    }
    b.close().await;
}
