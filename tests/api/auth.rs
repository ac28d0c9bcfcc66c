//! Staff sign-in, throttling, sessions, password change and CSRF.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use redress::db::schema::{service_areas, sign_in_attempts};
use redress::domain::Role;
use redress::web::auth::WRONG_CREDENTIALS;

use crate::helpers::{for_each_backend, location, spawn_app_with, Backend, PASSWORD};

#[tokio::test]
async fn signing_in_shows_name_and_role_and_is_audited() {
    for_each_backend(|app| async move {
        app.create_user("jo@example.org", "Jo Bloggs", Role::Officer, &[]);
        let response = app.sign_in("JO@example.org ", PASSWORD).await;
        assert_eq!(response.status(), 303, "{}", app.backend);
        assert_eq!(location(&response), "/");
        let home = app.get_html("/").await;
        assert!(home.contains("Jo Bloggs"), "{}", app.backend);
        assert!(home.contains("Complaints officer"));
        assert_eq!(app.audit_count("sign_in"), 1);
    })
    .await;
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_message() {
    for_each_backend(|app| async move {
        app.create_user("jo@example.org", "Jo Bloggs", Role::Officer, &[]);
        let wrong = app
            .sign_in("jo@example.org", "not-the-password-at-all")
            .await;
        // The form is shown again with the error: 400, not a 200 that looks like success.
        assert_eq!(wrong.status(), 400);
        let wrong = wrong.text().await.unwrap();
        let unknown = app
            .sign_in("nobody@example.org", PASSWORD)
            .await
            .text()
            .await
            .unwrap();
        for page in [&wrong, &unknown] {
            assert!(page.contains(WRONG_CREDENTIALS), "{page}");
            assert!(page.contains("govuk-error-summary"));
        }
        // The typed email is kept; the password never is.
        assert!(wrong.contains("value=\"jo@example.org\""));
        assert!(!wrong.contains("not-the-password-at-all"));
        assert_eq!(app.audit_count("sign_in_failed"), 2);
        assert_eq!(app.get("/").await.status(), 303);
    })
    .await;
}

#[tokio::test]
async fn empty_fields_get_field_messages() {
    for_each_backend(|app| async move {
        let page = app.sign_in("", "").await.text().await.unwrap();
        assert!(page.contains("Enter your email address"));
        assert!(page.contains("Enter your password"));
        assert!(page.contains("href=\"#email\""));
        assert!(page.contains("<title>Error: Sign in"));
    })
    .await;
}

#[tokio::test]
async fn inactive_user_is_refused_and_deactivation_takes_effect_at_once() {
    for_each_backend(|app| async move {
        app.create_user_with("gone@example.org", "Gone", Role::Officer, &[], false, false);
        let page = app
            .sign_in("gone@example.org", PASSWORD)
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains(WRONG_CREDENTIALS));

        let id = app.create_user("jo@example.org", "Jo", Role::Officer, &[]);
        assert_eq!(app.sign_in("jo@example.org", PASSWORD).await.status(), 303);
        assert_eq!(app.get("/").await.status(), 200);
        redress::db::users::set_active(&mut app.conn(), id, false, Utc::now().naive_utc()).unwrap();
        let after = app.get("/").await;
        assert_eq!(after.status(), 303);
        assert_eq!(location(&after), "/login");
    })
    .await;
}

#[tokio::test]
async fn a_forced_password_change_blocks_everything_else_until_done() {
    for_each_backend(|app| async move {
        app.create_user_with(
            "new@example.org",
            "New Person",
            Role::Manager,
            &[],
            true,
            true,
        );
        let response = app.sign_in("new@example.org", PASSWORD).await;
        assert_eq!(location(&response), "/account/password");
        let home = app.get("/").await;
        assert_eq!(location(&home), "/account/password");

        let weak = app
            .post_form(
                "/account/password",
                &[
                    ("current_password", PASSWORD),
                    ("new_password", "password1234"),
                    ("confirm_password", "password1234"),
                ],
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(weak.contains("too easy to guess"), "{weak}");
        let mismatch = app
            .post_form(
                "/account/password",
                &[
                    ("current_password", PASSWORD),
                    ("new_password", "amber-violin-meadow-93"),
                    ("confirm_password", "amber-violin-meadow-94"),
                ],
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(mismatch.contains("Passwords must match"));
        let wrong_current = app
            .post_form(
                "/account/password",
                &[
                    ("current_password", "nope-nope-nope-nope"),
                    ("new_password", "amber-violin-meadow-93"),
                    ("confirm_password", "amber-violin-meadow-93"),
                ],
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(wrong_current.contains("Your current password is wrong"));
        assert_eq!(app.audit_count("password_changed"), 0);

        let ok = app
            .post_form(
                "/account/password",
                &[
                    ("current_password", PASSWORD),
                    ("new_password", "amber-violin-meadow-93"),
                    ("confirm_password", "amber-violin-meadow-93"),
                ],
            )
            .await;
        assert_eq!(ok.status(), 303);
        assert_eq!(location(&ok), "/");
        assert_eq!(app.get("/").await.status(), 200);
        assert_eq!(app.audit_count("password_changed"), 1);

        app.sign_out().await;
        let old = app.sign_in("new@example.org", PASSWORD).await;
        assert_eq!(old.status(), 400, "old password no longer works");
        assert_eq!(
            app.sign_in("new@example.org", "amber-violin-meadow-93")
                .await
                .status(),
            303
        );
    })
    .await;
}

#[tokio::test]
async fn five_failures_lock_the_account_until_the_window_passes() {
    for_each_backend(|app| async move {
        app.create_user("jo@example.org", "Jo", Role::Officer, &[]);
        for _ in 0..5 {
            let page = app
                .sign_in("jo@example.org", "wrong-wrong-wrong")
                .await
                .text()
                .await
                .unwrap();
            assert!(page.contains(WRONG_CREDENTIALS));
        }
        let locked = app.sign_in("jo@example.org", PASSWORD).await;
        assert_eq!(
            locked.status(),
            400,
            "the right password is refused while locked"
        );
        let locked = locked.text().await.unwrap();
        assert!(locked.contains("too many failed attempts"), "{locked}");
        assert!(app.audit_count("sign_in_locked") >= 1);

        // Age the failures past the 15-minute window: the account unlocks.
        let old = Utc::now().naive_utc() - Duration::minutes(16);
        diesel::update(sign_in_attempts::table)
            .set(sign_in_attempts::attempted_at.eq(old))
            .execute(&mut app.conn())
            .unwrap();
        assert_eq!(app.sign_in("jo@example.org", PASSWORD).await.status(), 303);
    })
    .await;
}

#[tokio::test]
async fn fifty_failures_from_one_address_refuse_that_address() {
    let app = crate::helpers::spawn_app(Backend::Sqlite).await;
    app.create_user("jo@example.org", "Jo", Role::Officer, &[]);
    let now = Utc::now().naive_utc();
    for i in 0..50 {
        redress::db::sign_in_attempts::record(
            &mut app.conn(),
            &format!("x{i}@example.org"),
            "127.0.0.1",
            false,
            now,
        )
        .unwrap();
    }
    let page = app
        .sign_in("jo@example.org", PASSWORD)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("too many failed attempts"));
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    for_each_backend(|app| async move {
        app.create_user("jo@example.org", "Jo", Role::Officer, &[]);
        app.sign_in("jo@example.org", PASSWORD).await;
        let out = app.sign_out().await;
        assert_eq!(out.status(), 303);
        assert_eq!(location(&out), "/login?signed_out=1");
        assert!(app
            .get_html("/login?signed_out=1")
            .await
            .contains("You have signed out"));
        assert_eq!(location(&app.get("/").await), "/login");
        assert_eq!(app.audit_count("sign_out"), 1);
    })
    .await;
}

#[tokio::test]
async fn an_idle_session_expires() {
    // 0.05 minutes = 3 seconds idle.
    let app = spawn_app_with(Backend::Sqlite, |s| s.server.session_idle_minutes = 0.05).await;
    app.create_user("jo@example.org", "Jo", Role::Officer, &[]);
    app.sign_in("jo@example.org", PASSWORD).await;
    assert_eq!(app.get("/").await.status(), 200);
    tokio::time::sleep(std::time::Duration::from_millis(4200)).await;
    let expired = app.get("/").await;
    assert_eq!(expired.status(), 303);
    assert_eq!(location(&expired), "/login?expired=1");
    assert!(app
        .get_html("/login?expired=1")
        .await
        .contains("signed out because you had not used Redress"));
    // The session is gone, not merely refused once.
    assert_eq!(location(&app.get("/").await), "/login");
}

#[tokio::test]
async fn the_session_cookie_is_http_only_strict_and_renewed_on_sign_in() {
    let app = crate::helpers::spawn_app(Backend::Sqlite).await;
    app.create_user("jo@example.org", "Jo", Role::Officer, &[]);
    let before = app.get("/login").await;
    let cookie_before = before
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie_before.contains("HttpOnly"));
    assert!(cookie_before.contains("SameSite=Strict"));
    let after = app.sign_in("jo@example.org", PASSWORD).await;
    let cookie_after = after
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert_ne!(
        cookie_before.split(';').next(),
        cookie_after.split(';').next()
    );
}

#[tokio::test]
async fn secure_cookies_follow_configuration() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.server.secure_cookies = true).await;
    let response = app.get("/login").await;
    let cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(cookie.contains("Secure"), "{cookie}");
}

#[tokio::test]
async fn writes_without_the_right_csrf_token_are_refused_and_write_nothing() {
    for_each_backend(|app| async move {
        app.create_user("admin@example.org", "Admin", Role::Admin, &[]);
        app.sign_in("admin@example.org", PASSWORD).await;
        let fields = [("name", "Repairs"), ("code", "REP"), ("active", "true")];

        let missing = app.post_raw("/admin/service-areas", &fields).await;
        assert_eq!(missing.status(), 403);
        assert!(missing
            .text()
            .await
            .unwrap()
            .contains("Your form could not be sent"));
        let mut wrong = fields.to_vec();
        wrong.push(("csrf_token", "forged"));
        assert_eq!(
            app.post_raw("/admin/service-areas", &wrong).await.status(),
            403
        );
        let header_wrong = app
            .client
            .post(app.url("/admin/service-areas"))
            .header("X-CSRF-Token", "forged")
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(header_wrong.status(), 403);
        let count: i64 = service_areas::table
            .count()
            .get_result(&mut app.conn())
            .unwrap();
        assert_eq!(count, 0, "nothing written");

        // The session's token in the htmx header works too.
        let token = app.csrf().await;
        let ok = app
            .client
            .post(app.url("/admin/service-areas"))
            .header("X-CSRF-Token", token)
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(ok.status(), 303);
        let count: i64 = service_areas::table
            .count()
            .get_result(&mut app.conn())
            .unwrap();
        assert_eq!(count, 1);
    })
    .await;
}

#[tokio::test]
async fn sign_in_itself_needs_the_csrf_token() {
    let app = crate::helpers::spawn_app(Backend::Sqlite).await;
    app.create_user("jo@example.org", "Jo", Role::Officer, &[]);
    let response = app
        .post_raw(
            "/login",
            &[("email", "jo@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), 403);
    assert_eq!(app.audit_count("sign_in"), 0);
}
