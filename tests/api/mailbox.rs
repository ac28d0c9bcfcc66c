//! The complaints mailbox (issue 28) against a real IMAP server on loopback: Debian's
//! Dovecot, started by `.ci/run` (`.ci/imap-server`) with a throwaway user. The tests run
//! when `TEST_IMAP=host:port:user:password` is set, and then fail if the server cannot be
//! reached; without it they say so once and return. Each test reads its own folder, so
//! they run side by side on one server.

use std::sync::Once;

use chrono::{NaiveDate, Utc};
use diesel::prelude::*;
use redress::clock::Clock;
use redress::config::Settings;
use redress::db::incoming_emails::{self as emails, EmailRow};
use redress::db::schema::{case_events, incoming_email_files, incoming_emails, outbox};
use redress::domain::Role;
use redress::intake::mailbox::Mailbox;
use redress::intake::worker::{self, Summary};

use crate::helpers::{backends, spawn_app_with, Backend, TestApp};
use crate::outbox::insert_case;

static SKIP_NOTICE: Once = Once::new();

/// The test server from `TEST_IMAP`, or `None` (with a notice once) when it is not set.
pub fn server() -> Option<(String, u16, String, String)> {
    let value = match std::env::var("TEST_IMAP") {
        Ok(v) if !v.is_empty() => v,
        _ => {
            SKIP_NOTICE.call_once(|| {
                eprintln!(
                    "NOTE: mailbox (IMAP) tests skipped: set TEST_IMAP=host:port:user:password \
                     (`.ci/imap-server start DIR` starts Debian's Dovecot and prints it)"
                );
            });
            return None;
        }
    };
    let parts: Vec<&str> = value.splitn(4, ':').collect();
    let [host, port, user, password] = parts[..] else {
        panic!("TEST_IMAP must be host:port:user:password, not {value:?}");
    };
    let port: u16 = port.parse().expect("TEST_IMAP's port is a number");
    std::net::TcpStream::connect((host, port)).unwrap_or_else(|e| {
        panic!("TEST_IMAP is set but no IMAP server answers at {host}:{port}: {e}")
    });
    Some((host.into(), port, user.into(), password.into()))
}

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", rand_tag())
}

fn rand_tag() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{nanos:x}")
}

/// Points `settings` at a folder of its own on the test server.
fn use_mailbox(settings: &mut Settings, folder: &str) {
    let (host, port, user, password) = server().expect("checked by the caller");
    let intake = &mut settings.intake;
    intake.host = host;
    intake.port = port;
    intake.security = "none".into();
    intake.username = user;
    intake.password = password;
    intake.folder = folder.to_string();
    intake.processed_folder = format!("{folder}/done");
    intake.quarantine_folder = format!("{folder}/quarantine");
    intake.poll_seconds = 0;
}

async fn app_with_mailbox(backend: Backend) -> TestApp {
    let folder = unique(&format!("t-{}", backend.name()));
    spawn_app_with(backend, |s| use_mailbox(s, &folder)).await
}

fn deliver(app: &TestApp, raw: &str) {
    let mut mailbox = Mailbox::open(&app.settings.intake).expect("the test server opens");
    mailbox
        .append(&app.settings.intake.folder, raw.as_bytes())
        .expect("append");
    mailbox.close();
}

async fn run_worker(app: &TestApp) -> Summary {
    let (pool, settings) = (app.pool.clone(), app.settings.clone());
    tokio::task::spawn_blocking(move || worker::run_once(&pool, &settings, Clock::System))
        .await
        .unwrap()
        .expect("the worker's round")
}

fn folder_count(app: &TestApp, folder: &str) -> u32 {
    let mut mailbox = Mailbox::open(&app.settings.intake).unwrap();
    let n = mailbox.count(folder).unwrap();
    mailbox.close();
    n
}

fn stored(app: &TestApp) -> Vec<EmailRow> {
    incoming_emails::table
        .order(incoming_emails::id.asc())
        .select(EmailRow::as_select())
        .load(&mut app.conn())
        .unwrap()
}

fn email(message_id: &str, from: &str, subject: &str, body: &str) -> String {
    format!(
        "From: {from}\r\nTo: complaints@example.org.uk\r\nSubject: {subject}\r\n\
         Message-ID: <{message_id}>\r\nDate: Tue, 1 Dec 2026 10:00:00 +0000\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
}

fn due() -> NaiveDate {
    Utc::now().date_naive() + chrono::TimeDelta::days(10)
}

#[tokio::test]
async fn a_new_complaint_waits_on_the_emails_page_with_its_original_kept() {
    if server().is_none() {
        return;
    }
    for backend in backends() {
        let app = app_with_mailbox(backend).await;
        let raw = email(
            "new-1@example.org",
            "Jo Bloggs <jo@example.org>",
            "Damp in my flat",
            "There is black mould in the bedroom.",
        );
        deliver(&app, &raw);
        let summary = run_worker(&app).await;
        assert_eq!((summary.read, summary.stored), (1, 1), "{}", app.backend);
        let rows = stored(&app);
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!(row.status, emails::AWAITING);
        assert_eq!(row.message_id, "<new-1@example.org>");
        assert_eq!(row.from_address, "jo@example.org");
        assert_eq!(row.body_text, "There is black mould in the bedroom.");
        let original = redress::attachments::store::read_verified(
            &app.settings.storage.data_dir,
            &row.eml_key,
            &row.eml_sha256,
        )
        .expect("the original is kept and verifies");
        assert_eq!(original, raw.as_bytes(), "kept byte for byte");
        assert_eq!(folder_count(&app, &app.settings.intake.folder), 0);
        assert_eq!(folder_count(&app, &app.settings.intake.processed_folder), 1);
        assert_eq!(
            run_worker(&app).await,
            Summary::default(),
            "nothing left to read"
        );
    }
}

#[tokio::test]
async fn a_reply_naming_an_open_case_in_its_subject_goes_on_its_timeline_and_tells_its_people() {
    if server().is_none() {
        return;
    }
    for backend in backends() {
        let app = app_with_mailbox(backend).await;
        let manager = app.create_user("manager@example.org", "Mo Manager", Role::Manager, &[]);
        let case = insert_case(&app, "CMP-2026-000042", "stage1_open", due(), Some(manager));
        let officer = app.create_user("officer@example.org", "Ola Officer", Role::Officer, &[]);
        diesel::update(redress::db::schema::cases::table.find(case))
            .set(redress::db::schema::cases::case_officer_id.eq(Some(officer)))
            .execute(&mut app.conn())
            .unwrap();
        deliver(
            &app,
            &email(
                "reply-1@example.org",
                "Pat Resident <pat@example.org>",
                "Re: Your complaint CMP-2026-000042",
                "The damp is back.\r\n\r\nOn Mon, 30 Nov 2026, Complaints wrote:\r\n> logged",
            ),
        );
        let summary = run_worker(&app).await;
        assert_eq!(summary.filed_to_cases, 1, "{}", app.backend);
        let row = &stored(&app)[0];
        assert_eq!(row.status, emails::FILED);
        assert_eq!(row.case_id, Some(case));
        assert_eq!(row.body_text, "The damp is back.");
        assert!(row.quoted_text.contains("> logged"));
        let kinds: Vec<String> = case_events::table
            .filter(case_events::case_id.eq(case))
            .select(case_events::kind)
            .load(&mut app.conn())
            .unwrap();
        assert_eq!(kinds, ["email_received"]);
        let told: Vec<String> = outbox::table
            .filter(outbox::case_id.eq(case))
            .select(outbox::recipient)
            .order(outbox::recipient.asc())
            .load(&mut app.conn())
            .unwrap();
        assert_eq!(told, ["manager@example.org", "officer@example.org"]);
        let subject: String = outbox::table
            .filter(outbox::recipient.eq("officer@example.org"))
            .select(outbox::subject)
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(subject, "New email on complaint CMP-2026-000042");
    }
}

#[tokio::test]
async fn a_reference_only_in_quoted_text_or_of_a_closed_case_waits_on_the_emails_page() {
    if server().is_none() {
        return;
    }
    for backend in backends() {
        let app = app_with_mailbox(backend).await;
        insert_case(&app, "CMP-2026-000007", "stage1_open", due(), None);
        insert_case(&app, "CMP-2026-000008", "closed", due(), None);
        deliver(
            &app,
            &email(
                "quoted@example.org",
                "pat@example.org",
                "Another problem",
                "The lift is broken.\r\n\r\n> Re: CMP-2026-000007 was closed",
            ),
        );
        deliver(
            &app,
            &email(
                "closed@example.org",
                "pat@example.org",
                "Re: CMP-2026-000008",
                "I am still unhappy.",
            ),
        );
        let summary = run_worker(&app).await;
        assert_eq!((summary.stored, summary.filed_to_cases), (2, 0));
        let rows = stored(&app);
        assert!(rows
            .iter()
            .all(|r| r.status == emails::AWAITING && r.case_id.is_none()));
        let events: i64 = case_events::table
            .count()
            .get_result(&mut app.conn())
            .unwrap();
        assert_eq!(events, 0, "no timeline was touched");
    }
}

const PNG_BASE64: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==";

#[tokio::test]
async fn attachments_are_kept_after_the_content_checks_and_refused_ones_are_listed() {
    if server().is_none() {
        return;
    }
    for backend in backends() {
        let app = app_with_mailbox(backend).await;
        let raw = format!(
            "From: pat@example.org\r\nSubject: Photos of the damp\r\nMessage-ID: <att@example.org>\r\n\
             MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
             --b\r\nContent-Type: text/plain\r\n\r\nPhotos attached.\r\n\
             --b\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename=\"damp.png\"\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{PNG_BASE64}\r\n\
             --b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"invoice.exe\"\r\n\
             Content-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAA==\r\n--b--\r\n"
        );
        deliver(&app, &raw);
        run_worker(&app).await;
        let row = &stored(&app)[0];
        let files: Vec<(String, String, Option<String>, String, String)> =
            incoming_email_files::table
                .filter(incoming_email_files::email_id.eq(row.id))
                .order(incoming_email_files::id.asc())
                .select((
                    incoming_email_files::file_name,
                    incoming_email_files::content_type,
                    incoming_email_files::refused,
                    incoming_email_files::storage_key,
                    incoming_email_files::sha256,
                ))
                .load(&mut app.conn())
                .unwrap();
        assert_eq!(files.len(), 2, "{}", app.backend);
        assert_eq!(files[0].0, "damp.png");
        assert_eq!(files[0].1, "image/png");
        assert_eq!(files[0].2, None);
        redress::attachments::store::read_verified(
            &app.settings.storage.data_dir,
            &files[0].3,
            &files[0].4,
        )
        .expect("the picture is kept");
        assert_eq!(files[1].0, "invoice.exe");
        assert!(files[1]
            .2
            .as_deref()
            .unwrap()
            .contains("not a kind of file"));
        assert_eq!(files[1].3, "", "no bytes kept for a refused file");
    }
}

#[tokio::test]
async fn auto_replies_are_marked_and_malformed_mail_is_quarantined() {
    if server().is_none() {
        return;
    }
    for backend in backends() {
        let app = app_with_mailbox(backend).await;
        insert_case(&app, "CMP-2026-000009", "stage1_open", due(), None);
        deliver(
            &app,
            &email(
                "ooo@example.org",
                "pat@example.org",
                "Out of office: Re: CMP-2026-000009",
                "I am away until Monday.",
            )
            .replacen("Subject:", "Auto-Submitted: auto-replied\r\nSubject:", 1),
        );
        deliver(&app, "this is not an email at all\r\n\r\njust words\r\n");
        let summary = run_worker(&app).await;
        assert_eq!(summary.quarantined, 1, "{}", app.backend);
        let rows = stored(&app);
        let auto = rows.iter().find(|r| r.automatic.is_some()).unwrap();
        assert_eq!(auto.status, emails::AUTOMATIC);
        assert_eq!(auto.automatic.as_deref(), Some("auto_reply"));
        assert_eq!(auto.case_id, None, "an auto-reply never goes on a timeline");
        let bad = rows
            .iter()
            .find(|r| r.status == emails::QUARANTINED)
            .unwrap();
        assert!(bad.reason.as_deref().unwrap().contains("no sender"));
        assert_eq!(
            folder_count(&app, &app.settings.intake.quarantine_folder),
            1
        );
        assert_eq!(folder_count(&app, &app.settings.intake.processed_folder), 1);
    }
}

#[tokio::test]
async fn a_crash_after_the_commit_and_before_the_move_stores_the_message_once() {
    if server().is_none() {
        return;
    }
    for backend in backends() {
        let app = app_with_mailbox(backend).await;
        let raw = email(
            "crash@example.org",
            "pat@example.org",
            "Damp",
            "Mould again.",
        );
        deliver(&app, &raw);
        // What a worker killed between the two leaves behind: the message stored and
        // committed, still in the inbox.
        let filed = redress::intake::file_message(
            &mut app.conn(),
            &app.settings,
            raw.as_bytes(),
            Utc::now().naive_utc(),
        )
        .unwrap();
        assert!(matches!(filed, redress::intake::Filed::Stored { .. }));
        assert_eq!(folder_count(&app, &app.settings.intake.folder), 1);
        // Restarted: the worker reads it again, finds it stored and only moves it.
        let summary = run_worker(&app).await;
        assert_eq!(
            (summary.stored, summary.already_stored),
            (0, 1),
            "{}",
            app.backend
        );
        assert_eq!(stored(&app).len(), 1, "one record");
        assert_eq!(folder_count(&app, &app.settings.intake.folder), 0);
        assert_eq!(folder_count(&app, &app.settings.intake.processed_folder), 1);
        let originals = std::fs::read_dir(app.settings.storage.data_dir.join("attachments"))
            .unwrap()
            .count();
        assert_eq!(
            originals, 1,
            "the second read's copy of the original was removed"
        );
    }
}

#[tokio::test]
async fn two_workers_reading_two_hundred_messages_on_postgresql_store_each_once() {
    if server().is_none() {
        return;
    }
    let Some(url) = crate::helpers::postgres_url() else {
        return;
    };
    let app = app_with_mailbox(Backend::Postgres(url)).await;
    {
        let mut mailbox = Mailbox::open(&app.settings.intake).unwrap();
        for n in 0..200 {
            let raw = email(
                &format!("bulk-{n}@example.org"),
                "pat@example.org",
                &format!("Complaint {n}"),
                "The heating is off.",
            );
            mailbox
                .append(&app.settings.intake.folder, raw.as_bytes())
                .unwrap();
        }
        mailbox.close();
    }
    let runs: Vec<_> = (0..2)
        .map(|_| {
            let (pool, settings) = (app.pool.clone(), app.settings.clone());
            std::thread::spawn(move || worker::run_once(&pool, &settings, Clock::System))
        })
        .collect();
    let summaries: Vec<Summary> = runs
        .into_iter()
        .map(|r| r.join().unwrap().expect("each worker's round"))
        .collect();
    let rows = stored(&app);
    assert_eq!(rows.len(), 200, "each message stored, none twice");
    let distinct: std::collections::BTreeSet<_> = rows.iter().map(|r| &r.message_id).collect();
    assert_eq!(distinct.len(), 200);
    assert_eq!(summaries.iter().map(|s| s.stored).sum::<usize>(), 200);
    assert_eq!(summaries.iter().map(|s| s.failed).sum::<usize>(), 0);
    assert_eq!(folder_count(&app, &app.settings.intake.folder), 0);
    assert_eq!(
        folder_count(&app, &app.settings.intake.processed_folder),
        200
    );
    eprintln!("two workers, 200 messages: {summaries:?}");
}

/// Files `raw` through the real use-case (no mailbox), as the worker would.
fn file(app: &TestApp, raw: &str) -> redress::domain::IncomingEmailId {
    match redress::intake::file_message(
        &mut app.conn(),
        &app.settings,
        raw.as_bytes(),
        Utc::now().naive_utc(),
    )
    .unwrap()
    {
        redress::intake::Filed::Stored { id, .. } => id,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_officer_turns_an_email_into_a_case_from_the_emails_page() {
    crate::helpers::for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let id = file(
            &app,
            &email(
                "page-1@example.org",
                "Jo Bloggs <jo@example.org>",
                "Damp in my flat",
                "There is black mould in the bedroom.",
            ),
        );
        let list = officer.get_html("/emails").await;
        assert!(list.contains("Damp in my flat"), "{}", app.backend);
        assert!(
            list.contains("Jo Bloggs &#60;jo@example.org&#62;"),
            "{list}"
        );
        // Click 1: "Create a case" on the Emails page.
        let create = format!("/cases/new?email={id}");
        assert!(
            list.contains(&create),
            "the list links straight to the logging form"
        );
        let form = officer.get_html(&create).await;
        assert!(form.contains(&format!(r#"name="from_email" value="{id}""#)));
        assert!(
            form.contains("Damp in my flat\nThere is black mould")
                || form.contains("Damp in my flat\n\nThere is black mould")
        );
        assert!(
            form.contains(r#"value="jo@example.org""#),
            "the sender is proposed"
        );
        assert!(form.contains("check it is them"), "and not assumed");
        // Click 2: "Log complaint", once the two things an email cannot say are answered.
        let today = Utc::now().date_naive();
        let (d, m, y) = (
            today.format("%-d").to_string(),
            today.format("%-m").to_string(),
            today.format("%Y").to_string(),
        );
        let id_text = id.to_string();
        let response = officer
            .post_form(
                "/cases",
                &[
                    ("from_email", &id_text),
                    ("complainant_name", "Jo Bloggs"),
                    ("email", "jo@example.org"),
                    ("preferred_contact", "email"),
                    ("tenancy_relationship", "tenant"),
                    ("channel", "email"),
                    (
                        "description",
                        "Damp in my flat\n\nThere is black mould in the bedroom.",
                    ),
                    ("received_day", &d),
                    ("received_month", &m),
                    ("received_year", &y),
                    ("occurred_day", &d),
                    ("occurred_month", &m),
                    ("occurred_year", &y),
                ],
            )
            .await;
        assert_eq!(response.status(), 303, "{}", app.backend);
        let case_path = crate::helpers::location(&response);
        let reference = case_path.trim_start_matches("/cases/").to_string();
        let row = emails::find(&mut app.conn(), id).unwrap().unwrap();
        assert_eq!(row.status, emails::FILED);
        let case = redress::db::cases::find_by_reference(&mut app.conn(), &reference)
            .unwrap()
            .unwrap();
        assert_eq!(row.case_id, Some(case.id));
        assert_eq!(case.channel.as_str(), "email");
        assert_eq!(case.status.as_str(), "received");
        let kinds: Vec<String> = case_events::table
            .filter(case_events::case_id.eq(case.id))
            .order(case_events::id.asc())
            .select(case_events::kind)
            .load(&mut app.conn())
            .unwrap();
        assert_eq!(kinds, ["logged", "email_received", "receipt_queued"]);
        assert_eq!(app.audit_count("email_case_created"), 1);
        // The automatic receipt, through the outbox with its Message-ID fixed at queueing.
        let (subject, body, message_id): (String, String, String) = outbox::table
            .filter(outbox::recipient.eq("jo@example.org"))
            .select((outbox::subject, outbox::body_text, outbox::message_id))
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(
            subject,
            format!("We have received your complaint: {reference}")
        );
        assert!(
            body.contains(&format!("under the reference {reference}")),
            "{body}"
        );
        assert!(
            body.contains("acknowledge your complaint formally by"),
            "{body}"
        );
        assert!(body.contains("it is not that acknowledgement"), "{body}");
        assert!(message_id.starts_with('<') && message_id.ends_with('>'));
        let page = officer.get_html(&case_path).await;
        assert!(
            page.contains("Automatic receipt sent to the resident"),
            "labelled on the timeline"
        );
        // The email has left the waiting list, and cannot be logged twice.
        assert!(!officer
            .get_html("/emails")
            .await
            .contains("Damp in my flat"));
        assert_eq!(officer.get(&create).await.status(), 404);
    })
    .await;
}

#[tokio::test]
async fn an_existing_complainant_with_the_senders_address_is_offered_not_assumed() {
    crate::helpers::for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        insert_case(&app, "CMP-2026-000100", "closed", due(), None);
        let id = file(
            &app,
            &email(
                "offer@example.org",
                "Someone <pat@example.org>",
                "Again",
                "Still broken.",
            ),
        );
        let form = officer.get_html(&format!("/cases/new?email={id}")).await;
        assert!(
            form.contains("Already recorded with this email address"),
            "{}",
            app.backend
        );
        assert!(
            form.contains("Use Pat Resident&#x27;s details")
                || form.contains("Use Pat Resident's details")
        );
        assert!(
            form.contains(r#"value="Someone""#),
            "the sender's own name until chosen"
        );
        let chosen = officer
            .get_html(&format!("/cases/new?email={id}&complainant=1"))
            .await;
        assert!(chosen.contains(r#"value="Pat Resident""#));
    })
    .await;
}

#[tokio::test]
async fn an_email_is_attached_to_an_open_case_or_discarded_with_a_reason() {
    crate::helpers::for_each_backend(|app| async move {
        let officer = app.signed_in_as(Role::Officer).await;
        let case = insert_case(&app, "CMP-2026-000200", "stage1_open", due(), None);
        insert_case(&app, "CMP-2026-000201", "closed", due(), None);
        let a = file(
            &app,
            &email(
                "a@example.org",
                "pat@example.org",
                "More photos",
                "See these.",
            ),
        );
        let b = file(
            &app,
            &email(
                "b@example.org",
                "spam@example.net",
                "Cheap pills",
                "Buy now.",
            ),
        );
        // A closed case is refused beside the field, with what was typed kept.
        let refused = officer
            .post_form(
                &format!("/emails/{a}/attach"),
                &[("reference", "CMP-2026-000201")],
            )
            .await;
        assert_eq!(refused.status(), 400, "{}", app.backend);
        let html = refused.text().await.unwrap();
        assert!(html.contains("is closed"));
        assert!(html.contains(r#"value="CMP-2026-000201""#));
        let attached = officer
            .post_form(
                &format!("/emails/{a}/attach"),
                &[("reference", "cmp-2026-000200")],
            )
            .await;
        assert_eq!(attached.status(), 303);
        let on_case: i64 = case_events::table
            .filter(case_events::case_id.eq(case))
            .filter(case_events::kind.eq("email_received"))
            .count()
            .get_result(&mut app.conn())
            .unwrap();
        assert_eq!(on_case, 1);
        let summary: String = case_events::table
            .filter(case_events::case_id.eq(case))
            .select(case_events::summary)
            .first(&mut app.conn())
            .unwrap();
        assert_eq!(
            summary, "Email received from pat@example.org",
            "on the timeline"
        );
        // Discarding needs a reason; with one it is kept, set aside and audited.
        let empty = officer
            .post_form(&format!("/emails/{b}/discard"), &[("reason", " ")])
            .await;
        assert_eq!(empty.status(), 400);
        let discarded = officer
            .post_form(&format!("/emails/{b}/discard"), &[("reason", "Spam")])
            .await;
        assert_eq!(discarded.status(), 303);
        let row = emails::find(&mut app.conn(), b).unwrap().unwrap();
        assert_eq!(
            (row.status.as_str(), row.reason.as_deref()),
            ("discarded", Some("Spam"))
        );
        assert_eq!(app.audit_count("email_discarded"), 1);
        // Acting again on a handled email changes nothing.
        let again = officer
            .post_form(
                &format!("/emails/{b}/attach"),
                &[("reference", "CMP-2026-000200")],
            )
            .await;
        assert_eq!(again.status(), 303);
        assert_eq!(
            emails::find(&mut app.conn(), b).unwrap().unwrap().status,
            "discarded"
        );
        // The original downloads as a saved email.
        let original = officer.get(&format!("/emails/{a}/original")).await;
        assert_eq!(original.status(), 200);
        assert_eq!(
            original.headers()["content-type"].to_str().unwrap(),
            "message/rfc822"
        );
    })
    .await;
}
