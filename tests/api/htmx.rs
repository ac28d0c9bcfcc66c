//! htmx's requests (issue 21): a partial only for htmx's own swaps. When the person presses
//! Back and htmx has no copy of the page it asks again with `HX-History-Restore-Request`:
//! that gets the whole page, header and navigation included. An error answered to htmx
//! replaces the whole page rather than a piece of one.

use redress::domain::Role;

use crate::helpers::{for_each_backend, TestApp};
use crate::triage::{log_case, today};

async fn get_with(client: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = client.client.get(client.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("GET")
}

const HTMX: (&str, &str) = ("HX-Request", "true");
const RESTORE: (&str, &str) = ("HX-History-Restore-Request", "true");

/// The layout's header and navigation, which partials leave out.
fn is_full_page(html: &str) -> bool {
    html.contains("<header") && html.contains("govuk-service-navigation")
}

#[tokio::test]
async fn a_history_restore_gets_the_full_page_where_htmx_gets_a_partial() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let reference = log_case(&officer, today(), &[]).await;
        for path in [
            "/cases?list=all".to_string(),
            format!("/cases/{reference}/letters"),
        ] {
            let partial = get_with(&officer, &path, &[HTMX]).await;
            assert_eq!(partial.status(), 200, "{path}");
            assert!(
                !is_full_page(&partial.text().await.unwrap()),
                "htmx gets a partial of {path} on {}",
                app.backend
            );
            let restored = get_with(&officer, &path, &[HTMX, RESTORE]).await;
            assert_eq!(restored.status(), 200, "{path}");
            let vary = restored
                .headers()
                .get("vary")
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default();
            let html = restored.text().await.unwrap();
            assert!(
                is_full_page(&html),
                "a history restore of {path} gets the whole page on {}: {html}",
                app.backend
            );
            if path.starts_with("/cases?") {
                assert!(vary.contains("HX-History-Restore-Request"), "{vary}");
            }
        }
    })
    .await;
}

#[tokio::test]
async fn an_error_answered_to_htmx_replaces_the_whole_page() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let missing = get_with(&officer, "/cases/CMP-1999-999999/letters", &[HTMX]).await;
        assert_eq!(missing.status(), 404);
        let header = |name: &str| {
            missing
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_string())
        };
        assert_eq!(
            header("hx-retarget").as_deref(),
            Some("body"),
            "{}",
            app.backend
        );
        assert_eq!(header("hx-reswap").as_deref(), Some("innerHTML"));
        let html = missing.text().await.unwrap();
        assert!(html.contains("Page not found"), "{html}");
        // Without htmx the same error is an ordinary page with no htmx headers.
        let plain = get_with(&officer, "/cases/CMP-1999-999999/letters", &[]).await;
        assert_eq!(plain.status(), 404);
        assert!(plain.headers().get("hx-retarget").is_none());
    })
    .await;
}
