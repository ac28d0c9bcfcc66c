//! Administration pages: who may reach them, users and service areas. Categories and
//! contractors have their own module.

use diesel::prelude::*;
use redress::db::schema::{service_areas, users};
use redress::db::users as user_queries;
use redress::domain::Role;

use crate::helpers::{for_each_backend, location, new_client, spawn_app, Backend};

const ADMIN_PAGES: [&str; 9] = [
    "/admin/users",
    "/admin/users/new",
    "/admin/service-areas",
    "/admin/service-areas/new",
    "/admin/categories",
    "/admin/categories/new",
    "/admin/contractors",
    "/admin/contractors/new",
    "/admin/settings",
];

#[tokio::test]
async fn only_admins_reach_the_admin_pages() {
    for_each_backend(|app| async move {
        for role in Role::ALL {
            let client = app.signed_in_as(role).await;
            for page in ADMIN_PAGES {
                let status = client.get(page).await.status();
                let expected = if role == Role::Admin { 200 } else { 403 };
                assert_eq!(status, expected, "{role} GET {page} on {}", app.backend);
            }
            let post = client
                .post_form("/admin/service-areas", &[("name", "X"), ("code", "X")])
                .await
                .status();
            let expected = if role == Role::Admin { 303 } else { 403 };
            assert_eq!(post, expected, "{role} POST on {}", app.backend);
        }
        let anonymous = app.with_new_client();
        for page in ADMIN_PAGES {
            let response = anonymous.get(page).await;
            assert_eq!(response.status(), 303, "signed out GET {page}");
            assert_eq!(location(&response), "/login");
        }
    })
    .await;
}

#[tokio::test]
async fn an_admin_adds_a_user_who_signs_in_with_the_one_time_password() {
    for_each_backend(|app| async move {
        let admin = app.signed_in_as(Role::Admin).await;
        admin
            .post_form(
                "/admin/service-areas",
                &[("name", "Repairs"), ("code", "rep"), ("active", "true")],
            )
            .await;
        let area = service_areas::table
            .select(service_areas::id)
            .first::<i32>(&mut app.conn())
            .unwrap()
            .to_string();
        let created = admin
            .post_form(
                "/admin/users",
                &[
                    ("email", "Sam.Manager@Example.org"),
                    ("display_name", "Sam Manager"),
                    ("role", "manager"),
                    ("service_area", &area),
                ],
            )
            .await;
        assert_eq!(created.status(), 200);
        assert_eq!(created.headers().get("cache-control").unwrap(), "no-store");
        let page = created.text().await.unwrap();
        let marker = "id=\"one-time-password\">";
        let start = page.find(marker).expect("password shown") + marker.len();
        let one_time = &page[start..start + 23];

        let row = user_queries::find_by_email(&mut app.conn(), "sam.manager@example.org")
            .unwrap()
            .unwrap();
        assert!(row.must_change_password);
        assert_eq!(row.role, "manager");
        assert_eq!(
            user_queries::service_area_ids(&mut app.conn(), row.id)
                .unwrap()
                .len(),
            1
        );
        // The bootstrap administrator and this one (fixtures write directly, unaudited).
        assert_eq!(app.audit_count("user_created"), 2);

        let sam = app.with_new_client();
        let signed_in = sam.sign_in("sam.manager@example.org", one_time).await;
        assert_eq!(location(&signed_in), "/account/password");
    })
    .await;
}

#[tokio::test]
async fn adding_a_user_with_bad_input_keeps_the_typed_values() {
    for_each_backend(|app| async move {
        let admin = app.signed_in_as(Role::Admin).await;
        let page = admin
            .post_form(
                "/admin/users",
                &[
                    ("email", "not-an-email"),
                    ("display_name", "  "),
                    ("role", ""),
                ],
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("Enter an email address in the correct format"));
        assert!(
            page.contains("Enter the person&#39;s full name")
                || page.contains("Enter the person's full name")
        );
        assert!(page.contains("Select a role"));
        assert!(page.contains("value=\"not-an-email\""));

        let duplicate = admin
            .post_form(
                "/admin/users",
                &[
                    ("email", "admin@redress.local"),
                    ("display_name", "Again"),
                    ("role", "officer"),
                ],
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(duplicate.contains("A user with this email address already exists"));
        assert!(duplicate.contains("value=\"Again\""));
        let count: i64 = users::table.count().get_result(&mut app.conn()).unwrap();
        assert_eq!(count, 2, "bootstrap admin and the signed-in admin only");
    })
    .await;
}

#[tokio::test]
async fn deactivating_a_user_signs_them_out_and_is_audited() {
    for_each_backend(|app| async move {
        let admin = app.signed_in_as(Role::Admin).await;
        let officer = app.signed_in_as(Role::Officer).await;
        assert_eq!(officer.get("/").await.status(), 200);
        let id: i32 = users::table
            .filter(users::role.eq("officer"))
            .select(users::id)
            .first(&mut app.conn())
            .unwrap();
        let response = admin
            .post_form(&format!("/admin/users/{id}/active"), &[("active", "false")])
            .await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&officer.get("/").await), "/login");
        assert_eq!(app.audit_count("user_deactivated"), 1);
        admin
            .post_form(&format!("/admin/users/{id}/active"), &[("active", "true")])
            .await;
        assert_eq!(app.audit_count("user_reactivated"), 1);
    })
    .await;
}

#[tokio::test]
async fn service_areas_validate_and_edit() {
    for_each_backend(|app| async move {
        let admin = app.signed_in_as(Role::Admin).await;
        let director = app.create_user("dee@example.org", "Dee Director", Role::Director, &[]);
        let page = admin
            .post_form(
                "/admin/service-areas",
                &[
                    ("name", ""),
                    ("code", "bad code!"),
                    ("head_of_service", "999"),
                ],
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("Enter the service area"));
        assert!(page.contains("Code must be 10 letters"));
        assert!(page.contains("Select a director as head of service"));
        assert!(page.contains("value=\"bad code!\""));

        let head = director.to_string();
        let ok = admin
            .post_form(
                "/admin/service-areas",
                &[
                    ("name", "Repairs"),
                    ("code", "rep"),
                    ("head_of_service", &head),
                    ("active", "true"),
                ],
            )
            .await;
        assert_eq!(ok.status(), 303);
        let taken = admin
            .post_form(
                "/admin/service-areas",
                &[("name", "repairs"), ("code", "REP")],
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(taken.contains("A service area with this name already exists"));
        assert!(taken.contains("A service area with this code already exists"));

        let (id, code): (i32, String) = service_areas::table
            .select((service_areas::id, service_areas::code))
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(code, "REP");
        let edited = admin
            .post_form(
                &format!("/admin/service-areas/{id}"),
                &[("name", "Repairs and maintenance"), ("code", "REP")],
            )
            .await;
        assert_eq!(edited.status(), 303);
        let list = admin.get_html("/admin/service-areas").await;
        assert!(list.contains("Repairs and maintenance"));
        assert!(
            list.contains("Not in use"),
            "unticked active box deactivates"
        );
        assert_eq!(app.audit_count("service_area_created"), 1);
        assert_eq!(app.audit_count("service_area_updated"), 1);
    })
    .await;
}

#[tokio::test]
async fn the_settings_page_shows_the_active_profile_read_only() {
    let app = spawn_app(Backend::Sqlite).await;
    let admin = app.signed_in_as(Role::Admin).await;
    let page = admin.get_html("/admin/settings").await;
    assert!(page.contains("hoc-2024"));
    assert!(
        page.contains("10 working days from acknowledgement"),
        "{page}"
    );
    assert!(page.contains("Housing Ombudsman Service"));
    assert!(!page.contains("<form method=\"post\" action=\"/admin/settings"));
    // The TSM's missing homes are said here, to administrators, with the setting to add.
    assert!(page.contains("id=\"tsm-homes\""), "{page}");
    assert!(page.contains("Add the number of homes for"), "{page}");
    assert!(
        page.contains("low cost home ownership (LCHO) homes for"),
        "{page}"
    );
    let _ = new_client();
}
