//! Categories and contractors: only admins manage them; names are required, short and
//! unique ignoring case; contractors' contact emails are checked; every write is audited.

use diesel::prelude::*;
use redress::db::schema::{categories, contractors};
use redress::db::{categories as category_queries, contractors as contractor_queries};
use redress::domain::Role;

use crate::helpers::{for_each_backend, location, TestApp};

/// The list of each kind, with the name and optional email fields it takes.
const KINDS: [&str; 2] = ["/admin/categories", "/admin/contractors"];

fn category_id(app: &TestApp, name: &str) -> i32 {
    categories::table
        .filter(categories::name.eq(name))
        .select(categories::id)
        .first(&mut app.conn())
        .unwrap()
}

fn contractor(app: &TestApp, name: &str) -> (i32, Option<String>, bool) {
    contractors::table
        .filter(contractors::name.eq(name))
        .select((
            contractors::id,
            contractors::contact_email,
            contractors::active,
        ))
        .first(&mut app.conn())
        .unwrap()
}

fn count(app: &TestApp, path: &str) -> i64 {
    match path {
        "/admin/categories" => categories::table.count().get_result(&mut app.conn()),
        _ => contractors::table.count().get_result(&mut app.conn()),
    }
    .unwrap()
}

#[tokio::test]
async fn only_admins_reach_category_and_contractor_pages() {
    for_each_backend(|app| async move {
        let admin = app.signed_in_as(Role::Admin).await;
        for path in KINDS {
            let added = admin
                .post_form(path, &[("name", "Existing"), ("active", "true")])
                .await;
            assert_eq!(added.status(), 303, "admin adds on {path}");
        }
        let existing = [
            format!("/admin/categories/{}", category_id(&app, "Existing")),
            format!("/admin/contractors/{}", contractor(&app, "Existing").0),
        ];
        for role in Role::ALL {
            if role == Role::Admin {
                continue;
            }
            let client = app.signed_in_as(role).await;
            for (path, edit) in KINDS.iter().zip(&existing) {
                for page in [path.to_string(), format!("{path}/new"), edit.clone()] {
                    let status = client.get(&page).await.status();
                    assert_eq!(status, 403, "{role} GET {page} on {}", app.backend);
                }
                let fields = [("name", "Sneaky"), ("active", "true")];
                for target in [*path, edit.as_str()] {
                    let status = client.post_form(target, &fields).await.status();
                    assert_eq!(status, 403, "{role} POST {target} on {}", app.backend);
                }
                assert_eq!(count(&app, path), 1, "{role} changed nothing on {path}");
            }
            let home = client.get_html("/").await;
            assert!(
                !home.contains("/admin/categories"),
                "{role} sees no nav item"
            );
        }
        for (path, edit) in KINDS.iter().zip(&existing) {
            for page in [path.to_string(), format!("{path}/new"), edit.clone()] {
                assert_eq!(admin.get(&page).await.status(), 200, "admin GET {page}");
            }
            let anonymous = app.with_new_client();
            let response = anonymous.get(path).await;
            assert_eq!(response.status(), 303, "signed out GET {path}");
            assert_eq!(location(&response), "/login");
        }
        let home = admin.get_html("/").await;
        assert!(home.contains("href=\"/admin/categories\""));
        assert!(home.contains("href=\"/admin/contractors\""));
        assert_eq!(app.audit_count("category_updated"), 0);
        assert_eq!(app.audit_count("contractor_updated"), 0);
    })
    .await;
}

#[tokio::test]
async fn an_admin_adds_edits_and_deactivates_a_category() {
    for_each_backend(|app| async move {
        let admin = app.signed_in_as(Role::Admin).await;
        let empty = admin.get_html("/admin/categories").await;
        assert!(empty.contains("There are no categories yet"));

        let added = admin
            .post_form(
                "/admin/categories",
                &[("name", "  Damp and mould "), ("active", "true")],
            )
            .await;
        assert_eq!(added.status(), 303);
        assert_eq!(location(&added), "/admin/categories");
        let list = admin.get_html("/admin/categories").await;
        assert!(list.contains("Category added"));
        assert!(list.contains(">Damp and mould</a>"), "name trimmed");
        assert!(list.contains("In use"));

        let id = category_id(&app, "Damp and mould");
        let form = admin.get_html(&format!("/admin/categories/{id}")).await;
        assert!(form.contains("Change category"));
        assert!(form.contains("value=\"Damp and mould\""));
        assert!(form.contains(" checked"));

        // Same name, other case, on the record itself: allowed.
        let edited = admin
            .post_form(
                &format!("/admin/categories/{id}"),
                &[("name", "Damp and Mould"), ("active", "true")],
            )
            .await;
        assert_eq!(edited.status(), 303);
        // Unticking "In use" deactivates.
        let deactivated = admin
            .post_form(
                &format!("/admin/categories/{id}"),
                &[("name", "Damp and Mould")],
            )
            .await;
        assert_eq!(deactivated.status(), 303);
        let list = admin.get_html("/admin/categories").await;
        assert!(list.contains("Category updated"));
        assert!(list.contains("Not in use"));
        let row = category_queries::find(&mut app.conn(), redress::domain::CategoryId(id))
            .unwrap()
            .unwrap();
        assert_eq!(row.name, "Damp and Mould");
        assert!(!row.active);
        assert!(category_queries::list_active(&mut app.conn())
            .unwrap()
            .is_empty());
        assert_eq!(
            category_queries::list_all(&mut app.conn()).unwrap().len(),
            1
        );

        assert_eq!(app.audit_count("category_created"), 1);
        assert_eq!(app.audit_count("category_updated"), 2);

        assert_eq!(admin.get("/admin/categories/9999").await.status(), 404);
        let missing = admin
            .post_form("/admin/categories/9999", &[("name", "Ghost")])
            .await;
        assert_eq!(missing.status(), 404);
        assert_eq!(app.audit_count("category_updated"), 2);
    })
    .await;
}

#[tokio::test]
async fn category_names_are_required_short_and_unique() {
    for_each_backend(|app| async move {
        let admin = app.signed_in_as(Role::Admin).await;
        let page = admin
            .post_form("/admin/categories", &[("name", "   "), ("active", "true")])
            .await;
        assert_eq!(page.status(), 400);
        let page = page.text().await.unwrap();
        assert!(page.contains("There is a problem"));
        assert!(page.contains("Enter the category"));
        assert!(page.contains("href=\"#name\""));

        let long = "x".repeat(81);
        let page = admin
            .post_form("/admin/categories", &[("name", &long)])
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("Name must be 80 characters or fewer"));
        assert!(page.contains(&format!("value=\"{long}\"")));

        for name in ["Repairs", "Noise"] {
            let ok = admin
                .post_form("/admin/categories", &[("name", name), ("active", "true")])
                .await;
            assert_eq!(ok.status(), 303);
        }
        let page = admin
            .post_form("/admin/categories", &[("name", "REPAIRS")])
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("A category with this name already exists"));
        assert!(page.contains("value=\"REPAIRS\""));
        assert!(!page.contains(" checked"), "unticked box stays unticked");

        let noise = category_id(&app, "Noise");
        let page = admin
            .post_form(
                &format!("/admin/categories/{noise}"),
                &[("name", "repairs"), ("active", "true")],
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("A category with this name already exists"));
        assert!(page.contains("value=\"repairs\""));
        assert!(page.contains(&format!("action=\"/admin/categories/{noise}\"")));

        assert_eq!(count(&app, "/admin/categories"), 2);
        assert_eq!(app.audit_count("category_created"), 2);
        assert_eq!(app.audit_count("category_updated"), 0);
    })
    .await;
}

#[tokio::test]
async fn an_admin_manages_contractors_and_their_contact_emails() {
    for_each_backend(|app| async move {
        let admin = app.signed_in_as(Role::Admin).await;
        let page = admin
            .post_form(
                "/admin/contractors",
                &[("name", ""), ("contact_email", "not-an-email")],
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("Enter the contractor"));
        assert!(page.contains("Enter an email address in the correct format"));
        assert!(page.contains("value=\"not-an-email\""));
        assert!(page.contains("href=\"#contact_email\""));

        let added = admin
            .post_form(
                "/admin/contractors",
                &[
                    ("name", "Acme Repairs Ltd"),
                    ("contact_email", " Jobs@Acme.Example "),
                    ("active", "true"),
                ],
            )
            .await;
        assert_eq!(added.status(), 303);
        let no_email = admin
            .post_form(
                "/admin/contractors",
                &[("name", "Beta Builders"), ("active", "true")],
            )
            .await;
        assert_eq!(no_email.status(), 303, "contact email is optional");
        let list = admin.get_html("/admin/contractors").await;
        assert!(list.contains("Contractor added"));
        assert!(list.contains("jobs@acme.example"));
        assert!(list.contains("Not set"));

        let (acme, email, active) = contractor(&app, "Acme Repairs Ltd");
        assert_eq!(email.as_deref(), Some("jobs@acme.example"));
        assert!(active);
        assert_eq!(contractor(&app, "Beta Builders").1, None);

        let page = admin
            .post_form(
                "/admin/contractors",
                &[
                    ("name", "acme repairs ltd"),
                    ("contact_email", "a@b.example"),
                ],
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("A contractor with this name already exists"));
        assert!(page.contains("value=\"acme repairs ltd\""));
        assert!(page.contains("value=\"a@b.example\""));

        let page = admin
            .post_form(
                &format!("/admin/contractors/{acme}"),
                &[("name", "Acme Repairs Ltd"), ("contact_email", "jobs@")],
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("Enter an email address in the correct format"));
        assert!(page.contains("value=\"jobs@\""));
        assert_eq!(
            contractor(&app, "Acme Repairs Ltd").1.as_deref(),
            Some("jobs@acme.example")
        );

        // Clearing the email and unticking "In use" deactivates and removes the email.
        let edited = admin
            .post_form(
                &format!("/admin/contractors/{acme}"),
                &[("name", "Acme Repairs"), ("contact_email", "")],
            )
            .await;
        assert_eq!(edited.status(), 303);
        let (_, email, active) = contractor(&app, "Acme Repairs");
        assert_eq!(email, None);
        assert!(!active);
        let active_names: Vec<String> = contractor_queries::list_active(&mut app.conn())
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(active_names, ["Beta Builders"]);
        let list = admin.get_html("/admin/contractors").await;
        assert!(list.contains("Contractor updated"));
        assert!(list.contains("Not in use"));

        assert_eq!(app.audit_count("contractor_created"), 2);
        assert_eq!(app.audit_count("contractor_updated"), 1);
        assert_eq!(count(&app, "/admin/contractors"), 2);
    })
    .await;
}
