//! Personal data by design (issue 30), on both backends: retention at its boundary date, the
//! dry run equal to the run, held and Ombudsman cases skipped, legal holds placed and lifted
//! by officers through the form; an anonymised case's page free of the personal data it
//! held, its files gone from disk, and every report and the TSM identical before and after.

use chrono::{NaiveDate, TimeZone, Utc};
use diesel::prelude::*;
use redress::db::case_events::{self, Actor};
use redress::db::schema::{
    attachments, case_events as events_table, cases, complainants, incoming_emails,
    ombudsman_contacts, representatives,
};
use redress::domain::{CaseEvent, CaseId, Role, UserId};
use redress::privacy::retention;
use redress::seed::{seed_demo, SeedOptions};

use crate::helpers::{backends, spawn_app_at, TestApp, PASSWORD};
use crate::triage::hidden;

const SEEDED_ON: &str = "2026-06-17";

pub(crate) fn seed(app: &TestApp, cases: u32) {
    let (calendar, policies) = redress::startup::load_rules(&app.settings).unwrap();
    seed_demo(
        &mut app.conn(),
        &calendar,
        policies.get(&app.settings.rules.policy).unwrap(),
        &SeedOptions {
            cases,
            seed: 30,
            today: SEEDED_ON.parse().unwrap(),
        },
        &mut |_, _| {},
    )
    .expect("seeding works");
}

/// Closed cases without an open Ombudsman contact: (id, reference), oldest id first.
pub(crate) fn closed_cases(app: &TestApp) -> Vec<(CaseId, String)> {
    let with_ombudsman: Vec<CaseId> = ombudsman_contacts::table
        .filter(ombudsman_contacts::closed_on.is_null())
        .select(ombudsman_contacts::case_id)
        .load(&mut app.conn())
        .unwrap();
    cases::table
        .filter(cases::closed_at.is_not_null())
        .filter(cases::status.eq("closed"))
        .order(cases::id.asc())
        .select((cases::id, cases::reference))
        .load::<(CaseId, String)>(&mut app.conn())
        .unwrap()
        .into_iter()
        .filter(|(id, _)| !with_ombudsman.contains(id))
        .collect()
}

pub(crate) fn close_on(app: &TestApp, case: CaseId, on: NaiveDate) {
    diesel::update(cases::table.find(case))
        .set(cases::closed_at.eq(on.and_hms_opt(11, 0, 0).unwrap()))
        .execute(&mut app.conn())
        .unwrap();
}

/// Places or lifts the legal hold on `reference` through the form, as `officer`.
async fn hold(officer: &TestApp, reference: &str, reason: &str) -> reqwest::Response {
    let path = format!("/cases/{reference}/legal-hold");
    let form = officer.get_html(&path).await;
    let version = hidden(&form, "version");
    officer
        .post_form(&path, &[("reason", reason), ("version", &version)])
        .await
}

#[tokio::test]
async fn retention_removes_at_the_boundary_the_dry_run_equals_the_run_and_holds_are_kept() {
    for backend in backends() {
        let today: NaiveDate = "2026-06-17".parse().unwrap();
        let app = spawn_app_at(
            backend,
            Utc.with_ymd_and_hms(2026, 6, 17, 10, 0, 0).unwrap(),
        )
        .await;
        seed(&app, 30);
        let officer = app.signed_in_as(Role::Officer).await;
        let closed = closed_cases(&app);
        assert!(closed.len() >= 4, "the demo has closed cases");
        let [(due, due_ref), (tomorrow, _), (held, held_ref), (with_om, om_ref)] =
            [0, 1, 2, 3].map(|i| closed[i].clone());
        // Six years to the day, one day short, and two older ones kept for a reason.
        close_on(&app, due, "2020-06-17".parse().unwrap());
        close_on(&app, tomorrow, "2020-06-18".parse().unwrap());
        close_on(&app, held, "2019-01-10".parse().unwrap());
        close_on(&app, with_om, "2019-01-10".parse().unwrap());
        diesel::insert_into(ombudsman_contacts::table)
            .values((
                ombudsman_contacts::case_id.eq(with_om),
                ombudsman_contacts::kind.eq("referral"),
                ombudsman_contacts::contacted_on.eq(today),
                ombudsman_contacts::ombudsman_reference.eq("202600001"),
                ombudsman_contacts::contact_name.eq(""),
                ombudsman_contacts::notes.eq(""),
                ombudsman_contacts::created_at.eq(today.and_hms_opt(9, 0, 0).unwrap()),
                ombudsman_contacts::updated_at.eq(today.and_hms_opt(9, 0, 0).unwrap()),
            ))
            .execute(&mut app.conn())
            .unwrap();

        // The officer places a hold: a reason is required (400, kept beside the field).
        let refused = hold(&officer, &held_ref, "  ").await;
        assert_eq!(refused.status(), 400);
        assert!(refused
            .text()
            .await
            .unwrap()
            .contains("Enter why the personal data must be kept"));
        let placed = hold(
            &officer,
            &held_ref,
            "Disrepair claim, county court ref K00AB123",
        )
        .await;
        assert_eq!(placed.status(), 303);
        let page = officer.get_html(&format!("/cases/{held_ref}")).await;
        assert!(page.contains("Legal hold placed"), "on the timeline");
        assert!(page.contains("Disrepair claim, county court ref K00AB123"));
        assert!(page.contains("Lift the legal hold"));
        assert_eq!(app.audit_count("legal_hold_placed"), 1);
        // A stale form (version moved on) answers 409.
        let stale = officer
            .post_form(
                &format!("/cases/{held_ref}/legal-hold"),
                &[("reason", "again"), ("version", "1")],
            )
            .await;
        assert_eq!(stale.status(), 409);

        let policy = app.settings.retention.policy();
        let dry = retention::plan(&mut app.conn(), &policy, today).unwrap();
        let names = |list: &[retention::PastRetention]| -> Vec<(String, String)> {
            list.iter()
                .map(|p| (p.reference.clone(), p.kept_because.clone()))
                .collect()
        };
        assert_eq!(
            names(&dry.anonymise),
            vec![(due_ref.clone(), String::new())]
        );
        assert_eq!(
            names(&dry.kept),
            vec![
                (held_ref.clone(), "Under a legal hold".to_string()),
                (
                    om_ref.clone(),
                    "The Housing Ombudsman contact is still open".to_string()
                ),
            ]
        );
        // The retention page shows the same lists.
        let listed = officer.get_html("/retention").await;
        assert!(
            listed.contains(&due_ref) && listed.contains(&held_ref) && listed.contains(&om_ref)
        );
        assert!(listed.contains("Under a legal hold"));

        // The day before the boundary nothing goes; the run does what the dry run said.
        let before = retention::plan(&mut app.conn(), &policy, today.pred_opt().unwrap()).unwrap();
        assert!(before.anonymise.is_empty());
        let ran = retention::run(
            &mut app.conn(),
            &app.settings.storage.data_dir,
            &policy,
            today,
            today.and_hms_opt(10, 0, 0).unwrap(),
        )
        .unwrap();
        assert_eq!(ran, dry);
        assert_eq!(app.audit_count("case_anonymised"), 1);
        let again = retention::plan(&mut app.conn(), &policy, today).unwrap();
        assert!(again.anonymise.is_empty(), "nothing left to remove");
        assert_eq!(again.kept, dry.kept);
        let page = officer.get_html(&format!("/cases/{due_ref}")).await;
        assert!(page.contains("Personal data removed: the retention period ended"));
        assert!(!page.contains("Place a legal hold"), "nothing left to hold");

        // Lifting the hold lets the next run take the case.
        assert_eq!(
            hold(&officer, &held_ref, "Claim settled").await.status(),
            303
        );
        assert_eq!(app.audit_count("legal_hold_lifted"), 1);
        let next = retention::plan(&mut app.conn(), &policy, today).unwrap();
        assert_eq!(
            names(&next.anonymise),
            vec![(held_ref.clone(), String::new())]
        );
        let _ = tomorrow;
    }
}

/// Adds what a real case gathers and the seed does not: a note, a representative, an
/// evidence file and an email with its original, on case `id`. Gives the storage keys.
fn gather(app: &TestApp, id: CaseId, officer: UserId, secret: &str) -> Vec<String> {
    let mut conn = app.conn();
    let at = NaiveDate::from_ymd_opt(2026, 6, 10)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    case_events::append(
        &mut conn,
        id,
        &CaseEvent::Note {
            text: format!("Called {secret} about the damp in the back bedroom"),
            sensitive: false,
        },
        at.date(),
        &Actor {
            id: Some(officer),
            label: "Officer",
        },
        at,
    )
    .unwrap();
    diesel::delete(representatives::table.filter(representatives::case_id.eq(id)))
        .execute(&mut conn)
        .unwrap();
    diesel::insert_into(representatives::table)
        .values((
            representatives::case_id.eq(id),
            representatives::name.eq("Councillor Ravensworth-Pike"),
            representatives::relationship.eq("councillor"),
            representatives::email.eq(Some("ravensworth@council.example")),
            representatives::created_at.eq(at),
        ))
        .execute(&mut conn)
        .unwrap();
    let dir = &app.settings.storage.data_dir;
    let file = redress::attachments::store::keep_original_email(dir, b"photo of the damp").unwrap();
    diesel::insert_into(attachments::table)
        .values((
            attachments::case_id.eq(id),
            attachments::file_name.eq(format!("{secret}-bedroom.jpg")),
            attachments::content_type.eq("image/jpeg"),
            attachments::size_bytes.eq(17),
            attachments::sha256.eq(&file.sha256),
            attachments::storage_key.eq(&file.storage_key),
            attachments::uploaded_by.eq(officer),
            attachments::uploaded_at.eq(at),
        ))
        .execute(&mut conn)
        .unwrap();
    let eml = redress::attachments::store::keep_original_email(dir, b"From: x").unwrap();
    diesel::insert_into(incoming_emails::table)
        .values((
            incoming_emails::message_id.eq("<privacy-test@example.org>"),
            incoming_emails::from_address.eq("tenant.privacy@example.org"),
            incoming_emails::from_name.eq(secret),
            incoming_emails::subject.eq("Still damp"),
            incoming_emails::received_at.eq(at),
            incoming_emails::body_text.eq(format!("{secret} writes: the mould is back")),
            incoming_emails::quoted_text.eq(""),
            incoming_emails::status.eq("attached"),
            incoming_emails::case_id.eq(Some(id)),
            incoming_emails::eml_key.eq(&eml.storage_key),
            incoming_emails::eml_sha256.eq(&eml.sha256),
            incoming_emails::eml_size.eq(7i64),
        ))
        .execute(&mut conn)
        .unwrap();
    vec![file.storage_key, eml.storage_key]
}

const REPORTS: [&str; 10] = [
    "/reports/performance?year=2025",
    "/reports/performance?year=2024",
    "/reports/performance.csv?year=2025",
    "/reports/tsm?year=2025",
    "/reports/tsm?year=2024",
    "/reports/contractors?year=2025",
    "/reports/learning?year=2025",
    "/reports/evidence?year=2025",
    "/reports/annual?year=2025",
    "/ombudsman/figures?year=2025",
];

#[tokio::test]
async fn an_anonymised_case_shows_no_personal_data_and_reports_do_not_move() {
    for backend in backends() {
        // Seven years after the demo: every closed case is past its period.
        let app = spawn_app_at(
            backend,
            Utc.with_ymd_and_hms(2033, 6, 20, 10, 0, 0).unwrap(),
        )
        .await;
        seed(&app, 40);
        let officer_id = app.create_user(
            "privacy.officer@example.org",
            "Pat Officer",
            Role::Officer,
            &[],
        );
        let officer = app.with_new_client();
        assert_eq!(
            officer
                .sign_in("privacy.officer@example.org", PASSWORD)
                .await
                .status(),
            303
        );
        let (id, reference) = closed_cases(&app)[0].clone();
        let keys = gather(&app, id, officer_id, "Winifred Abernethy");
        let (name, email, phone, postcode): (
            String,
            Option<String>,
            Option<String>,
            Option<String>,
        ) = complainants::table
            .inner_join(cases::table)
            .filter(cases::id.eq(id))
            .select((
                complainants::name,
                complainants::email,
                complainants::phone,
                complainants::postcode,
            ))
            .first(&mut app.conn())
            .unwrap();
        let description: String = cases::table
            .find(id)
            .select(cases::description)
            .first(&mut app.conn())
            .unwrap();
        let mut personal: Vec<String> = vec![
            name,
            "Winifred Abernethy".into(),
            "Councillor Ravensworth-Pike".into(),
            "tenant.privacy@example.org".into(),
            "the damp in the back bedroom".into(),
            "the mould is back".into(),
        ];
        personal.extend([email, phone, postcode].into_iter().flatten());
        if description.len() > 20 {
            personal.push(description[..20].to_string());
        }
        let before_page = officer.get_html(&format!("/cases/{reference}")).await;
        // The page showed the name and the note before (the rest is on other pages).
        for words in [&personal[0], &personal[4]] {
            assert!(
                before_page.contains(&askama_escaped(words)),
                "the page showed {words:?} before"
            );
        }
        let mut before = Vec::new();
        for path in REPORTS {
            let response = officer.get(path).await;
            assert_eq!(response.status(), 200, "{path}");
            before.push(response.text().await.unwrap());
        }

        let today = NaiveDate::from_ymd_opt(2033, 6, 20).unwrap();
        let ran = retention::run(
            &mut app.conn(),
            &app.settings.storage.data_dir,
            &app.settings.retention.policy(),
            today,
            today.and_hms_opt(10, 0, 0).unwrap(),
        )
        .unwrap();
        assert!(ran.anonymise.iter().any(|p| p.reference == reference));
        assert_eq!(
            app.audit_count("case_anonymised"),
            ran.anonymise.len() as i64,
            "one audit entry per case"
        );

        let after_page = officer.get_html(&format!("/cases/{reference}")).await;
        for words in &personal {
            assert!(
                !after_page.contains(&askama_escaped(words)),
                "{words:?} still on the anonymised case's page"
            );
        }
        assert!(after_page.contains(&reference));
        assert!(after_page.contains("The personal data on this case was removed"));
        for key in &keys {
            let path =
                redress::attachments::store::folder(&app.settings.storage.data_dir).join(key);
            assert!(!path.exists(), "file {key} removed from disk");
        }
        let notes_left: Vec<String> = events_table::table
            .filter(events_table::case_id.eq(id))
            .select(events_table::detail)
            .load(&mut app.conn())
            .unwrap();
        assert!(notes_left.iter().all(|d| !d.contains("Winifred")));
        let emails_left: i64 = incoming_emails::table
            .filter(incoming_emails::from_address.eq("tenant.privacy@example.org"))
            .count()
            .get_result(&mut app.conn())
            .unwrap();
        assert_eq!(emails_left, 0, "the email's sender and words removed");
        // The audit log names what was done, never what was removed.
        crate::helpers::assert_audit_free_of(&app, &["Winifred", "Ravensworth"]);

        for (path, was) in REPORTS.iter().zip(&before) {
            let now = officer.get(path).await.text().await.unwrap();
            assert!(now == *was, "{path} changed after anonymisation");
        }
    }
}

/// How askama writes `text` into a page.
fn askama_escaped(text: &str) -> String {
    text.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

#[tokio::test]
async fn erasure_is_refused_for_an_open_case_and_removes_a_closed_ones_personal_data() {
    crate::helpers::for_each_backend(|app| async move {
        let t = crate::triage::team(&app).await;
        let today = crate::triage::today();
        let open = crate::triage::log_case(
            &t.officer,
            today,
            &[("complainant_name", "Ottoline Quarrington")],
        )
        .await;
        let path = format!("/cases/{open}/erasure");
        let form = t.officer.get_html(&path).await;
        assert!(form.contains("is still open"), "the form says why not");
        let refused = t
            .officer
            .post_form(&path, &[("reason", "Asked by phone on 1 June")])
            .await;
        assert_eq!(refused.status(), 400);
        assert!(refused.text().await.unwrap().contains("is still open"));
        assert_eq!(app.audit_count("case_anonymised"), 0);
        let page = t.officer.get_html(&format!("/cases/{open}")).await;
        assert!(page.contains("Ottoline Quarrington"), "nothing removed");

        // Closed (withdrawn): erased, with the reason on the timeline.
        let closed = crate::triage::log_case(
            &t.officer,
            today,
            &[("complainant_name", "Peregrine Featherstonehaugh")],
        )
        .await;
        crate::triage::act(&t.officer, &closed, "triage", &[("decision", "stage1")]).await;
        let withdrawn = crate::triage::act(
            &t.officer,
            &closed,
            "withdraw",
            &[("choice", "resident"), ("reason", "Sorted out")],
        )
        .await;
        assert_eq!(withdrawn.status(), 303);
        let path = format!("/cases/{closed}/erasure");
        let empty = t.officer.post_form(&path, &[("reason", "")]).await;
        assert_eq!(empty.status(), 400);
        let erased = t
            .officer
            .post_form(&path, &[("reason", "Resident's request of 1 June 2026")])
            .await;
        assert_eq!(erased.status(), 303);
        assert_eq!(app.audit_count("case_anonymised"), 1);
        let page = t.officer.get_html(&format!("/cases/{closed}")).await;
        assert!(!page.contains("Peregrine"), "the name is gone");
        assert!(!page.contains("jo@example.org"), "the email is gone");
        assert!(page.contains("Personal data removed at the resident"));
        assert!(page.contains("Resident&#39;s request of 1 June 2026"));
        // Nothing more is done on an anonymised case.
        assert!(!page.contains("Reopen the case"), "no actions offered");
        let form = t.officer.get(&format!("/cases/{closed}/reopen")).await;
        assert!(form.status().is_client_error(), "{}", form.status());
        let reopen = t
            .officer
            .post_form(
                &format!("/cases/{closed}/reopen"),
                &[
                    ("reason", "Asked again"),
                    ("version", "1"),
                    ("last_event", "0"),
                ],
            )
            .await;
        assert!(reopen.status().is_client_error(), "{}", reopen.status());
        // A manager or a member may not erase.
        let manager = t.manager_client.post_form(&path, &[("reason", "x")]).await;
        assert_eq!(manager.status(), 403);
    })
    .await;
}
