//! Two-factor sign-in (issue 29), on both backends, on a clock stopped at [`AT`] so codes
//! are known: enrolment after the first password change, wrong and replayed codes,
//! recovery codes once only, throttling, an administrator's reset, demo accounts and roles
//! outside `auth.second_factor_roles` signing in with a password alone.

use chrono::{DateTime, TimeZone, Utc};
use redress::auth::{throttle, totp};
use redress::db::users;
use redress::domain::{Role, UserId};

use crate::helpers::{backends, location, spawn_app_at_with, TestApp, PASSWORD};

/// 3 December 2026, 10:00:15 UTC: 15 seconds into a 30-second step.
fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 10, 0, 15).unwrap()
}

const NEW_PASSWORD: &str = "copper-meadow-whistle-81";

/// An app whose officers and administrators need a second factor; managers and directors
/// do not.
async fn app_for(backend: crate::helpers::Backend) -> TestApp {
    app_with_roles(backend, &["officer", "admin"]).await
}

async fn app_with_roles(backend: crate::helpers::Backend, roles: &[&str]) -> TestApp {
    let roles: Vec<String> = roles.iter().map(|r| r.to_string()).collect();
    spawn_app_at_with(backend, at(), move |s| s.auth.second_factor_roles = roles).await
}

/// The authenticator's code `steps` steps from now.
fn code(secret: &str, steps: i64) -> String {
    totp::code_at(secret, at().timestamp() + 30 * steps).unwrap()
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} in {html}"))
        + start.len();
    let to = html[from..].find(end).unwrap() + from;
    &html[from..to]
}

/// Signs in with the password, changes it as forced, and enrols; gives the secret and the
/// recovery codes.
async fn enrol(client: &TestApp) -> (String, Vec<String>) {
    let page = client.get_html("/account/two-factor").await;
    assert!(page.contains("<svg"), "a QR code is drawn: {page}");
    let secret = between(&page, "id=\"secret-key\">", "<").replace(' ', "");
    // A wrong code: the form again, 400, the error beside the field; nothing stored.
    let wrong = if code(&secret, 0) == "000000" {
        "111111"
    } else {
        "000000"
    };
    let refused = client
        .post_form("/account/two-factor", &[("code", wrong)])
        .await;
    assert_eq!(refused.status(), 400);
    let html = refused.text().await.unwrap();
    assert!(html.contains("code-error"), "{html}");
    assert_eq!(
        between(&html, "id=\"secret-key\">", "<").replace(' ', ""),
        secret,
        "the same secret until it is confirmed"
    );
    let done = client
        .post_form("/account/two-factor", &[("code", &code(&secret, 0))])
        .await;
    assert_eq!(done.status(), 200);
    let html = done.text().await.unwrap();
    let list = between(&html, "id=\"recovery-codes\">", "</ul>");
    let codes: Vec<String> = list
        .split("<code>")
        .skip(1)
        .map(|c| c.split("</code>").next().unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), 10, "{html}");
    (secret, codes)
}

async fn at_code_step(app: &TestApp, email: &str) -> TestApp {
    let client = app.with_new_client();
    let response = client.sign_in(email, NEW_PASSWORD).await;
    assert_eq!(location(&response), "/login/code");
    client
}

async fn post_code(client: &TestApp, code: &str) -> reqwest::Response {
    client.post_form("/login/code", &[("code", code)]).await
}

#[tokio::test]
async fn an_officer_enrols_after_the_first_password_change_and_each_code_works_once() {
    for backend in backends() {
        let app = app_for(backend).await;
        app.create_user_with(
            "olu@example.org",
            "Olu Officer",
            Role::Officer,
            &[],
            true,
            true,
        );
        let client = app.with_new_client();
        let signed = client.sign_in("olu@example.org", PASSWORD).await;
        assert_eq!(location(&signed), "/account/password", "password first");
        let changed = client
            .post_form(
                "/account/password",
                &[
                    ("current_password", PASSWORD),
                    ("new_password", NEW_PASSWORD),
                    ("confirm_password", NEW_PASSWORD),
                ],
            )
            .await;
        assert_eq!(changed.status(), 303);
        // Nothing else until an authenticator is set up.
        assert_eq!(location(&client.get("/cases").await), "/account/two-factor");
        let (secret, recovery) = enrol(&client).await;
        assert_eq!(app.audit_count("second_factor_enrolled"), 1);
        assert_eq!(
            client.get("/cases").await.status(),
            200,
            "enrolled and signed in"
        );

        // Next time: password, then a code. The password alone signs nobody in.
        let next = at_code_step(&app, "olu@example.org").await;
        assert_eq!(location(&next.get("/cases").await), "/login");
        // The code that confirmed the enrolment is spent.
        let replayed = post_code(&next, &code(&secret, 0)).await;
        assert_eq!(replayed.status(), 400);
        assert!(replayed
            .text()
            .await
            .unwrap()
            .contains("Enter a correct code"));
        let fresh = post_code(&next, &code(&secret, 1)).await;
        assert_eq!(location(&fresh), "/");
        assert_eq!(next.get("/cases").await.status(), 200);

        // The same code again, or an older one, is refused: each step is accepted once.
        let again = at_code_step(&app, "olu@example.org").await;
        assert_eq!(post_code(&again, &code(&secret, 1)).await.status(), 400);
        assert_eq!(post_code(&again, &code(&secret, -1)).await.status(), 400);
        assert_eq!(location(&again.get("/cases").await), "/login");

        // A recovery code works once, however it is typed.
        let typed = recovery[3].to_uppercase().replace('-', " ");
        let recovered = post_code(&again, &typed).await;
        assert_eq!(location(&recovered), "/");
        let status = again.get_html("/account/two-factor").await;
        assert!(status.contains("9 of 10"), "{status}");
        let later = at_code_step(&app, "olu@example.org").await;
        assert_eq!(post_code(&later, &recovery[3]).await.status(), 400);
        assert_eq!(location(&post_code(&later, &recovery[4]).await), "/");

        assert!(app.audit_count("second_factor_failed") >= 4);
        assert_eq!(app.audit_count("sign_in_awaiting_code"), 3);
    }
}

#[tokio::test]
async fn wrong_codes_are_throttled_like_passwords() {
    for backend in backends() {
        let app = app_for(backend).await;
        let id = app.create_user("ola@example.org", "Ola Officer", Role::Officer, &[]);
        let secret = totp::new_secret();
        users::set_second_factor(&mut app.conn(), id, &secret, 0, at().naive_utc()).unwrap();
        let hash = redress::auth::password::hash(NEW_PASSWORD).unwrap();
        users::set_password(&mut app.conn(), id, &hash, false, at().naive_utc()).unwrap();
        let client = at_code_step(&app, "ola@example.org").await;
        let right = code(&secret, 0);
        let wrong = if right == "123456" {
            "654321"
        } else {
            "123456"
        };
        for _ in 0..throttle::ACCOUNT_LIMIT {
            assert_eq!(post_code(&client, wrong).await.status(), 400);
        }
        let locked = post_code(&client, &right).await;
        assert_eq!(locked.status(), 400);
        assert!(
            locked
                .text()
                .await
                .unwrap()
                .contains("too many failed attempts"),
            "the right code is refused once locked"
        );
        assert_eq!(app.audit_count("second_factor_locked"), 1);
        assert_eq!(location(&client.get("/cases").await), "/login");
    }
}

#[tokio::test]
async fn an_administrator_resets_a_lost_second_factor_and_the_user_enrols_again() {
    for backend in backends() {
        let app = app_for(backend).await;
        let id = app.create_user("oma@example.org", "Oma Officer", Role::Officer, &[]);
        let hash = redress::auth::password::hash(NEW_PASSWORD).unwrap();
        users::set_password(&mut app.conn(), id, &hash, false, at().naive_utc()).unwrap();
        let officer = app.with_new_client();
        officer.sign_in("oma@example.org", NEW_PASSWORD).await;
        let (_, _) = enrol(&officer).await;
        assert_eq!(officer.get("/cases").await.status(), 200);

        // Administrators need a second factor here too: this one is enrolled directly.
        let admin_id = app.create_user("ada@example.org", "Ada Admin", Role::Admin, &[]);
        let admin_secret = totp::new_secret();
        users::set_second_factor(
            &mut app.conn(),
            admin_id,
            &admin_secret,
            0,
            at().naive_utc(),
        )
        .unwrap();
        let admin = app.with_new_client();
        assert_eq!(
            location(&admin.sign_in("ada@example.org", PASSWORD).await),
            "/login/code"
        );
        assert_eq!(
            location(&post_code(&admin, &code(&admin_secret, 1)).await),
            "/"
        );
        let page = admin.get_html(&format!("/admin/users/{id}")).await;
        assert!(page.contains("Reset two-factor sign-in"), "{page}");

        let reset = admin
            .post_form(&format!("/admin/users/{id}/reset-second-factor"), &[])
            .await;
        assert_eq!(location(&reset), format!("/admin/users/{id}"));
        assert_eq!(app.audit_count("user_second_factor_reset"), 1);
        let row = users::find(&mut app.conn(), id).unwrap().unwrap();
        assert!(!row.second_factor_enrolled());
        // Their sessions ended; the next sign-in asks them to set it up again.
        assert_eq!(location(&officer.get("/cases").await), "/login");
        let again = app.with_new_client();
        let signed = again.sign_in("oma@example.org", NEW_PASSWORD).await;
        assert_eq!(location(&signed), "/account/two-factor");
        assert_eq!(location(&again.get("/cases").await), "/account/two-factor");
        let (_, codes) = enrol(&again).await;
        assert_eq!(codes.len(), 10);

        // Without the CSRF token nothing happens.
        let forged = admin
            .post_raw(&format!("/admin/users/{id}/reset-second-factor"), &[])
            .await;
        assert_eq!(forged.status(), 403);
        assert_eq!(app.audit_count("user_second_factor_reset"), 1);
    }
}

#[tokio::test]
async fn roles_outside_the_setting_and_demo_accounts_sign_in_with_a_password_alone() {
    for backend in backends() {
        let app = app_with_roles(backend, &["officer"]).await;
        app.create_user("max@example.org", "Max Manager", Role::Manager, &[]);
        let manager = app.with_new_client();
        assert_eq!(
            location(&manager.sign_in("max@example.org", PASSWORD).await),
            "/"
        );
        assert_eq!(manager.get("/cases").await.status(), 200);

        let demo: UserId = app.create_user("demo@example.org", "Dee Demo", Role::Officer, &[]);
        users::mark_demo(&mut app.conn(), demo).unwrap();
        let client = app.with_new_client();
        assert_eq!(
            location(&client.sign_in("demo@example.org", PASSWORD).await),
            "/"
        );
        assert_eq!(client.get("/cases").await.status(), 200);

        // An officer who is not a demo account must enrol.
        app.create_user("oz@example.org", "Oz Officer", Role::Officer, &[]);
        let officer = app.with_new_client();
        let signed = officer.sign_in("oz@example.org", PASSWORD).await;
        assert_eq!(location(&signed), "/account/two-factor");

        // The administrators' list says who is a demo account and who has set up.
        let admin = app.signed_in_as(Role::Admin).await;
        let list = admin.get_html("/admin/users").await;
        assert!(list.contains("Demo account"), "{list}");
        assert!(list.contains("Not needed (demo account)"));
        assert!(list.contains("Not set up yet"));
        assert!(list.contains("Not needed for this role"));
    }
}
