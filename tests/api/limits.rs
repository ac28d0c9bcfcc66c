//! Issue 17, finding 2: the public form's hourly limit and sign-in throttling hold under
//! concurrency (check and record are one atomic step), and only stored submissions count.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use redress::db::schema::{cases, public_submissions};
use redress::db::DbConnection;
use redress::domain::Role;
use redress::web::public::SUBMISSIONS_PER_HOUR;

use crate::helpers::{for_each_backend, TestApp, PASSWORD};
use crate::intake::public_fields;

const PARALLEL: usize = 20;

/// Sends `PARALLEL` copies of the same form at once from one browser (one address, one
/// session and CSRF token) and returns the status codes.
async fn post_in_parallel(app: &TestApp, path: &str, fields: Vec<(String, String)>) -> Vec<u16> {
    let mut fields = fields;
    fields.push(("csrf_token".into(), app.csrf().await));
    let body = serde_html_form::to_string(&fields).unwrap();
    let requests: Vec<_> = (0..PARALLEL)
        .map(|_| {
            let request = app
                .client
                .post(app.url(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(body.clone());
            tokio::spawn(async move { request.send().await.unwrap().status().as_u16() })
        })
        .collect();
    let mut statuses = Vec::new();
    for request in requests {
        statuses.push(request.await.unwrap());
    }
    statuses
}

fn count(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

fn stored_cases(app: &TestApp) -> i64 {
    cases::table.count().get_result(&mut app.conn()).unwrap()
}

#[tokio::test]
async fn twenty_parallel_public_submissions_from_one_address_accept_exactly_the_limit() {
    for_each_backend(|app| async move {
        let statuses = post_in_parallel(&app, "/complain", public_fields()).await;
        let limit = SUBMISSIONS_PER_HOUR as usize;
        assert_eq!(
            count(&statuses, 200),
            limit,
            "{statuses:?} on {}",
            app.backend
        );
        assert_eq!(count(&statuses, 429), PARALLEL - limit, "{}", app.backend);
        assert_eq!(stored_cases(&app), SUBMISSIONS_PER_HOUR);
        let counted: i64 = public_submissions::table
            .count()
            .get_result(&mut app.conn())
            .unwrap();
        assert_eq!(counted, SUBMISSIONS_PER_HOUR, "{}", app.backend);
    })
    .await;
}

/// Makes every insert into `cases` fail, as a full disk or a broken constraint would.
fn refuse_new_cases(conn: &mut DbConnection) {
    let sql = match conn {
        DbConnection::Sqlite(_) => {
            "CREATE TRIGGER refuse_cases BEFORE INSERT ON cases \
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;"
        }
        DbConnection::Pg(_) => {
            "CREATE FUNCTION refuse_cases() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$; \
             CREATE TRIGGER refuse_cases BEFORE INSERT ON cases \
             FOR EACH ROW EXECUTE FUNCTION refuse_cases();"
        }
    };
    conn.batch_execute(sql).unwrap();
}

fn accept_new_cases(conn: &mut DbConnection) {
    conn.batch_execute("DROP TRIGGER refuse_cases ON cases")
        .or_else(|_| conn.batch_execute("DROP TRIGGER refuse_cases"))
        .unwrap();
}

#[tokio::test]
async fn submissions_that_are_refused_or_fail_to_store_spend_no_quota() {
    for_each_backend(|app| async move {
        let post = |fields: Vec<(String, String)>| {
            let app = app.clone_client();
            async move {
                let borrowed: Vec<(&str, &str)> = fields
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                app.post_form("/complain", &borrowed).await.status()
            }
        };
        let mut invalid = public_fields();
        invalid.retain(|(k, _)| k != "description");
        for _ in 0..SUBMISSIONS_PER_HOUR {
            assert_eq!(post(invalid.clone()).await, 400, "shown again with errors");
        }
        refuse_new_cases(&mut app.conn());
        for _ in 0..SUBMISSIONS_PER_HOUR {
            let status = post(public_fields()).await;
            assert!(
                status.is_server_error(),
                "storing failed: {status} on {}",
                app.backend
            );
        }
        accept_new_cases(&mut app.conn());
        for n in 0..SUBMISSIONS_PER_HOUR {
            assert_eq!(
                post(public_fields()).await,
                200,
                "submission {n} on {}",
                app.backend
            );
        }
        assert_eq!(post(public_fields()).await, 429);
        assert_eq!(stored_cases(&app), SUBMISSIONS_PER_HOUR);
    })
    .await;
}

#[tokio::test]
async fn twenty_parallel_wrong_passwords_get_exactly_five_password_checks() {
    for_each_backend(|app| async move {
        app.create_user("jo@example.org", "Jo", Role::Officer, &[]);
        let guess = [
            ("email".to_string(), "jo@example.org".to_string()),
            (
                "password".to_string(),
                "not-the-password-at-all".to_string(),
            ),
        ];
        let statuses = post_in_parallel(&app, "/login", guess.to_vec()).await;
        // Each refused sign-in is the form shown again with its error: 400.
        assert_eq!(count(&statuses, 400), PARALLEL, "{statuses:?}");
        let limit = redress::auth::throttle::ACCOUNT_LIMIT;
        assert_eq!(app.audit_count("sign_in_failed"), limit, "{}", app.backend);
        assert_eq!(
            app.audit_count("sign_in_locked"),
            PARALLEL as i64 - limit,
            "{}",
            app.backend
        );
        // Locked now, even with the right password.
        let page = app
            .sign_in("jo@example.org", PASSWORD)
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("too many failed attempts"), "{}", app.backend);
    })
    .await;
}

#[tokio::test]
async fn a_correct_password_is_not_counted_as_a_failure() {
    for_each_backend(|app| async move {
        app.create_user("jo@example.org", "Jo", Role::Officer, &[]);
        let limit = redress::auth::throttle::ACCOUNT_LIMIT;
        for _ in 0..limit - 1 {
            app.with_new_client()
                .sign_in("jo@example.org", "not-the-password-at-all")
                .await;
        }
        for _ in 0..3 {
            let ok = app
                .with_new_client()
                .sign_in("jo@example.org", PASSWORD)
                .await;
            assert_eq!(ok.status(), 303, "{}", app.backend);
        }
    })
    .await;
}
