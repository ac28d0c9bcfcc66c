//! The case's representative, added or changed by officers after logging: stored with the
//! case version checked and audited, refused to managers and admins, shown only to those who
//! may see the complainant, and used by the letters.

use chrono::Duration;
use diesel::prelude::*;
use redress::db::schema::{case_events, cases, representatives};
use redress::domain::Role;

use crate::helpers::{for_each_backend, spawn_app_with, Backend, TestApp, PASSWORD};
use crate::intake::{logged_case, make_area};
use crate::triage::{act, act_owned, date_fields, hidden, log_case, today};

fn rep_fields(extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = [
        ("representative_name", "Cllr Grace Hopper"),
        ("representative_relationship", "councillor"),
        ("representative_email", "grace@council.example.gov.uk"),
        ("representative_phone", "01632 960 001"),
        ("representative_address_line_1", "Town Hall"),
        ("representative_address_town", "Anytown"),
        ("representative_address_postcode", "AN1 1TH"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    fields.extend(date_fields(
        "representative_consent",
        today() - Duration::days(1),
    ));
    for (k, v) in extra {
        match fields.iter_mut().find(|(name, _)| name == k) {
            Some(field) => field.1 = v.to_string(),
            None => fields.push((k.to_string(), v.to_string())),
        }
    }
    fields
}

fn stored(app: &TestApp) -> Vec<(String, String, Option<String>, Option<String>)> {
    representatives::table
        .select((
            representatives::name,
            representatives::relationship,
            representatives::email,
            representatives::address,
        ))
        .load(&mut app.conn())
        .unwrap()
}

pub(crate) fn version(app: &TestApp, reference: &str) -> i32 {
    cases::table
        .filter(cases::reference.eq(reference))
        .select(cases::version)
        .first(&mut app.conn())
        .unwrap()
}

#[tokio::test]
async fn an_officer_adds_then_changes_the_representative() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let reference = log_case(&officer, today() - Duration::days(1), &[]).await;
        assert_eq!(
            act(&officer, &reference, "triage", &[("decision", "stage1")])
                .await
                .status(),
            303
        );
        let page = officer.get_html(&format!("/cases/{reference}")).await;
        assert!(page.contains(&format!("/cases/{reference}/representative")));
        let form = officer
            .get_html(&format!("/cases/{reference}/representative"))
            .await;
        assert!(form.contains("Add a representative"), "{form}");

        let response = act_owned(&officer, &reference, "representative", &rep_fields(&[])).await;
        assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
        assert_eq!(
            stored(&app),
            [(
                "Cllr Grace Hopper".to_string(),
                "councillor".to_string(),
                Some("grace@council.example.gov.uk".to_string()),
                Some("Town Hall\nAnytown\nAN1 1TH".to_string()),
            )]
        );
        assert_eq!(app.audit_count("case_representative_changed"), 1);
        let page = officer.get_html(&format!("/cases/{reference}")).await;
        assert!(page.contains("Representative added (councillor): consent received on"));
        assert!(page.contains("grace@council.example.gov.uk"));
        assert!(page.contains("Town Hall, Anytown, AN1 1TH"));
        assert!(page.contains("01632960001"));
        // The letters now go to the representative.
        let letter = officer
            .get_html(&format!(
                "/cases/{reference}/letters/stage1_acknowledgement"
            ))
            .await;
        assert!(
            letter.contains("representative; consent recorded"),
            "{letter}"
        );
        assert!(letter.contains("Dear Cllr Grace Hopper"), "{letter}");

        // The form comes back filled in; a change replaces the one on file.
        let form = officer
            .get_html(&format!("/cases/{reference}/representative"))
            .await;
        assert!(form.contains("Change the representative"));
        assert!(form.contains("value=\"grace@council.example.gov.uk\""));
        assert!(form.contains("value=\"AN1 1TH\""));
        let response = act_owned(
            &officer,
            &reference,
            "representative",
            &rep_fields(&[
                ("representative_name", "Sam Advocate"),
                ("representative_relationship", "advocate"),
                ("representative_email", ""),
            ]),
        )
        .await;
        assert_eq!(response.status(), 303);
        let now = stored(&app);
        assert_eq!(now.len(), 1, "still one representative");
        assert_eq!(
            (now[0].0.as_str(), now[0].2.as_deref()),
            ("Sam Advocate", None)
        );
        assert_eq!(app.audit_count("case_representative_changed"), 2);
        let kinds: i64 = case_events::table
            .filter(case_events::kind.eq("representative_changed"))
            .count()
            .get_result(&mut app.conn())
            .unwrap();
        assert_eq!(kinds, 2);
        let page = officer.get_html(&format!("/cases/{reference}")).await;
        assert!(page.contains("details changed (advocate)"), "{page}");
    })
    .await;
}

#[tokio::test]
async fn bad_input_is_refused_beside_the_field_with_values_kept() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let reference = log_case(&officer, today() - Duration::days(1), &[]).await;
        let response = act_owned(
            &officer,
            &reference,
            "representative",
            &rep_fields(&[("representative_email", "grace at council")]),
        )
        .await;
        assert_eq!(response.status(), 400);
        let page = response.text().await.unwrap();
        assert!(page.contains("id=\"representative-email-error\""), "{page}");
        assert!(page.contains("Enter an email address in the correct format"));
        assert!(page.contains("value=\"grace at council\""));

        let nowhere = rep_fields(&[
            ("representative_email", ""),
            ("representative_address_line_1", ""),
            ("representative_address_town", ""),
            ("representative_address_postcode", ""),
        ]);
        let page = act_owned(&officer, &reference, "representative", &nowhere)
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains(
                "email address or postal address: once consent is recorded, letters go to them"
            ),
            "{page}"
        );
        assert!(page.contains("value=\"Cllr Grace Hopper\""));
        assert!(stored(&app).is_empty(), "nothing saved");
        assert_eq!(app.audit_count("case_representative_changed"), 0);
    })
    .await;
}

#[tokio::test]
async fn a_stale_version_is_refused_and_nothing_changes() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let reference = log_case(&officer, today() - Duration::days(1), &[]).await;
        let form = officer
            .get_html(&format!("/cases/{reference}/representative"))
            .await;
        let (seen_version, last) = (hidden(&form, "version"), hidden(&form, "last_event"));
        // Someone else changes the case meanwhile.
        assert_eq!(
            act(&officer, &reference, "triage", &[("decision", "stage1")])
                .await
                .status(),
            303
        );
        let mut fields = rep_fields(&[]);
        fields.push(("version".into(), seen_version));
        fields.push(("last_event".into(), last));
        let borrowed: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let response = officer
            .post_form(&format!("/cases/{reference}/representative"), &borrowed)
            .await;
        assert_eq!(response.status(), 409, "a stale version is a conflict");
        let page = response.text().await.unwrap();
        assert!(page.contains("changed by someone else"), "{page}");
        assert!(page.contains("value=\"Cllr Grace Hopper\""), "values kept");
        assert!(stored(&app).is_empty());
        assert_eq!(app.audit_count("case_representative_changed"), 0);
    })
    .await;
}

#[tokio::test]
async fn managers_and_admins_may_not_change_the_representative() {
    for_each_backend(|app| async move {
        let area = make_area(&app, "RPA");
        let reference = logged_case(&app, false, area).await;
        app.create_user("mo@example.org", "Mo Manager", Role::Manager, &[area]);
        let manager = app.with_new_client();
        manager.sign_in("mo@example.org", PASSWORD).await;
        let admin = app.signed_in_as(Role::Admin).await;
        let v = version(&app, &reference).to_string();
        for client in [&manager, &admin] {
            let path = format!("/cases/{reference}/representative");
            assert_eq!(client.get(&path).await.status(), 403);
            let mut fields = rep_fields(&[]);
            fields.push(("version".into(), v.clone()));
            let borrowed: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            assert_eq!(client.post_form(&path, &borrowed).await.status(), 403);
        }
        let page = manager.get_html(&format!("/cases/{reference}")).await;
        assert!(!page.contains("/representative\""), "not offered");
        assert!(stored(&app).is_empty(), "nothing written");
        assert_eq!(version(&app, &reference).to_string(), v);
        assert_eq!(app.audit_count("case_representative_changed"), 0);
    })
    .await;
}

#[tokio::test]
async fn a_confidential_complainants_representative_is_hidden_from_managers() {
    for_each_backend(|app| async move {
        let area = make_area(&app, "RPC");
        let reference = logged_case(&app, true, area).await;
        let officer = app.signed_in_as(Role::Officer).await;
        let response = act_owned(&officer, &reference, "representative", &rep_fields(&[])).await;
        assert_eq!(response.status(), 303);
        app.create_user("mo@example.org", "Mo Manager", Role::Manager, &[area]);
        let manager = app.with_new_client();
        manager.sign_in("mo@example.org", PASSWORD).await;
        let seen = manager.get_html(&format!("/cases/{reference}")).await;
        assert!(seen.contains("Confidential complainant"));
        for private in ["Grace Hopper", "grace@council", "Town Hall", "01632"] {
            assert!(!seen.contains(private), "{private} shown to a manager");
        }
        assert!(
            seen.contains("Representative added (councillor)"),
            "the timeline says what happened"
        );
        let seen = officer.get_html(&format!("/cases/{reference}")).await;
        assert!(seen.contains("grace@council.example.gov.uk"));
    })
    .await;
}

#[tokio::test]
async fn a_profile_that_refuses_solicitors_refuses_them_here_too() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.rules.policy = "east-kent-housing".into()
    })
    .await;
    let officer = app.signed_in_as(Role::Officer).await;
    let reference = log_case(&officer, today() - Duration::days(1), &[]).await;
    let page = act_owned(
        &officer,
        &reference,
        "representative",
        &rep_fields(&[("representative_relationship", "solicitor")]),
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(
        page.contains("href=\"#representative-relationship\""),
        "{page}"
    );
    assert!(page.contains("lawyers"));
    assert!(stored(&app).is_empty());
}
