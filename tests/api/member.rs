//! The governing body's member (SPEC section 1, Code section 9.5–9.6): reads every case,
//! report and governance page, changes nothing, and every page they open is audited.
//!
//! The write check reads the route tables in `src/web` (as the hostile-input table does), so
//! a POST route added later is refused to the member without a new row here.

use diesel::prelude::*;
use redress::db::schema::{audit_log, case_events, cases};
use redress::domain::Role;

use crate::helpers::{for_each_backend, TestApp, PASSWORD};
use crate::hostile_input::post_routes_in_source;
use crate::investigation::stage1_case;
use crate::triage::{log_case, team, today};

const MEMBER: &str = "cllr.ahmed@example.org";

/// Routes anyone may post signed out, and the member's own account: not refused.
const OPEN_TO_MEMBER: [&str; 7] = [
    "/login",
    "/login/code",
    "/complain",
    "/account",
    "/account/password",
    "/account/two-factor",
    "/logout",
];

async fn member(app: &TestApp) -> TestApp {
    app.create_user(MEMBER, "Councillor Ahmed", Role::Member, &[]);
    let client = app.with_new_client();
    assert_eq!(client.sign_in(MEMBER, PASSWORD).await.status(), 303);
    client
}

fn member_views(app: &TestApp) -> Vec<String> {
    audit_log::table
        .filter(audit_log::action.eq("member_page_viewed"))
        .select(audit_log::target)
        .order(audit_log::id.asc())
        .load(&mut app.conn())
        .unwrap()
}

fn history(app: &TestApp) -> (i64, i64) {
    let mut conn = app.conn();
    (
        cases::table.count().get_result(&mut conn).unwrap(),
        case_events::table.count().get_result(&mut conn).unwrap(),
    )
}

#[tokio::test]
async fn the_member_reads_every_case_and_report_and_each_view_is_audited() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        // A case in an area the member has nothing to do with, confidential.
        let reference = log_case(&t.officer, today(), &[("confidential", "true")]).await;
        let stage1 = stage1_case(&app, &t, today(), today()).await;
        let m = member(&app).await;
        for path in [
            "/",
            "/cases",
            &format!("/cases/{reference}"),
            &format!("/cases/{stage1}"),
            &format!("/cases/{stage1}/letters"),
            "/reports",
            "/reports/performance",
            "/reports/tsm",
            "/reports/learning",
            "/reports/pack",
        ] {
            let response = m.get(path).await;
            assert_eq!(response.status(), 200, "GET {path} on {}", app.backend);
        }
        for path in [
            "/cases/new".to_string(),
            format!("/cases/{reference}/triage"),
            format!("/cases/{stage1}/notes"),
            format!("/cases/{stage1}/extend"),
            "/admin/users".into(),
            "/outbox".into(),
            "/emails".into(),
            "/approvals".into(),
        ] {
            let response = m.get(&path).await;
            assert_eq!(response.status(), 403, "GET {path} on {}", app.backend);
        }
        // Each page opened is in the log, by path.
        let views = member_views(&app);
        assert!(
            views.contains(&format!("page:/cases/{reference}")),
            "{views:?}"
        );
        assert!(views.contains(&"page:/reports/learning".to_string()));
        assert!(views.contains(&"page:/reports/pack".to_string()));
        // The confidential identity stays withheld, and the page offers nothing to do.
        let page = m.get_html(&format!("/cases/{stage1}")).await;
        assert!(!page.contains("Add a note"), "no actions offered");
        assert!(!page.contains("type=\"file\""), "no evidence upload");
        let confidential = m.get_html(&format!("/cases/{reference}")).await;
        assert!(confidential.contains("Confidential complainant"));
        assert!(!confidential.contains("Jo Bloggs"));
    })
    .await;
}

/// Every other `{name}` in a route pattern (ids of requests, orders, actions...) as `1`, so
/// the route matches and it is the authorisation, not the router, that answers.
fn fill_placeholders(route: &str) -> String {
    let mut path = String::new();
    let mut rest = route;
    while let Some(open) = rest.find('{') {
        path.push_str(&rest[..open]);
        let close = rest[open..].find('}').expect("a closed placeholder") + open;
        path.push('1');
        rest = &rest[close + 1..];
    }
    path.push_str(rest);
    path
}

#[tokio::test]
async fn every_post_route_is_refused_to_the_member_and_writes_nothing() {
    for_each_backend(|app| async move {
        let t = team(&app).await;
        let reference = stage1_case(&app, &t, today(), today()).await;
        let m = member(&app).await;
        let token = m.csrf().await;
        let routes = post_routes_in_source();
        assert!(routes.len() > 40, "the route tables were read");
        let before = history(&app);
        let mut tried = 0;
        for route in &routes {
            if OPEN_TO_MEMBER.contains(&route.as_str()) {
                continue;
            }
            let path = fill_placeholders(
                &route
                    .replace("{reference}", &reference)
                    .replace("{kind}", "stage1_response"),
            );
            let response = m
                .post_raw(
                    &path,
                    &[
                        ("csrf_token", &token),
                        ("version", "1"),
                        ("last_event", "0"),
                    ],
                )
                .await;
            assert_eq!(
                response.status(),
                403,
                "POST {path} as the member on {}",
                app.backend
            );
            tried += 1;
        }
        assert!(tried > 40, "{tried} routes tried");
        assert_eq!(history(&app), before, "nothing written");
    })
    .await;
}

#[tokio::test]
async fn an_administrator_adds_the_member_responsible_for_complaints() {
    for_each_backend(|app| async move {
        let admin = app.signed_in_as(Role::Admin).await;
        let form = admin.get_html("/admin/users/new").await;
        assert!(form.contains("Governing body member"), "offered as a role");
        let created = admin
            .post_form(
                "/admin/users",
                &[
                    ("email", "cllr.price@example.org"),
                    ("display_name", "Councillor Price"),
                    ("role", "member"),
                ],
            )
            .await;
        assert_eq!(created.status(), 200, "on {}", app.backend);
        let row = redress::db::users::find_by_email(&mut app.conn(), "cllr.price@example.org")
            .unwrap()
            .expect("created");
        assert_eq!(row.role, "member");
    })
    .await;
}
