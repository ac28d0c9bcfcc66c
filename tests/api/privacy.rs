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
        assert!(
            !page.contains("Propose a contact restriction"),
            "nobody is left to restrict contact with"
        );
        let restrict = t.officer.get(&format!("/cases/{closed}/restriction")).await;
        assert_eq!(restrict.status(), 409, "the form is refused too");
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

/// An erased or corrected name must not find the case any more, and a case moved to another
/// complainant is found by the new name only: SQLite's full-text tables and PostgreSQL's name kept on
/// the case (migration `2026-12-12-000001_case_search_name`) both follow the complainant.
#[tokio::test]
async fn an_erased_corrected_or_moved_name_no_longer_finds_the_case() {
    crate::helpers::for_each_backend(|app| async move {
        let t = crate::triage::team(&app).await;
        let today = crate::triage::today();
        let erased = crate::triage::log_case(
            &t.officer,
            today,
            &[("complainant_name", "Peregrine Featherstonehaugh")],
        )
        .await;
        let moved = crate::triage::log_case(
            &t.officer,
            today,
            &[("complainant_name", "Ottoline Quarrington")],
        )
        .await;
        /// Which of `references` the officer's search for `term` over all cases lists.
        async fn found(officer: &TestApp, term: &str, references: &[&String]) -> Vec<String> {
            let page = officer.get_html(&format!("/cases?list=all&q={term}")).await;
            references
                .iter()
                .filter(|r| page.contains(&format!("/cases/{r}\"")))
                .map(|r| r.to_string())
                .collect()
        }
        let references = [&erased, &moved];
        let finds = |term: &'static str| found(&t.officer, term, &references);
        assert_eq!(finds("Quarrington").await, vec![moved.clone()]);

        // The second case moves to the first's complainant, straight in the database.
        let person: i32 = cases::table
            .filter(cases::reference.eq(&erased))
            .select(cases::complainant_id)
            .first(&mut app.conn())
            .unwrap();
        diesel::update(cases::table.filter(cases::reference.eq(&moved)))
            .set(cases::complainant_id.eq(person))
            .execute(&mut app.conn())
            .unwrap();
        assert_eq!(
            finds("Quarrington").await,
            Vec::<String>::new(),
            "the old name"
        );
        assert_eq!(finds("quarr").await, Vec::<String>::new(), "a piece of it");
        assert_eq!(finds("Qu").await, Vec::<String>::new(), "a word's start");
        let both = vec![erased.clone(), moved.clone()];
        assert_eq!(finds("Featherstonehaugh").await, both, "the new name");
        assert_eq!(finds("fe+peregrine").await, both, "its words");

        // The complainant renamed (a correction), straight in the database.
        diesel::update(complainants::table.find(person))
            .set(complainants::name.eq("Araminta Quist"))
            .execute(&mut app.conn())
            .unwrap();
        for term in ["Featherstonehaugh", "Pe", "fe+peregrine"] {
            assert_eq!(finds(term).await, Vec::<String>::new(), "{term}");
        }
        assert_eq!(finds("quist+ara").await, both);

        // Erased (both cases closed first: an erasure waits for every one of theirs).
        for reference in [&erased, &moved] {
            crate::triage::act(&t.officer, reference, "triage", &[("decision", "stage1")]).await;
            let withdrawn = crate::triage::act(
                &t.officer,
                reference,
                "withdraw",
                &[("choice", "resident"), ("reason", "Sorted out")],
            )
            .await;
            assert_eq!(withdrawn.status(), 303);
        }
        let done = t
            .officer
            .post_form(
                &format!("/cases/{erased}/erasure"),
                &[("reason", "Resident's request of 1 June 2026")],
            )
            .await;
        assert_eq!(done.status(), 303);
        for term in ["Quist", "araminta", "rami", "Ar", "quist+ara"] {
            assert_eq!(finds(term).await, Vec::<String>::new(), "{term}");
        }
    })
    .await;
}

#[tokio::test]
async fn subject_access_requests_are_kept_with_their_due_dates_soonest_first() {
    use redress::db::subject_access::{self, NewRequest};
    use redress::rules::subject_access::due;
    let cal = crate::helpers::calendar();
    for backend in backends() {
        let app = spawn_app_at(
            backend,
            Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).unwrap(),
        )
        .await;
        let officer = app.create_user("ria@example.org", "Ria Officer", Role::Officer, &[]);
        let now = NaiveDate::from_ymd_opt(2026, 12, 3)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        let mut conn = app.conn();
        for (name, received) in [("Jo Bloggs", "2026-11-25"), ("Sam Khan", "2026-11-03")] {
            let received: NaiveDate = received.parse().unwrap();
            subject_access::insert(
                &mut conn,
                &NewRequest {
                    person_name: name,
                    email: None,
                    postcode: Some("B7 7YJ"),
                    telephone: None,
                    received_on: received,
                    due_on: due(&cal, received, None).unwrap(),
                    recorded_by: officer,
                    created_at: now,
                },
            )
            .unwrap();
        }
        let open = subject_access::open(&mut conn).unwrap();
        let due_dates: Vec<(String, String)> = open
            .iter()
            .map(|r| (r.person_name.clone(), r.due_on.to_string()))
            .collect();
        // Sam's falls due on 3 December; Jo's month ends on Christmas Day, so on the 29th.
        assert_eq!(
            due_dates,
            [
                ("Sam Khan".to_string(), "2026-12-03".to_string()),
                ("Jo Bloggs".to_string(), "2026-12-29".to_string())
            ],
            "{}",
            app.backend
        );
    }
}

/// Records a subject access request through the form; gives its page's path.
pub(crate) async fn record_request(officer: &TestApp, fields: &[(&str, &str)]) -> String {
    let today = crate::triage::today();
    let mut all: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    all.extend(crate::triage::date_fields("received", today));
    let borrowed: Vec<(&str, &str)> = all.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let response = officer.post_form("/subject-access/new", &borrowed).await;
    assert_eq!(response.status(), 303, "recorded");
    crate::helpers::location(&response)
}

/// The id of the timeline entry on `reference` whose text holds `text`.
fn note_id(app: &TestApp, reference: &str, text: &str) -> i32 {
    events_table::table
        .inner_join(cases::table)
        .filter(cases::reference.eq(reference))
        .filter(events_table::detail.like(format!("%{text}%")))
        .select(events_table::id)
        .first::<redress::domain::CaseEventId>(&mut app.conn())
        .unwrap()
        .0
}

/// Marks an item through the request page's form.
async fn mark(officer: &TestApp, request: &str, reference: &str, item: &str, marking: &str) {
    let path = format!("{request}/cases/{reference}/{item}/marking");
    let form = officer.get_html(&path).await;
    let version = hidden(&form, "version");
    let without_reason = officer
        .post_form(&path, &[("marking", marking), ("version", &version)])
        .await;
    assert_eq!(
        without_reason.status(),
        400,
        "a withheld item needs a reason"
    );
    let saved = officer
        .post_form(
            &path,
            &[
                ("marking", marking),
                ("reason", "Reviewed for the request"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303, "marked");
    // The same form again (the marking it showed is out of date): refused, not overwritten.
    let stale = officer
        .post_form(
            &path,
            &[("marking", "none"), ("reason", ""), ("version", &version)],
        )
        .await;
    assert_eq!(stale.status(), 409, "a changed marking is not overwritten");
}

/// Unzips a download into (name, bytes).
async fn unzip(response: reqwest::Response) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let bytes = response.bytes().await.unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            file.read_to_end(&mut data).unwrap();
            (file.name().unwrap().to_string(), data)
        })
        .collect()
}

#[tokio::test]
async fn a_subject_access_export_holds_everything_about_the_person_and_nothing_of_anyone_else() {
    crate::helpers::for_each_backend(|app| async move {
        let t = crate::triage::team(&app).await;
        let today = crate::triage::today();
        let ella = [
            ("complainant_name", "Ella Patel"),
            ("email", "ella.patel@example.org"),
            ("address_line_1", "4 Mill Lane"),
            ("address_town", "Leeds"),
            ("address_postcode", "LS1 4AB"),
        ];
        // Three cases of hers: by email; by name and postcode with another email; and a
        // confidential one.
        let first = crate::triage::log_case(&t.officer, today, &ella).await;
        let mut other_email = ella.to_vec();
        other_email.retain(|(k, _)| *k != "email" && *k != "complainant_name");
        other_email.push(("email", "ella.at.work@example.org"));
        other_email.push(("complainant_name", "Patel, Ella"));
        let second = crate::triage::log_case(&t.officer, today, &other_email).await;
        let mut secret = ella.to_vec();
        secret.push(("confidential", "true"));
        let third = crate::triage::log_case(&t.officer, today, &secret).await;
        // Someone else entirely, and a namesake elsewhere (offered, not ticked).
        let stranger = crate::triage::log_case(
            &t.officer,
            today,
            &[
                ("complainant_name", "Jo Bloggs"),
                ("description", "Boiler broken at Jo's"),
            ],
        )
        .await;
        let namesake = crate::triage::log_case(
            &t.officer,
            today,
            &[
                ("complainant_name", "Ella Patel"),
                ("email", "another.ella@example.org"),
            ],
        )
        .await;
        for (reference, text) in [
            (&first, "Ella says the damp is worse"),
            (
                &first,
                "Neighbour Mr Smith says the noise comes from flat 4",
            ),
            (&second, "Solicitor's advice on liability for the leak"),
            (&third, "Ella asked us to keep her name from the contractor"),
            (&stranger, "Jo's note about the boiler"),
        ] {
            let done = crate::triage::act(
                &t.officer,
                reference,
                "notes",
                &[("kind", "note"), ("text", text)],
            )
            .await;
            assert_eq!(done.status(), 303, "note added");
        }
        let uploaded = crate::attachments::upload(
            &t.officer,
            &third,
            "ella-letter.pdf",
            crate::attachments::PDF,
        )
        .await;
        assert!(uploaded.status().is_redirection(), "{}", uploaded.status());
        crate::attachments::upload(
            &t.officer,
            &stranger,
            "jo-photo.pdf",
            crate::attachments::PDF,
        )
        .await;

        // Recorded through the form: a bad email is refused beside its field, typed values kept.
        let bad = t
            .officer
            .post_form(
                "/subject-access/new",
                &[("person_name", "Ella Patel"), ("email", "not an email")],
            )
            .await;
        assert_eq!(bad.status(), 400);
        let page = bad.text().await.unwrap();
        assert!(
            page.contains("Enter the date the request was received"),
            "{page}"
        );
        assert!(page.contains("value=\"not an email\""), "typed value kept");
        let request = record_request(
            &t.officer,
            &[
                ("person_name", "Ella Patel"),
                ("email", "Ella.Patel@example.org"),
                ("postcode", "ls14ab"),
            ],
        )
        .await;
        let page = t.officer.get_html(&request).await;
        for reference in [&first, &second, &third, &namesake] {
            assert!(page.contains(reference.as_str()), "{reference} found");
        }
        assert!(
            !page.contains(stranger.as_str()),
            "another person's case is not found"
        );
        assert!(
            page.contains("same name only: check it is them"),
            "the namesake is offered"
        );
        assert!(
            page.contains(&format!("value=\"{namesake}\">")),
            "the namesake is not ticked"
        );

        // Review: the neighbour's account and the solicitor's advice are withheld.
        let neighbour = note_id(&app, &first, "Neighbour Mr Smith");
        let advice = note_id(&app, &second, "Solicitor");
        mark(
            &t.officer,
            &request,
            &first,
            &format!("note/{neighbour}"),
            "third_party",
        )
        .await;
        mark(
            &t.officer,
            &request,
            &second,
            &format!("note/{advice}"),
            "legally_privileged",
        )
        .await;
        assert_eq!(app.audit_count("item_marked"), 2);

        // Only the person's cases can be exported.
        let refused = t
            .officer
            .get(&format!("{request}/export?case={stranger}"))
            .await;
        assert_eq!(refused.status(), 400);
        let export = t
            .officer
            .get(&format!(
                "{request}/export?case={first}&case={second}&case={third}"
            ))
            .await;
        assert_eq!(export.status(), 200);
        assert_eq!(
            export.headers()["content-type"].to_str().unwrap(),
            "application/zip"
        );
        let files = unzip(export).await;
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(&names[..2], ["index.html", "data.json"], "{names:?}");
        let file = |name: &str| {
            String::from_utf8_lossy(&files.iter().find(|(n, _)| n == name).unwrap().1).to_string()
        };
        let index = file("index.html");
        let json: serde_json::Value = serde_json::from_str(&file("data.json")).unwrap();
        let cases_in_json: Vec<&str> = json["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["reference"].as_str().unwrap())
            .collect();
        let mut expected = vec![first.as_str(), second.as_str(), third.as_str()];
        expected.sort();
        assert_eq!(cases_in_json, expected);
        let everything = format!("{index}\n{json}");
        for held in [
            "Ella says the damp is worse",
            "Ella asked us to keep her name from the contractor",
            "ella.patel@example.org",
            "ella.at.work@example.org",
            "4 Mill Lane",
            "ella-letter.pdf",
        ] {
            assert!(everything.contains(held), "the export holds {held}");
        }
        for withheld in [
            "Neighbour Mr Smith",
            "Solicitor&#39;s advice",
            "Solicitor's advice",
        ] {
            assert!(!everything.contains(withheld), "{withheld} is withheld");
        }
        assert!(index.contains("because it is information about another person"));
        assert!(index.contains("because it is legally privileged"));
        for other in [
            stranger.as_str(),
            namesake.as_str(),
            "Jo Bloggs",
            "jo@example.org",
            "Jo&#39;s note",
            "Jo's note",
            "jo-photo.pdf",
            "another.ella@example.org",
        ] {
            assert!(
                !everything.contains(other),
                "nothing of another person: {other}"
            );
        }
        // The confidential case's file is there byte for byte, and who saw her identity is
        // named (the officer, by name, not by email address).
        let pdf = files
            .iter()
            .find(|(n, _)| n.starts_with(&format!("{third}/files/")) && n.ends_with(".pdf"))
            .expect("the file is in the ZIP");
        assert_eq!(pdf.1, crate::attachments::PDF);
        let third_json = json["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["reference"] == third.as_str())
            .unwrap();
        let views = third_json["restricted_views"].as_array().unwrap();
        assert!(
            !views.is_empty(),
            "views of the confidential identity are listed"
        );
        assert!(
            views
                .iter()
                .all(|v| !v["who"].as_str().unwrap().contains('@')),
            "{views:?}"
        );
        // The export is audited: once per case and once for the request.
        assert_eq!(app.audit_count("subject_access_exported"), 4);

        // The deadline is extended with a reason, then the request answered.
        let extend = format!("{request}/extend");
        let form = t.officer.get_html(&extend).await;
        let version = hidden(&form, "version");
        let no_reason = t
            .officer
            .post_form(&extend, &[("months", "2"), ("version", &version)])
            .await;
        assert_eq!(no_reason.status(), 400);
        let extended = t
            .officer
            .post_form(
                &extend,
                &[
                    ("months", "2"),
                    ("reason", "Three complaints over two years"),
                    ("version", &version),
                ],
            )
            .await;
        assert_eq!(extended.status(), 303);
        let due = redress::rules::subject_access::due(
            &crate::helpers::calendar(),
            today,
            Some((2, today)),
        )
        .unwrap();
        let page = t.officer.get_html(&request).await;
        assert!(
            page.contains(&due.format("%-d %B %Y").to_string()),
            "the new due date is shown"
        );
        let version = hidden(&page, "version");
        let answered = t
            .officer
            .post_form(&format!("{request}/answered"), &[("version", &version)])
            .await;
        assert_eq!(answered.status(), 303);
        let list = t.officer.get_html("/subject-access").await;
        assert!(list.contains("Answered on time"), "{list}");

        // Nobody but the complaints team.
        for path in [
            "/subject-access".to_string(),
            request.clone(),
            format!("{request}/export?case={first}"),
        ] {
            assert_eq!(t.manager_client.get(&path).await.status(), 403, "{path}");
        }
    })
    .await;
}

/// `redress retention run --dry-run` lists a case past its period and changes nothing; the
/// run without it anonymises the case; a second dry run no longer lists it (SQLite: the
/// binary opens the test's database file).
#[tokio::test]
async fn the_retention_command_lists_then_anonymises() {
    use redress::db::schema::case_privacy;
    let app = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite).await;
    seed(&app, 30);
    let (id, reference) = closed_cases(&app).into_iter().next().unwrap();
    // Closed seven years ago: a year past the default six.
    close_on(
        &app,
        id,
        crate::triage::today() - chrono::Duration::days(7 * 366),
    );
    let data_dir = app.settings.storage.data_dir.display().to_string();
    let env = [
        ("DATABASE_URL", app.settings.database.url.as_str()),
        ("REDRESS_STORAGE__DATA_DIR", data_dir.as_str()),
    ];
    let anonymised = |app: &TestApp| -> bool {
        case_privacy::table
            .find(id)
            .select(case_privacy::anonymised_at)
            .first::<Option<chrono::NaiveDateTime>>(&mut app.conn())
            .optional()
            .unwrap()
            .flatten()
            .is_some()
    };
    let dry = crate::cli::redress(&["retention", "run", "--dry-run"], &env, "");
    assert!(dry.status.success(), "{}", crate::cli::text(&dry.stderr));
    let listed = crate::cli::text(&dry.stdout);
    assert!(listed.contains(&reference), "{listed}");
    assert!(listed.contains("\"dry_run\": true"), "{listed}");
    assert!(!anonymised(&app), "a dry run changes nothing");

    let run = crate::cli::redress(&["retention", "run"], &env, "");
    assert!(run.status.success(), "{}", crate::cli::text(&run.stderr));
    assert!(crate::cli::text(&run.stdout).contains(&reference));
    assert!(anonymised(&app), "the run anonymised the case");
    assert!(app.audit_count("case_anonymised") >= 1);

    let again = crate::cli::redress(&["retention", "run", "--dry-run"], &env, "");
    assert!(
        !crate::cli::text(&again.stdout).contains(&reference),
        "an anonymised case is not listed again"
    );
}
