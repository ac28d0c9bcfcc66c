//! Issue 17, finding 1: sessions end when they should. A copy of a session cookie (taken
//! at sign-in, as someone with access to the browser or a log could) must stop working
//! after sign-out, a password change, deactivation and an administrator's "sign out
//! everywhere", not live on until the idle limit.

use chrono::Utc;
use redress::db::users;
use redress::domain::{Role, UserId};

use crate::helpers::{for_each_backend, location, new_client, TestApp, PASSWORD};

/// The `redress_session=…` pair a response set.
fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("redress_session="))
        .and_then(|v| v.split(';').next())
        .expect("the response sets the session cookie")
        .to_string()
}

/// Signs `email` in and returns a copy of the session cookie it was given.
async fn sign_in_and_copy_cookie(app: &TestApp, email: &str) -> String {
    let response = app.sign_in(email, PASSWORD).await;
    assert_eq!(response.status(), 303, "sign in on {}", app.backend);
    session_cookie(&response)
}

/// `GET /` with only the copied cookie, from another browser.
async fn home_with(app: &TestApp, cookie: &str) -> reqwest::Response {
    new_client()
        .get(app.url("/"))
        .header("Cookie", cookie)
        .send()
        .await
        .unwrap()
}

async fn assert_cookie_works(app: &TestApp, cookie: &str, when: &str) {
    let response = home_with(app, cookie).await;
    assert_eq!(response.status(), 200, "{when} on {}", app.backend);
}

async fn assert_cookie_dead(app: &TestApp, cookie: &str, when: &str) {
    let response = home_with(app, cookie).await;
    assert_eq!(response.status(), 303, "{when} on {}", app.backend);
    assert_eq!(location(&response), "/login", "{when} on {}", app.backend);
}

fn user(app: &TestApp, email: &str) -> UserId {
    app.create_user(email, "Jo Officer", Role::Officer, &[])
}

#[tokio::test]
async fn a_copied_cookie_stops_working_after_sign_out() {
    for_each_backend(|app| async move {
        user(&app, "jo@example.org");
        let copy = sign_in_and_copy_cookie(&app, "jo@example.org").await;
        assert_cookie_works(&app, &copy, "before signing out").await;
        assert_eq!(app.sign_out().await.status(), 303);
        assert_cookie_dead(&app, &copy, "after signing out").await;
        assert_eq!(app.audit_count("sign_out"), 1);
    })
    .await;
}

#[tokio::test]
async fn signing_out_in_one_browser_ends_the_other_browsers_too() {
    for_each_backend(|app| async move {
        user(&app, "jo@example.org");
        let laptop = app.with_new_client();
        assert_eq!(
            laptop.sign_in("jo@example.org", PASSWORD).await.status(),
            303
        );
        let phone = app.with_new_client();
        assert_eq!(
            phone.sign_in("jo@example.org", PASSWORD).await.status(),
            303
        );
        laptop.sign_out().await;
        assert_eq!(location(&phone.get("/").await), "/login", "{}", app.backend);
    })
    .await;
}

#[tokio::test]
async fn a_password_change_ends_other_sessions_and_keeps_the_one_that_made_it() {
    for_each_backend(|app| async move {
        user(&app, "jo@example.org");
        let copy = sign_in_and_copy_cookie(&app, "jo@example.org").await;
        let changed = app
            .post_form(
                "/account/password",
                &[
                    ("current_password", PASSWORD),
                    ("new_password", "amber-violin-meadow-93"),
                    ("confirm_password", "amber-violin-meadow-93"),
                ],
            )
            .await;
        assert_eq!(changed.status(), 303, "{}", app.backend);
        assert_eq!(location(&changed), "/");
        assert_cookie_dead(&app, &copy, "after the password change").await;
        // Decided: the session that changed the password is re-issued under the new
        // generation and stays signed in (the user just proved they know both passwords).
        assert_eq!(app.get("/").await.status(), 200, "{}", app.backend);
    })
    .await;
}

#[tokio::test]
async fn an_administrators_password_reset_ends_the_users_sessions() {
    for_each_backend(|app| async move {
        let id = user(&app, "jo@example.org");
        let copy = sign_in_and_copy_cookie(&app.with_new_client(), "jo@example.org").await;
        let admin = app.signed_in_as(Role::Admin).await;
        let reset = admin
            .post_form(&format!("/admin/users/{id}/reset-password"), &[])
            .await;
        assert_eq!(reset.status(), 200, "{}", app.backend);
        assert_cookie_dead(&app, &copy, "after an administrator's reset").await;
    })
    .await;
}

#[tokio::test]
async fn sign_out_everywhere_ends_the_users_sessions_and_is_audited() {
    for_each_backend(|app| async move {
        let id = user(&app, "jo@example.org");
        let first = sign_in_and_copy_cookie(&app.with_new_client(), "jo@example.org").await;
        let second = sign_in_and_copy_cookie(&app.with_new_client(), "jo@example.org").await;
        let admin = app.signed_in_as(Role::Admin).await;
        let page = admin.get_html(&format!("/admin/users/{id}")).await;
        assert!(page.contains("Sign out everywhere"), "{page}");

        // A write: the CSRF token is required, and other roles are refused.
        let forged = admin
            .post_raw(&format!("/admin/users/{id}/sign-out-everywhere"), &[])
            .await;
        assert_eq!(forged.status(), 403);
        let manager = app.signed_in_as(Role::Manager).await;
        let refused = manager
            .post_form(&format!("/admin/users/{id}/sign-out-everywhere"), &[])
            .await;
        assert_eq!(refused.status(), 403);
        assert_cookie_works(&app, &first, "after refused attempts").await;

        let done = admin
            .post_form(&format!("/admin/users/{id}/sign-out-everywhere"), &[])
            .await;
        assert_eq!(done.status(), 303, "{}", app.backend);
        assert_eq!(location(&done), format!("/admin/users/{id}"));
        assert_cookie_dead(&app, &first, "first browser after sign out everywhere").await;
        assert_cookie_dead(&app, &second, "second browser after sign out everywhere").await;
        assert_eq!(app.audit_count("user_signed_out_everywhere"), 1);
        // The administrator's own session is untouched, and the user may sign in again.
        assert!(admin
            .get_html(&format!("/admin/users/{id}"))
            .await
            .contains("User signed out everywhere"));
        assert_eq!(
            app.with_new_client()
                .sign_in("jo@example.org", PASSWORD)
                .await
                .status(),
            303
        );
    })
    .await;
}

#[tokio::test]
async fn reactivating_a_user_does_not_revive_an_old_cookie() {
    for_each_backend(|app| async move {
        let id = user(&app, "jo@example.org");
        let copy = sign_in_and_copy_cookie(&app, "jo@example.org").await;
        let now = Utc::now().naive_utc();
        users::set_active(&mut app.conn(), id, false, now).unwrap();
        assert_cookie_dead(&app, &copy, "while deactivated").await;
        users::set_active(&mut app.conn(), id, true, now).unwrap();
        assert_cookie_dead(&app, &copy, "after reactivation").await;
    })
    .await;
}
