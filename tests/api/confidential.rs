//! A confidential complainant's identity (SPEC section 2): every route that can render one,
//! for every role. Officers see it and each view is audited; the assigned manager, another
//! manager of the area, the area's director and the administrator never get the name,
//! address, postcode, email or telephone, before or after the resident agrees to share the
//! property's address, and their views write no identity audit entry.

use chrono::Duration;
use diesel::prelude::*;
use redress::db::schema::{cases, letters, outbox};
use redress::domain::{CaseId, Role};

use crate::helpers::{for_each_backend, TestApp, PASSWORD};
use crate::letters::{open, post, ACK_FIELDS};
use crate::triage::{act, act_owned, date_fields, log_case, refused_now, team, today};

const NAME: &str = "Priya Okonkwo-Hale";
const EMAIL: &str = "priya.hale@example.net";
const PHONE: &str = "07700 900461";
const STREET: &str = "14 Larkspur Terrace";
const TOWN: &str = "Oakbridge";
const POSTCODE: &str = "OB4 7QT";
/// What must never reach anyone but an officer (the surname alone included).
const IDENTITY: [&str; 7] = [NAME, "Okonkwo", EMAIL, PHONE, STREET, TOWN, POSTCODE];
/// Still withheld once the property's address may be shared.
const PERSON: [&str; 4] = [NAME, "Okonkwo", EMAIL, PHONE];

const VIEWED: &str = "confidential_identity_viewed";
const PROPERTY_VIEWED: &str = "confidential_property_viewed";

/// Who is asking, in the column order of the tables below.
const WHO: [&str; 5] = [
    "officer",
    "assigned manager",
    "other manager of the area",
    "area director",
    "admin",
];

struct Fixture {
    by_role: [TestApp; 5],
    reference: String,
    /// The stage 1 acknowledgement, sent by post.
    letter: i32,
}

/// A confidential stage 1 case in the Repairs area, assigned to a manager, whose
/// acknowledgement an officer sent by post (the resident asked for letters).
async fn fixture(app: &TestApp) -> Fixture {
    let t = team(app).await;
    app.create_user(
        "dir@example.org",
        "Area Director",
        Role::Director,
        &[t.area],
    );
    let director = app.with_new_client();
    assert_eq!(
        director.sign_in("dir@example.org", PASSWORD).await.status(),
        303
    );
    let other_manager = app.with_new_client();
    assert_eq!(
        other_manager
            .sign_in("max@example.org", PASSWORD)
            .await
            .status(),
        303
    );
    let admin = app.signed_in_as(Role::Admin).await;

    let reference = log_case(
        &t.officer,
        today() - Duration::days(1),
        &[
            ("complainant_name", NAME),
            ("email", EMAIL),
            ("phone", PHONE),
            ("address_line_1", STREET),
            ("address_town", TOWN),
            ("address_postcode", POSTCODE),
            ("preferred_contact", "letter"),
            ("confidential", "true"),
        ],
    )
    .await;
    let triaged = act(&t.officer, &reference, "triage", &[("decision", "stage1")]).await;
    assert_eq!(triaged.status(), 303);
    let (area, manager) = (t.area.to_string(), t.manager.to_string());
    let assigned = act(
        &t.officer,
        &reference,
        "assign",
        &[("service_area", &area), ("manager", &manager)],
    )
    .await;
    assert_eq!(assigned.status(), 303);
    let editor = open(&t.officer, &reference, "stage1_acknowledgement").await;
    let sent = post(
        &t.officer,
        &reference,
        "stage1_acknowledgement",
        &editor,
        "send",
        &ACK_FIELDS,
    )
    .await;
    assert_eq!(sent.status(), 303, "the officer sends the acknowledgement");
    // The response date extended: the extension letter is drafted and owed (one route per
    // job), so the letter routes below have a letter to open.
    crate::letters::extend(&t.manager_client, &reference).await;
    let letter: i32 = letters::table
        .filter(letters::status.eq("sent"))
        .select(letters::id)
        .first(&mut app.conn())
        .unwrap();
    Fixture {
        by_role: [t.officer, t.manager_client, other_manager, director, admin],
        reference,
        letter,
    }
}

/// `S`: shown, and the view audited; `W`: answered without the identity, nothing audited;
/// `N`: refused (403).
fn marks(row: &str) -> Vec<char> {
    let marks: Vec<char> = row.chars().filter(|c| !c.is_whitespace()).collect();
    assert_eq!(marks.len(), WHO.len());
    marks
}

/// Checks `page` as `who` against `mark`, with `withheld` the strings it must not contain
/// when the identity is withheld.
async fn check(
    app: &TestApp,
    client: &TestApp,
    who: &str,
    path: &str,
    mark: char,
    withheld: &[&str],
) {
    let before = app.audit_count(VIEWED);
    let response = client.get(path).await;
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    let context = format!("GET {path} as {who} on {}", app.backend);
    match mark {
        'S' => {
            assert_eq!(status, 200, "{context}");
            assert!(body.contains(NAME), "{context}: the name is shown");
            assert!(app.audit_count(VIEWED) > before, "{context}: audited");
        }
        'W' => {
            assert_eq!(status, 200, "{context}");
            for secret in withheld {
                assert!(!body.contains(secret), "{context}: shows {secret}");
            }
            assert_eq!(app.audit_count(VIEWED), before, "{context}: nothing shown");
        }
        _ => {
            assert_eq!(status, 403, "{context}");
            assert_eq!(app.audit_count(VIEWED), before, "{context}: nothing shown");
        }
    }
}

fn routes(f: &Fixture) -> Vec<(String, &'static str)> {
    let case = format!("/cases/{}", f.reference);
    vec![
        (case.clone(), "S W W W N"),
        (format!("{case}/letters"), "S W W W N"),
        (format!("/letters/{}", f.letter), "S W W W N"),
        (format!("/letters/{}/print", f.letter), "S W W W N"),
        (format!("{case}/letters/extension"), "S W W W N"),
        // Lists never name a confidential complainant, not even to officers.
        (format!("/cases?q={}", f.reference), "W W W W N"),
        ("/letters/print-queue".into(), "S N N N N"),
    ]
}

#[tokio::test]
async fn only_officers_see_a_confidential_identity_and_every_view_is_audited() {
    for_each_backend(|app| async move {
        let f = fixture(&app).await;
        for (path, row) in routes(&f) {
            for (i, mark) in marks(row).into_iter().enumerate() {
                check(&app, &f.by_role[i], WHO[i], &path, mark, &IDENTITY).await;
            }
        }
        // The property's address is withheld too, said in words.
        let page = f.by_role[1]
            .get_html(&format!("/cases/{}", f.reference))
            .await;
        assert!(page.contains("Confidential complainant"));
        assert!(page.contains("has not agreed to share it"), "{page}");
        assert_eq!(app.audit_count(PROPERTY_VIEWED), 0);

        // A previewed draft, as the assigned manager: the placeholder, not the address.
        let manager = &f.by_role[1];
        let editor = open(manager, &f.reference, "extension").await;
        let before = app.audit_count(VIEWED);
        let preview = post(manager, &f.reference, "extension", &editor, "preview", &[]).await;
        let preview = preview.text().await.unwrap();
        for secret in IDENTITY {
            assert!(!preview.contains(secret), "preview shows {secret}");
        }
        assert!(preview.contains("The address is added when an officer sends the letter"));
        assert_eq!(app.audit_count(VIEWED), before);

        // The resident's copy is complete; the frozen letter in the database keeps it all.
        let frozen: String = letters::table
            .find(f.letter)
            .select(letters::frozen_html.assume_not_null())
            .first(&mut app.conn())
            .unwrap();
        for part in [NAME, STREET, TOWN, POSTCODE] {
            assert!(frozen.contains(part), "the sent letter lacks {part}");
        }
        // Staff emails (the manager's assignment) name no one.
        let to_manager: Vec<String> = outbox::table
            .filter(outbox::recipient.eq("mia@example.org"))
            .select(outbox::body_text)
            .load(&mut app.conn())
            .unwrap();
        assert!(
            !to_manager.is_empty(),
            "the manager was told of the assignment"
        );
        for body in &to_manager {
            for secret in IDENTITY {
                assert!(
                    !body.contains(secret),
                    "an email to the manager shows {secret}"
                );
            }
        }
    })
    .await;
}

#[tokio::test]
async fn with_the_residents_agreement_investigators_see_the_property_and_nothing_else() {
    for_each_backend(|app| async move {
        let f = fixture(&app).await;
        let officer = &f.by_role[0];
        let case = format!("/cases/{}", f.reference);
        assert!(officer
            .get_html(&case)
            .await
            .contains("Record agreement to share the property address"));
        // Managers may not record it.
        let path = format!("{case}/property-address");
        assert_eq!(f.by_role[1].get(&path).await.status(), 403);
        let refused = f.by_role[1]
            .post_form(&path, &[("version", "1"), ("last_event", "0")])
            .await;
        assert_eq!(refused.status(), 403);
        // A date in the future is refused beside the field, the typed date kept.
        let tomorrow = date_fields("on", today() + Duration::days(1));
        let future = act_owned(officer, &f.reference, "property-address", &tomorrow).await;
        let html = future.text().await.unwrap();
        assert!(html.contains("must be today or in the past"), "{html}");
        assert!(html.contains(&format!(
            "value=\"{}\"",
            (today() + Duration::days(1)).format("%Y")
        )));

        let agreed = act_owned(
            officer,
            &f.reference,
            "property-address",
            &date_fields("on", today()),
        )
        .await;
        assert_eq!(agreed.status(), 303);
        let timeline = officer.get_html(&case).await;
        assert!(timeline.contains("agreed on"), "on the timeline");
        assert!(!timeline.contains("Record agreement to share the property address"));

        // The investigators now see the property, audited, and still not the person.
        for i in [1, 2, 3] {
            let before = app.audit_count(PROPERTY_VIEWED);
            let page = f.by_role[i].get_html(&case).await;
            assert!(
                page.contains(STREET) && page.contains(POSTCODE),
                "{}",
                WHO[i]
            );
            for secret in PERSON {
                assert!(!page.contains(secret), "{} sees {secret}", WHO[i]);
            }
            assert_eq!(app.audit_count(PROPERTY_VIEWED), before + 1, "{}", WHO[i]);
        }
        // Letters still carry the address block only for officers.
        for (path, row) in routes(&f).into_iter().skip(1) {
            for (i, mark) in marks(row).into_iter().enumerate() {
                check(&app, &f.by_role[i], WHO[i], &path, mark, &IDENTITY).await;
            }
        }
        // Recording it twice is refused.
        let again = refused_now(officer, &f.reference, "property-address").await;
        assert!(again.contains("already recorded"), "{again}");
    })
    .await;
}

#[tokio::test]
async fn on_a_confidential_case_only_an_officer_sends_a_letter() {
    for_each_backend(|app| async move {
        let f = fixture(&app).await;
        let manager = &f.by_role[1];
        let editor = open(manager, &f.reference, "extension").await;
        let fields = [
            ("extension_length", "5"),
            ("extension_reason", "interviews_needed"),
        ];
        let refused = post(manager, &f.reference, "extension", &editor, "send", &fields).await;
        let html = refused.text().await.unwrap();
        assert!(
            html.contains("an officer adds the address and sends this letter"),
            "{html}"
        );
        let sent = |app: &TestApp| -> i64 {
            letters::table
                .filter(letters::status.eq("sent"))
                .count()
                .get_result(&mut app.conn())
                .unwrap()
        };
        assert_eq!(sent(&app), 1, "only the acknowledgement");
        // The manager saves the draft; the letters owed say who sends it.
        let saved = post(manager, &f.reference, "extension", &editor, "save", &fields).await;
        assert_eq!(saved.status(), 200);
        let owed = manager
            .get_html(&format!("/cases/{}/letters", f.reference))
            .await;
        assert!(
            owed.contains("an officer adds the address and sends it"),
            "{owed}"
        );
        // The officer sends it, with the address.
        let officer = &f.by_role[0];
        let editor = open(officer, &f.reference, "extension").await;
        let sent_now = post(officer, &f.reference, "extension", &editor, "send", &fields).await;
        assert_eq!(sent_now.status(), 303);
        assert_eq!(sent(&app), 2);
        let case_id: CaseId = cases::table
            .filter(cases::reference.eq(&f.reference))
            .select(cases::id)
            .first(&mut app.conn())
            .unwrap();
        let html: String = letters::table
            .filter(letters::case_id.eq(case_id))
            .filter(letters::kind.eq("extension"))
            .select(letters::frozen_html.assume_not_null())
            .first(&mut app.conn())
            .unwrap();
        assert!(html.contains(NAME) && html.contains(STREET));
    })
    .await;
}

#[tokio::test]
async fn the_outbox_shows_officers_a_confidential_residents_email_and_audits_it() {
    for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let reference = log_case(
            &officer,
            today() - Duration::days(1),
            &[
                ("email", EMAIL),
                ("preferred_contact", "email"),
                ("confidential", "true"),
            ],
        )
        .await;
        let triaged = act(&officer, &reference, "triage", &[("decision", "stage1")]).await;
        assert_eq!(triaged.status(), 303);
        let editor = open(&officer, &reference, "stage1_acknowledgement").await;
        let sent = post(
            &officer,
            &reference,
            "stage1_acknowledgement",
            &editor,
            "send",
            &ACK_FIELDS,
        )
        .await;
        assert_eq!(sent.status(), 303);
        let before = app.audit_count(VIEWED);
        let page = officer.get_html("/outbox?status=all").await;
        assert!(page.contains(EMAIL), "the letter's email is listed");
        assert_eq!(app.audit_count(VIEWED), before + 1, "{}", app.backend);
    })
    .await;
}
