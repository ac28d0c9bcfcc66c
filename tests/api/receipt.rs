//! The automatic receipt's wording (issue 28): the complaints team edits it like a letter,
//! bad placeholders are refused beside the box, two editors cannot overwrite each other, and
//! a resident who uses the public form is sent the saved wording through the outbox.

use diesel::prelude::*;
use redress::db::schema::outbox;
use redress::domain::Role;

use crate::helpers::{for_each_backend, TestApp};
use crate::intake::public_fields;

fn receipts_to(app: &TestApp, to: &str) -> Vec<(String, String)> {
    outbox::table
        .filter(outbox::recipient.eq(to))
        .select((outbox::subject, outbox::body_text))
        .load(&mut app.conn())
        .unwrap()
}

async fn submit_public_form(app: &TestApp) {
    let fields = public_fields();
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let response = app.post_form("/complain", &borrowed).await;
    assert_eq!(response.status(), 200, "public form accepted");
}

async fn save(who: &TestApp, body: &str, version: &str) -> reqwest::Response {
    who.post_form(
        "/letters/receipt",
        &[
            ("subject", "Received: {reference}"),
            ("body", body),
            ("version", version),
        ],
    )
    .await
}

#[tokio::test]
async fn a_resident_using_the_public_form_gets_the_standard_receipt() {
    for_each_backend(|app| async move {
        submit_public_form(&app).await;
        let receipts = receipts_to(&app, "pat@example.org");
        assert_eq!(receipts.len(), 1, "{}", app.backend);
        let (subject, body) = &receipts[0];
        assert!(subject.starts_with("We have received your complaint: CMP-"));
        assert!(body.starts_with("Dear Pat Resident,"), "{body}");
        assert!(
            body.contains("acknowledge your complaint formally by"),
            "{body}"
        );
        assert!(body.contains("it is not that acknowledgement"), "{body}");
        assert!(!body.contains('{'), "every placeholder filled: {body}");
    })
    .await;
}

#[tokio::test]
async fn the_complaints_team_changes_the_wording_and_residents_get_it() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let page = officer.get_html("/letters/receipt").await;
        assert!(page.contains("This is the standard wording."), "{}", app.backend);
        assert!(page.contains("{acknowledgement date}"), "placeholders listed");

        // A typo in a placeholder: refused beside the box, what was typed kept.
        let response = officer
            .post_form(
                "/letters/receipt",
                &[
                    ("subject", "Complaint {refrence} received"),
                    ("body", "Dear {name}, your reference is {reference}."),
                    ("version", "0"),
                ],
            )
            .await;
        assert_eq!(response.status(), 400);
        let page = response.text().await.unwrap();
        assert!(page.contains("id=\"subject-error\""), "{page}");
        assert!(page.contains("“{refrence}” is not a placeholder you can use"));
        assert!(page.contains("value=\"Complaint {refrence} received\""));

        // A preview fills the typed wording in and saves nothing.
        let page = officer
            .post_form(
                "/letters/receipt",
                &[
                    ("subject", "Complaint {reference} received"),
                    ("body", "Dear {name}, your reference is {reference}."),
                    ("version", "0"),
                    ("action", "preview"),
                ],
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("Dear Jo Bloggs, your reference is CMP-2026-000123."));
        assert_eq!(app.audit_count("receipt_wording_saved"), 0);

        let response = officer
            .post_form(
                "/letters/receipt",
                &[
                    ("subject", "Complaint {reference} received"),
                    (
                        "body",
                        "Dear {name},\n\nYour reference is {reference}. We will write by {acknowledgement date}.",
                    ),
                    ("version", "0"),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
        assert_eq!(app.audit_count("receipt_wording_saved"), 1);
        let page = officer.get_html("/letters/receipt").await;
        assert!(page.contains("Wording last changed by"), "{page}");

        submit_public_form(&app).await;
        let receipts = receipts_to(&app, "pat@example.org");
        assert_eq!(receipts.len(), 1);
        let (subject, body) = &receipts[0];
        assert!(subject.starts_with("Complaint CMP-") && subject.ends_with(" received"));
        assert!(body.starts_with("Dear Pat Resident,\n\nYour reference is CMP-"), "{body}");
        assert!(body.contains("We will write by "), "{body}");
        assert!(!body.contains('{'), "{body}");
    })
    .await;
}

#[tokio::test]
async fn two_editors_cannot_overwrite_each_other() {
    for_each_backend(|app| async move {
        let first = app.signed_in_as(Role::Officer).await;
        let second = app.signed_in_as(Role::Officer).await;
        // Both opened the standard wording (version 0); the first saves.
        assert_eq!(save(&first, "First {reference}", "0").await.status(), 303);
        let response = save(&second, "Second {reference}", "0").await;
        assert_eq!(response.status(), 409, "{}", app.backend);
        let page = response.text().await.unwrap();
        assert!(page.contains("Someone else changed the wording"));
        assert!(page.contains("Second {reference}"), "typed words kept");
        // The form now carries the version in force, so saving again is deliberate.
        assert!(page.contains("name=\"version\" value=\"1\""), "{page}");
        assert_eq!(save(&second, "Second {reference}", "1").await.status(), 303);
        assert_eq!(app.audit_count("receipt_wording_saved"), 2);
    })
    .await;
}

#[tokio::test]
async fn only_the_complaints_team_may_change_the_wording() {
    for_each_backend(|app| async move {
        for role in [Role::Manager, Role::Director, Role::Admin] {
            let user = app.signed_in_as(role).await;
            assert_eq!(user.get("/letters/receipt").await.status(), 403, "{role:?}");
            let response = user
                .post_form(
                    "/letters/receipt",
                    &[
                        ("subject", "x {reference}"),
                        ("body", "{reference}"),
                        ("version", "0"),
                    ],
                )
                .await;
            assert_eq!(response.status(), 403, "{role:?}");
        }
        assert_eq!(app.audit_count("receipt_wording_saved"), 0);
    })
    .await;
}
