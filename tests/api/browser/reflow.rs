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
