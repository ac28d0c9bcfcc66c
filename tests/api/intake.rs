//! Intake: officers logging complaints, the case page, confidentiality, the public form,
//! and reference allocation under concurrency.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate};
use diesel::prelude::*;
use redress::cases::log::{log_complaint, Logger};
use redress::db::schema::{cases, complainants, representatives};
use redress::domain::case::{validate, RawComplaint};
use redress::domain::{Role, ServiceAreaId};
use redress::rules::Unit;

use crate::helpers::{
    calendar, for_each_backend, location, spawn_app, spawn_app_with, Backend, TestApp,
};

fn today() -> NaiveDate {
    redress::cases::london_today()
}

/// A complete, valid officer form for a phone complaint received today.
pub(crate) fn phone_complaint(name: &str) -> Vec<(String, String)> {
    let t = today();
    let occurred = t - Duration::days(20);
    [
        ("complainant_name", name.to_string()),
        ("email", "jo@example.org".into()),
        ("phone", "07700 900 982".into()),
        ("address_line_1", "1 High Street".into()),
        ("address_town", "Canterbury".into()),
        ("address_postcode", "ct1 1aa".into()),
        ("preferred_contact", "email".into()),
        ("tenancy_relationship", "tenant".into()),
        ("adjustments", "large_print".into()),
        ("adjustments", "interpreter".into()),
        ("interpreter_language", "Polish".into()),
        (
            "vulnerability_notes",
            "Hearing impaired; lives alone".into(),
        ),
        ("channel", "phone".into()),
        ("received_day", t.day().to_string()),
        ("received_month", t.month().to_string()),
        ("received_year", t.year().to_string()),
        ("occurred_day", occurred.day().to_string()),
        ("occurred_month", occurred.month().to_string()),
        ("occurred_year", occurred.year().to_string()),
        (
            "description",
            "The boiler has been broken for three weeks.".into(),
        ),
        ("outcome_sought", "Fix the boiler <now>".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

pub(crate) async fn post_fields(
    app: &TestApp,
    path: &str,
    fields: &[(String, String)],
) -> reqwest::Response {
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.post_form(path, &borrowed).await
}

#[tokio::test]
async fn an_officer_logs_a_phone_complaint_and_sees_its_deadlines() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        assert_eq!(officer.get("/cases/new").await.status(), 200);
        let response = post_fields(&officer, "/cases", &phone_complaint("Jo Bloggs")).await;
        assert_eq!(response.status(), 303, "{}", app.backend);
        let reference = format!("CMP-{}-000001", today().year());
        assert_eq!(location(&response), format!("/cases/{reference}"));

        let page = officer.get_html(&format!("/cases/{reference}")).await;
        assert!(page.contains(&format!("Complaint logged as {reference}")));
        assert!(page.contains("Awaiting triage"));
        assert!(page.contains("Jo Bloggs"));
        assert!(
            page.contains("Interpreter (Polish)") || page.contains("(Polish)"),
            "{page}"
        );
        assert!(
            page.contains("Fix the boiler &#60;now&#62;")
                || page.contains("Fix the boiler &lt;now&gt;"),
            "escaped"
        );
        // The acknowledgement deadline is the rules engine's: 5 working days from receipt.
        let due = calendar().add(today(), 5, Unit::WorkingDays).unwrap();
        assert!(
            page.contains(&due.format("%-d %B %Y").to_string()),
            "{page}"
        );
        assert!(page.contains("Stage 1: Acknowledge"));
        assert!(page.contains("Complaint logged") || page.contains("logged"));

        let (status, channel, next_due): (String, String, Option<NaiveDate>) = cases::table
            .select((cases::status, cases::channel, cases::next_due_on))
            .first(&mut app.conn())
            .unwrap();
        assert_eq!((status.as_str(), channel.as_str()), ("received", "phone"));
        assert_eq!(next_due, Some(due));
        assert_eq!(app.audit_count("case_logged"), 1);
    })
    .await;
}

#[tokio::test]
async fn logging_refuses_bad_input_with_messages_and_keeps_values() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let mut fields = phone_complaint("");
        fields.retain(|(k, _)| {
            ![
                "email",
                "phone",
                "address_line_1",
                "address_town",
                "address_postcode",
                "preferred_contact",
                "description",
            ]
            .contains(&k.as_str())
        });
        let tomorrow = today() + Duration::days(1);
        for (k, v) in fields.iter_mut() {
            match k.as_str() {
                "received_day" => *v = tomorrow.day().to_string(),
                "received_month" => *v = tomorrow.month().to_string(),
                "received_year" => *v = tomorrow.year().to_string(),
                "occurred_month" => *v = "13".into(),
                _ => {}
            }
        }
        let response = post_fields(&officer, "/cases", &fields).await;
        assert_eq!(response.status(), 400);
        let page = response.text().await.unwrap();
        for message in [
            "Enter the complainant",
            "Enter at least one way to contact the complainant",
            "Date received must be today or in the past",
            "Date the problem happened must be a real date",
            "Enter a description of the complaint",
        ] {
            assert!(page.contains(message), "missing {message:?} in {page}");
        }
        assert!(page.contains("href=\"#received-day\""));
        assert!(page.contains("value=\"Polish\""), "typed values kept");
        assert!(page.contains("Hearing impaired; lives alone"));
        assert!(page.contains("value=\"large_print\" checked"));
        let count: i64 = cases::table.count().get_result(&mut app.conn()).unwrap();
        assert_eq!(count, 0, "nothing saved");
    })
    .await;
}

#[tokio::test]
async fn a_complaint_past_the_time_limit_is_logged_with_a_warning() {
    let app = spawn_app(Backend::Sqlite).await;
    let officer = app.signed_in_as(Role::Officer).await;
    let mut fields = phone_complaint("Jo Bloggs");
    let long_ago = today() - Duration::days(800);
    for (k, v) in fields.iter_mut() {
        match k.as_str() {
            "occurred_day" => *v = long_ago.day().to_string(),
            "occurred_month" => *v = long_ago.month().to_string(),
            "occurred_year" => *v = long_ago.year().to_string(),
            _ => {}
        }
    }
    let response = post_fields(&officer, "/cases", &fields).await;
    assert_eq!(response.status(), 303);
    let page = officer.get_html(&location(&response)).await;
    assert!(
        page.contains("12 months"),
        "the warning names the limit: {page}"
    );
}

#[tokio::test]
async fn a_solicitor_is_refused_where_the_profile_says_so() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.rules.policy = "east-kent-housing".into()
    })
    .await;
    let officer = app.signed_in_as(Role::Officer).await;
    let mut fields = phone_complaint("Jo Bloggs");
    fields.push(("representative_name".into(), "A Solicitor".into()));
    fields.push(("representative_relationship".into(), "solicitor".into()));
    let page = post_fields(&officer, "/cases", &fields)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("href=\"#representative-relationship\""),
        "{page}"
    );
    assert!(page.contains("solicitor"));
}

/// The representative's fields, consent dated yesterday (staff form).
fn with_representative(fields: &mut Vec<(String, String)>, extra: &[(&str, &str)]) {
    let consent = today() - Duration::days(1);
    for (k, v) in [
        ("representative_name", "Cllr Grace Hopper".to_string()),
        ("representative_relationship", "councillor".into()),
        ("representative_consent_day", consent.day().to_string()),
        ("representative_consent_month", consent.month().to_string()),
        ("representative_consent_year", consent.year().to_string()),
    ] {
        fields.push((k.into(), v));
    }
    fields.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
}

type StoredRepresentative = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<NaiveDate>,
);

fn stored_representatives(app: &TestApp) -> Vec<StoredRepresentative> {
    representatives::table
        .select((
            representatives::name,
            representatives::email,
            representatives::phone,
            representatives::address,
            representatives::consent_received_on,
        ))
        .order(representatives::id)
        .load(&mut app.conn())
        .unwrap()
}

#[tokio::test]
async fn the_staff_form_records_how_to_reach_the_representative() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let form = officer.get_html("/cases/new").await;
        assert!(form.contains("name=\"representative_email\""));
        assert!(form.contains("name=\"representative_address_postcode\""));

        // Consent recorded but nowhere to send letters: refused, values kept.
        let mut fields = phone_complaint("Jo Bloggs");
        with_representative(&mut fields, &[("representative_phone", "01632 960 001")]);
        let response = post_fields(&officer, "/cases", &fields).await;
        assert_eq!(response.status(), 400);
        let page = response.text().await.unwrap();
        assert!(
            page.contains(
                "email address or postal address: once consent is recorded, letters go to them"
            ),
            "{page}"
        );
        assert!(page.contains("href=\"#representative-email\""));
        assert!(
            page.contains("value=\"01632 960 001\""),
            "typed values kept"
        );

        // A badly typed email: the complainant's message, beside the representative's box.
        let mut fields = phone_complaint("Jo Bloggs");
        with_representative(&mut fields, &[("representative_email", "grace at council")]);
        let page = post_fields(&officer, "/cases", &fields)
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("id=\"representative-email-error\""), "{page}");
        assert!(page.contains("Enter an email address in the correct format"));
        assert!(page.contains("value=\"grace at council\""));
        assert!(stored_representatives(&app).is_empty(), "nothing saved");
        let count: i64 = cases::table.count().get_result(&mut app.conn()).unwrap();
        assert_eq!(count, 0);

        let mut fields = phone_complaint("Jo Bloggs");
        with_representative(
            &mut fields,
            &[
                ("representative_email", "Grace@Council.example.gov.uk"),
                ("representative_phone", "01632 960 001"),
                ("representative_address_line_1", "Town Hall"),
                ("representative_address_line_2", "Market Square"),
                ("representative_address_town", "Anytown"),
                ("representative_address_postcode", "an1 1th"),
            ],
        );
        let response = post_fields(&officer, "/cases", &fields).await;
        assert_eq!(response.status(), 303);
        let stored = stored_representatives(&app);
        assert_eq!(stored.len(), 1);
        let (name, email, phone, address, consent) = stored[0].clone();
        assert_eq!(name, "Cllr Grace Hopper");
        assert_eq!(email.as_deref(), Some("grace@council.example.gov.uk"));
        assert!(phone.is_some());
        assert_eq!(
            address.as_deref(),
            Some("Town Hall\nMarket Square\nAnytown\nAN1 1TH")
        );
        assert_eq!(consent, Some(today() - Duration::days(1)));
    })
    .await;
}

#[tokio::test]
async fn the_public_form_records_how_to_reach_the_representative() {
    for_each_backend(|app| async move {
        let form = app.get("/complain").await.text().await.unwrap();
        assert!(form.contains("name=\"representative_email\""));
        let representative = |extra: &[(&str, &str)]| {
            let mut fields = public_fields();
            fields.extend(
                [
                    ("representative_name", "Sam Friend"),
                    ("representative_relationship", "friend_relative"),
                    ("representative_consent", "true"),
                ]
                .iter()
                .chain(extra)
                .map(|(k, v)| (k.to_string(), v.to_string())),
            );
            fields
        };
        let page = post_fields(&app, "/complain", &representative(&[]))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Enter an email address or postal address for the person acting for you"),
            "{page}"
        );
        let page = post_fields(
            &app,
            "/complain",
            &representative(&[("representative_email", "sam@@example")]),
        )
        .await
        .text()
        .await
        .unwrap();
        assert!(page.contains("id=\"representative-email-error\""));
        assert!(page.contains("value=\"sam@@example\""));
        assert!(stored_representatives(&app).is_empty());

        let response = post_fields(
            &app,
            "/complain",
            &representative(&[
                ("representative_address_line_1", "4 Elm Row"),
                ("representative_address_town", "Anytown"),
                ("representative_address_postcode", "AN2 2BB"),
            ]),
        )
        .await;
        assert_eq!(response.status(), 200);
        let stored = stored_representatives(&app);
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].1, None);
        assert_eq!(stored[0].3.as_deref(), Some("4 Elm Row\nAnytown\nAN2 2BB"));
        assert_eq!(stored[0].4, Some(today()));
    })
    .await;
}

#[tokio::test]
async fn only_officers_may_log_complaints() {
    let app = spawn_app(Backend::Sqlite).await;
    for role in [Role::Manager, Role::Director, Role::Admin] {
        let client = app.signed_in_as(role).await;
        assert_eq!(client.get("/cases/new").await.status(), 403, "{role}");
        let response = post_fields(&client, "/cases", &phone_complaint("X")).await;
        assert_eq!(response.status(), 403, "{role}");
    }
    let count: i64 = cases::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(count, 0);
}

/// A case in `area`, logged by an officer; returns its reference. (Also used by other
/// modules as a fixture.)
pub(crate) async fn logged_case(app: &TestApp, confidential: bool, area: ServiceAreaId) -> String {
    let officer = app.signed_in_as(Role::Officer).await;
    let mut fields = phone_complaint("Jo Bloggs");
    if confidential {
        fields.push(("confidential".into(), "true".into()));
    }
    let response = post_fields(&officer, "/cases", &fields).await;
    let reference = location(&response)
        .trim_start_matches("/cases/")
        .to_string();
    diesel::update(cases::table.filter(cases::reference.eq(&reference)))
        .set(cases::service_area_id.eq(area))
        .execute(&mut app.conn())
        .unwrap();
    reference
}

pub(crate) fn make_area(app: &TestApp, code: &str) -> ServiceAreaId {
    crate::helpers::make_area(app, &format!("Area {code}"), code)
}

#[tokio::test]
async fn a_confidential_identity_is_hidden_from_managers_and_audited_for_officers() {
    for_each_backend(|app| async move {
        let area = make_area(&app, "REP");
        let reference = logged_case(&app, true, area).await;
        let page_path = format!("/cases/{reference}");

        app.create_user("mo@example.org", "Mo Manager", Role::Manager, &[area]);
        let manager = app.with_new_client();
        manager
            .sign_in("mo@example.org", crate::helpers::PASSWORD)
            .await;
        let seen = manager.get_html(&page_path).await;
        assert!(seen.contains("Confidential complainant"), "{}", app.backend);
        assert!(!seen.contains("Jo Bloggs"));
        assert!(!seen.contains("jo@example.org"));
        assert!(
            !seen.contains("Hearing impaired"),
            "not assigned: no vulnerability notes"
        );
        assert_eq!(app.audit_count("confidential_identity_viewed"), 0);

        let officer = app.signed_in_as(Role::Officer).await;
        let seen = officer.get_html(&page_path).await;
        assert!(seen.contains("Jo Bloggs"));
        assert!(seen.contains("Hearing impaired"));
        assert_eq!(app.audit_count("confidential_identity_viewed"), 1);
        assert_eq!(app.audit_count("vulnerability_notes_viewed"), 1);
    })
    .await;
}

#[tokio::test]
async fn vulnerability_notes_are_for_officers_and_the_assigned_manager() {
    for_each_backend(|app| async move {
        let area = make_area(&app, "EST");
        let reference = logged_case(&app, false, area).await;
        let manager_id = app.create_user("as@example.org", "Assigned Manager", Role::Manager, &[]);
        diesel::update(cases::table.filter(cases::reference.eq(&reference)))
            .set(cases::assignee_id.eq(manager_id))
            .execute(&mut app.conn())
            .unwrap();
        let assigned = app.with_new_client();
        assigned
            .sign_in("as@example.org", crate::helpers::PASSWORD)
            .await;
        let page = assigned.get_html(&format!("/cases/{reference}")).await;
        assert!(
            page.contains("Jo Bloggs"),
            "not confidential: identity shown"
        );
        assert!(page.contains("Hearing impaired"));
        assert_eq!(app.audit_count("vulnerability_notes_viewed"), 1);

        app.create_user("area@example.org", "Area Manager", Role::Manager, &[area]);
        let area_manager = app.with_new_client();
        area_manager
            .sign_in("area@example.org", crate::helpers::PASSWORD)
            .await;
        let page = area_manager.get_html(&format!("/cases/{reference}")).await;
        assert!(!page.contains("Hearing impaired"));
        assert_eq!(app.audit_count("vulnerability_notes_viewed"), 1);
    })
    .await;
}

#[tokio::test]
async fn managers_of_other_areas_and_admins_cannot_open_a_case() {
    let app = spawn_app(Backend::Sqlite).await;
    let area = make_area(&app, "REP");
    let other = make_area(&app, "EST");
    let reference = logged_case(&app, false, area).await;
    app.create_user("other@example.org", "Other", Role::Manager, &[other]);
    let manager = app.with_new_client();
    manager
        .sign_in("other@example.org", crate::helpers::PASSWORD)
        .await;
    assert_eq!(
        manager.get(&format!("/cases/{reference}")).await.status(),
        403
    );
    let admin = app.signed_in_as(Role::Admin).await;
    assert_eq!(
        admin.get(&format!("/cases/{reference}")).await.status(),
        403
    );
    let officer = app.signed_in_as(Role::Officer).await;
    assert_eq!(officer.get("/cases/CMP-2020-999999").await.status(), 404);
    assert_eq!(officer.get("/cases/not-a-reference").await.status(), 404);
}

pub(crate) fn public_fields() -> Vec<(String, String)> {
    let occurred = today() - Duration::days(3);
    [
        ("complainant_name", "Pat Resident"),
        ("email", "pat@example.org"),
        ("tenancy_relationship", "tenant"),
        ("description", "My repair was cancelled twice."),
        ("outcome_sought", "Book the repair"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .chain([
        ("occurred_day".to_string(), occurred.day().to_string()),
        ("occurred_month".to_string(), occurred.month().to_string()),
        ("occurred_year".to_string(), occurred.year().to_string()),
    ])
    .collect()
}

#[tokio::test]
async fn a_resident_submits_the_public_form_and_gets_a_reference() {
    for_each_backend(|app| async move {
        let form = app.get("/complain").await;
        assert_eq!(form.status(), 200);
        let response = post_fields(&app, "/complain", &public_fields()).await;
        assert_eq!(response.status(), 200);
        let page = response.text().await.unwrap();
        let reference = format!("CMP-{}-000001", today().year());
        assert!(page.contains(&reference), "{page}");
        assert!(page.contains("within 5 working days"));
        let (channel, status): (String, String) = cases::table
            .select((cases::channel, cases::status))
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(
            (channel.as_str(), status.as_str()),
            ("web_form", "received")
        );

        let errors = post_fields(
            &app,
            "/complain",
            &[("complainant_name".into(), "Pat".into())],
        )
        .await
        .text()
        .await
        .unwrap();
        assert!(errors.contains("Enter what happened"), "{errors}");
        assert!(errors.contains("value=\"Pat\""));
        assert!(!errors.contains(&reference), "never shows other cases");
    })
    .await;
}

#[tokio::test]
async fn the_public_form_needs_its_csrf_token() {
    let app = spawn_app(Backend::Sqlite).await;
    let fields = public_fields();
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(app.post_raw("/complain", &borrowed).await.status(), 403);
}

#[tokio::test]
async fn the_honeypot_stores_nothing() {
    let app = spawn_app(Backend::Sqlite).await;
    let mut fields = public_fields();
    fields.push(("website".into(), "http://spam.example".into()));
    let page = post_fields(&app, "/complain", &fields)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Complaint sent"));
    assert!(!page.contains("CMP-"));
    let count: i64 = cases::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn the_public_form_is_rate_limited_per_address() {
    let app = spawn_app(Backend::Sqlite).await;
    for _ in 0..5 {
        assert_eq!(
            post_fields(&app, "/complain", &public_fields())
                .await
                .status(),
            200
        );
    }
    let refused = post_fields(&app, "/complain", &public_fields()).await;
    assert_eq!(refused.status(), 429);
    assert!(refused.text().await.unwrap().contains("Too many requests"));
    let count: i64 = cases::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(count, 5);
    let people: i64 = complainants::table
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(people, 1, "the same person is recognised by name and email");
}

#[tokio::test]
async fn references_have_no_gaps_or_duplicates_under_eight_concurrent_creates() {
    for backend in crate::helpers::backends() {
        let app = spawn_app(backend).await;
        let profile = app_profile();
        let calendar = std::sync::Arc::new(calendar());
        let raw: RawComplaint = serde_html_form::from_str(
            &serde_html_form::to_string(phone_complaint("Jo Bloggs")).unwrap(),
        )
        .unwrap();
        let (complaint, _) = validate(&raw, &profile, today()).unwrap();
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let pool = app.pool.clone();
                let complaint = complaint.clone();
                let profile = profile.clone();
                let calendar = calendar.clone();
                std::thread::spawn(move || {
                    let mut conn = pool.get().unwrap();
                    log_complaint(
                        &mut conn,
                        &complaint,
                        &profile,
                        &calendar,
                        &Logger {
                            user: None,
                            label: "test",
                            ip: None,
                        },
                        chrono::Utc::now().naive_utc(),
                    )
                    .map(|l| l.reference.sequence())
                    .unwrap()
                })
            })
            .collect();
        let sequences: BTreeSet<u32> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        assert_eq!(
            sequences,
            (1..=8).collect::<BTreeSet<u32>>(),
            "{}",
            app.backend
        );
        let references =
            redress::db::cases::references_of_year(&mut app.conn(), today().year()).unwrap();
        assert_eq!(references.len(), 8);
    }
}

fn app_profile() -> redress::rules::PolicyProfile {
    redress::rules::PolicySet::load_dir(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/config/policies"
    )))
    .unwrap()
    .get("hoc-2024")
    .unwrap()
    .clone()
}
