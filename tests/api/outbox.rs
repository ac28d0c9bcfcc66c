//! The mail outbox against a real SMTP server on loopback: what arrives, outages, a worker
//! that dies holding a claim, two workers racing, failure and retry on the officers' page,
//! and the staff notifications (assignment, digest, missed deadlines, opt-out).

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta, Timelike, Utc};
use diesel::prelude::*;
use redress::db::outbox::{self, OutboxRow};
use redress::db::schema::{cases, outbox as outbox_table};
use redress::db::{cases as case_rows, complainants, DbConnection};
use redress::domain::case::{Channel, TenancyRelationship};
use redress::domain::{CaseId, OutboxId, Role, UserId};
use redress::mail::links::Links;
use redress::mail::notify;
use redress::mail::{queue, Kind, Mailer, NewMessage, Worker};

use crate::helpers::{for_each_backend, spawn_app_with, Backend, TestApp, PASSWORD};
use crate::smtp_server::SmtpServer;

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

fn at(day: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    day.and_hms_opt(h, m, 0).unwrap()
}

/// A fresh app per backend whose mail goes to `server` (the background worker off, so the
/// test drives delivery and the clock).
async fn for_each_backend_with_smtp<F, Fut>(server: &SmtpServer, max_attempts: u32, test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for backend in crate::helpers::backends() {
        let app = spawn_app_with(backend, |s| {
            server.configure(s);
            s.mail.max_attempts = max_attempts;
        })
        .await;
        test(app).await;
    }
}

fn mailer(app: &TestApp) -> Mailer {
    Mailer::from_settings(&app.settings).expect("mailer")
}

fn worker(app: &TestApp, owner: &str) -> Worker {
    Worker::with_owner(&app.settings, owner)
}

fn queue_one(conn: &mut DbConnection, to: &str, subject: &str, html: Option<&str>) -> OutboxId {
    conn.transaction(|conn| {
        queue(
            conn,
            NewMessage {
                kind: Kind::Letter,
                recipient: to,
                subject,
                body_text: "Dear resident,\r\nThis is the plain text body.\r\n",
                body_html: html,
                case_id: None,
                letter_id: None,
                now: now(),
            },
        )
    })
    .expect("queue")
}

pub(crate) fn queue_many(app: &TestApp, n: usize, prefix: &str) -> Vec<OutboxId> {
    let mut conn = app.conn();
    (0..n)
        .map(|i| {
            queue_one(
                &mut conn,
                &format!("resident{i}@example.org"),
                &format!("{prefix} {i}"),
                None,
            )
        })
        .collect()
}

fn row(app: &TestApp, id: OutboxId) -> OutboxRow {
    outbox::find(&mut app.conn(), id)
        .unwrap()
        .expect("outbox row")
}

pub(crate) fn rows(app: &TestApp) -> Vec<OutboxRow> {
    outbox::list(&mut app.conn(), outbox::Filter::All, 10_000).unwrap()
}

fn count_status(app: &TestApp, status: &str) -> usize {
    rows(app).iter().filter(|r| r.status == status).count()
}

/// Every message the server got, by Message-ID; panics on a duplicate.
pub(crate) fn delivered_once(server: &SmtpServer) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    for message in server.received() {
        let id = message.header("Message-ID").expect("Message-ID header");
        assert!(seen.insert(id.clone()), "{id} was delivered twice");
    }
    seen
}

pub(crate) fn message_ids(app: &TestApp) -> BTreeSet<String> {
    rows(app).into_iter().map(|r| r.message_id).collect()
}

#[tokio::test]
async fn an_email_arrives_with_its_headers_stored_message_id_and_both_bodies() {
    let server = SmtpServer::start();
    for_each_backend_with_smtp(&server, 8, |app| {
        let server = &server;
        async move {
            let before = server.received().len();
            let id = queue_one(
                &mut app.conn(),
                "Alex Resident <alex@example.org>",
                "Your complaint CMP-2026-000001",
                Some("<p>This is the <strong>HTML</strong> body.</p>"),
            );
            let summary = worker(&app, "w1")
                .run_once(&app.pool, &mailer(&app), now())
                .unwrap();
            assert_eq!((summary.claimed, summary.sent), (1, 1), "{}", app.backend);

            let stored = row(&app, id);
            assert_eq!(stored.status, outbox::SENT);
            assert!(stored.sent_at.is_some());
            assert_eq!(stored.attempts, 1);
            let got = &server.received()[before];
            assert_eq!(got.from, "complaints@example.org.uk");
            assert_eq!(got.to, ["alex@example.org"]);
            assert_eq!(
                got.header("From").unwrap(),
                "\"Complaints Team\" <complaints@example.org.uk>"
            );
            assert_eq!(
                got.header("To").unwrap(),
                "\"Alex Resident\" <alex@example.org>"
            );
            assert_eq!(
                got.header("Subject").unwrap(),
                "Your complaint CMP-2026-000001"
            );
            assert_eq!(got.header("Message-ID").unwrap(), stored.message_id);
            assert!(got.data.contains("multipart/alternative"), "{}", got.data);
            assert!(got.data.contains("This is the plain text body."));
            assert!(got
                .data
                .contains("<p>This is the <strong>HTML</strong> body.</p>"));
        }
    })
    .await;
}

#[tokio::test]
async fn through_an_smtp_outage_every_message_is_delivered_exactly_once() {
    let mut server = SmtpServer::start();
    for backend in crate::helpers::backends() {
        let app = spawn_app_with(backend, |s| server.configure(s)).await;
        let (mail, w) = (mailer(&app), worker(&app, "w1"));
        // The test's clock runs a minute ahead, so everything queued below is due at t0.
        let t0 = (now() + TimeDelta::minutes(1)).with_nanosecond(0).unwrap();
        let before = server.received().len();

        queue_many(&app, 5, "Before the outage");
        let first = w.run_once(&app.pool, &mail, t0).unwrap();
        assert_eq!(first.sent, 5);

        server.stop();
        queue_many(&app, 5, "During the outage");
        let down = w.run_once(&app.pool, &mail, t0).unwrap();
        assert_eq!((down.sent, down.retrying), (0, 5), "{}", app.backend);
        // Still down at the first retry: backed off again, nothing lost.
        let still_down = w
            .run_once(&app.pool, &mail, t0 + TimeDelta::seconds(31))
            .unwrap();
        assert_eq!(still_down.retrying, 5);
        let waiting = rows(&app);
        assert!(waiting
            .iter()
            .filter(|r| r.status == outbox::QUEUED)
            .all(|r| r.attempts == 2
                && r.next_attempt_at == t0 + TimeDelta::seconds(31 + 60)
                && r.last_error.is_some()));

        server.start_again();
        // Not due yet: the backoff holds.
        let early = w
            .run_once(&app.pool, &mail, t0 + TimeDelta::seconds(60))
            .unwrap();
        assert_eq!(early.claimed, 0);
        let up = w
            .run_once(&app.pool, &mail, t0 + TimeDelta::seconds(95))
            .unwrap();
        assert_eq!(up.sent, 5);
        let again = w
            .run_once(&app.pool, &mail, t0 + TimeDelta::hours(2))
            .unwrap();
        assert_eq!(again.claimed, 0);

        assert_eq!(count_status(&app, outbox::SENT), 10);
        assert_eq!(server.received().len() - before, 10);
        let delivered = delivered_once(&server);
        assert!(message_ids(&app).is_subset(&delivered), "{}", app.backend);
    }
}

#[tokio::test]
async fn a_worker_killed_mid_run_is_taken_over_with_nothing_lost_or_doubled() {
    let server = SmtpServer::start();
    for_each_backend_with_smtp(&server, 8, |app| {
        let server = &server;
        async move {
            let before = server.received().len();
            queue_many(&app, 6, "Takeover");
            let mail = mailer(&app);
            let (dead, heir) = (worker(&app, "dead"), worker(&app, "heir"));
            let t0 = now();

            // The first worker claims everything, sends one, then its process is killed.
            let claimed = dead.claim(&mut app.conn(), t0).unwrap();
            assert_eq!(claimed.len(), 6);
            let mut summary = Default::default();
            dead.deliver(&mut app.conn(), &mail, &claimed[0], t0, &mut summary)
                .unwrap();
            assert_eq!(summary.sent, 1);

            // While the lease lasts nobody else touches the claimed rows.
            let during = heir
                .run_once(&app.pool, &mail, t0 + TimeDelta::seconds(60))
                .unwrap();
            assert_eq!(during.claimed, 0, "{}", app.backend);

            // After it expires the other worker takes the rest over.
            let after_lease = t0 + heir.lease + TimeDelta::seconds(1);
            let takeover = heir.run_once(&app.pool, &mail, after_lease).unwrap();
            assert_eq!((takeover.claimed, takeover.sent), (5, 5), "{}", app.backend);

            // The "dead" worker wakes up and carries on with its stale claim: it sends nothing.
            let mut late = Default::default();
            for row in &claimed[1..] {
                dead.deliver(&mut app.conn(), &mail, row, after_lease, &mut late)
                    .unwrap();
            }
            assert_eq!((late.sent, late.lost), (0, 5));

            assert_eq!(count_status(&app, outbox::SENT), 6);
            assert_eq!(server.received().len() - before, 6);
            delivered_once(server);
        }
    })
    .await;
}

#[tokio::test]
async fn two_workers_racing_over_a_hundred_messages_deliver_each_once() {
    let server = SmtpServer::start();
    for_each_backend_with_smtp(&server, 8, |app| {
        let server = &server;
        async move {
            let before = server.received().len();
            queue_many(&app, 100, "Race");
            let t0 = now();
            let racers: Vec<_> = ["left", "right"]
                .into_iter()
                .map(|owner| {
                    let (pool, mail) = (app.pool.clone(), mailer(&app));
                    let mut w = worker(&app, owner);
                    w.batch_size = 7;
                    tokio::task::spawn_blocking(move || w.run_once(&pool, &mail, t0).unwrap())
                })
                .collect();
            let mut claimed = 0;
            let mut sent = 0;
            for racer in racers {
                let summary = racer.await.unwrap();
                claimed += summary.claimed;
                sent += summary.sent;
            }
            assert_eq!((claimed, sent), (100, 100), "{}", app.backend);
            assert_eq!(count_status(&app, outbox::SENT), 100);
            assert_eq!(server.received().len() - before, 100);
            let delivered = delivered_once(server);
            assert!(message_ids(&app).is_subset(&delivered));
        }
    })
    .await;
}

#[tokio::test]
async fn a_message_failing_every_attempt_shows_on_the_outbox_page_and_retry_requeues_it() {
    let mut server = SmtpServer::down();
    for backend in crate::helpers::backends() {
        let app = spawn_app_with(backend, |s| {
            server.configure(s);
            s.mail.max_attempts = 3;
        })
        .await;
        let (mail, w) = (mailer(&app), worker(&app, "w1"));
        let id = queue_many(&app, 1, "Never arrives")[0];
        let t0 = now();
        for (seconds, status) in [
            (0, outbox::QUEUED),
            (31, outbox::QUEUED),
            (92, outbox::FAILED),
        ] {
            w.run_once(&app.pool, &mail, t0 + TimeDelta::seconds(seconds))
                .unwrap();
            assert_eq!(row(&app, id).status, status, "after {seconds}s");
        }
        let failed = row(&app, id);
        assert_eq!(failed.attempts, 3);
        let error = failed.last_error.clone().expect("error kept");

        // Failed stays failed, whatever the clock says.
        let later = w
            .run_once(&app.pool, &mail, t0 + TimeDelta::days(2))
            .unwrap();
        assert_eq!(later.claimed, 0);

        let officer = app.signed_in_as(Role::Officer).await;
        let page = officer.get_html("/outbox?status=failed").await;
        assert!(page.contains("resident0@example.org"), "{page}");
        assert!(page.contains("Never arrives 0"));
        assert!(page.contains(&format!("action=\"/outbox/{id}/retry\"")));
        assert!(page.contains(">3</td>"), "attempts shown");
        let first_words: String = error.chars().take(20).collect();
        assert!(
            page.contains(&first_words.replace('"', "&#34;")),
            "{first_words} in {page}"
        );
        let queued_page = officer.get_html("/outbox").await;
        assert!(queued_page.contains("There are no messages here."));

        // A manager may not see or retry the outbox.
        let manager = app.signed_in_as(Role::Manager).await;
        assert_eq!(manager.get("/outbox").await.status(), 403);
        let refused = manager.post_form(&format!("/outbox/{id}/retry"), &[]).await;
        assert_eq!(refused.status(), 403);

        let retried = officer.post_form(&format!("/outbox/{id}/retry"), &[]).await;
        assert_eq!(retried.status(), 303);
        assert_eq!(app.audit_count("outbox_retry"), 1);
        let requeued = row(&app, id);
        assert_eq!(
            (requeued.status.as_str(), requeued.attempts),
            (outbox::QUEUED, 0)
        );

        server.start_again();
        let sent = w.run_once(&app.pool, &mail, now()).unwrap();
        assert_eq!(sent.sent, 1);
        assert_eq!(row(&app, id).status, outbox::SENT);
        assert!(officer
            .get_html("/outbox?status=sent")
            .await
            .contains("Never arrives 0"));
        server.stop();
    }
}

#[tokio::test]
async fn the_file_transport_writes_eml_files_into_the_data_folder() {
    for_each_backend(|app| async move {
        assert_eq!(app.settings.mail.transport, "file");
        let id = queue_one(
            &mut app.conn(),
            "sam@example.org",
            "Written to a file",
            Some("<p>html</p>"),
        );
        let mail = mailer(&app);
        let summary = worker(&app, "w1")
            .run_once(&app.pool, &mail, now())
            .unwrap();
        assert_eq!(summary.sent, 1);
        let folder = app.settings.storage.data_dir.join("mail");
        assert_eq!(mail.folder(), Some(folder.as_path()));
        let files: Vec<_> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        assert_eq!(files.len(), 1, "{files:?}");
        let text = std::fs::read_to_string(&files[0]).unwrap();
        assert!(text.contains("Subject: Written to a file"));
        assert!(text.contains(&row(&app, id).message_id));
    })
    .await;
}

#[tokio::test]
async fn the_server_delivers_in_the_background() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.mail.poll_seconds = 1).await;
    let id = queue_many(&app, 1, "Background")[0];
    for _ in 0..100 {
        if row(&app, id).status == outbox::SENT {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the background worker did not send: {:?}", row(&app, id));
}

// ---- staff notifications -------------------------------------------------------------

/// An open stage 1 case, assigned to `assignee`, with its next deadline on `due`.
pub(crate) fn insert_case(
    app: &TestApp,
    reference: &str,
    status: &str,
    due: NaiveDate,
    assignee: Option<UserId>,
) -> CaseId {
    let mut conn = app.conn();
    let t = now();
    let complainant = complainants::insert(
        &mut conn,
        &complainants::NewComplainant {
            name: "Pat Resident",
            email: Some("pat@example.org"),
            phone: None,
            address: None,
            postcode: None,
            preferred_channel: "email",
            tenancy_relationship: "tenant",
            adjustments: "",
            interpreter_language: None,
            vulnerability_notes: None,
            created_at: t,
            updated_at: t,
        },
    )
    .unwrap();
    let id = case_rows::insert(
        &mut conn,
        &case_rows::NewCase {
            reference,
            complainant_id: complainant,
            property_id: None,
            channel: Channel::Phone,
            received_on: due - TimeDelta::days(20),
            logged_at: t,
            occurred_on: None,
            aware_on: None,
            status: status.parse().expect("a known status"),
            health_and_safety: false,
            safeguarding: false,
            confidential: false,
            category_id: None,
            contractor_id: None,
            description: "The repair was never done",
            outcome_sought: "Fix it",
            policy: "hoc-2024",
            next_due_on: Some(due),
            created_at: t,
            updated_at: t,
            tenure: TenancyRelationship::Tenant,
        },
    )
    .unwrap();
    diesel::update(cases::table.find(id))
        .set((cases::assignee_id.eq(assignee), cases::stage.eq("stage1")))
        .execute(&mut conn)
        .unwrap();
    id
}

fn queued_to(app: &TestApp, email: &str) -> Vec<OutboxRow> {
    outbox_table::table
        .filter(outbox_table::recipient.eq(email))
        .order(outbox_table::id.asc())
        .select(OutboxRow::as_select())
        .load(&mut app.conn())
        .unwrap()
}

#[tokio::test]
async fn assignment_emails_the_manager_unless_they_switched_it_off() {
    for_each_backend(|app| async move {
        let manager = app.create_user("jo@example.org", "Jo Manager", Role::Manager, &[]);
        insert_case(
            &app,
            "CMP-2026-000101",
            "stage1_open",
            day(2026, 6, 12),
            Some(manager),
        );

        let links = Links::from_settings(&app.settings);
        let id = notify::case_assigned(&mut app.conn(), &links, "CMP-2026-000101", manager, now())
            .unwrap()
            .expect("queued");
        let email = row(&app, id);
        assert_eq!(email.recipient, "jo@example.org");
        assert_eq!(email.kind, "notification");
        assert!(
            email.subject.contains("CMP-2026-000101"),
            "{}",
            email.subject
        );
        assert!(email.body_text.contains("Hello Jo Manager"));
        assert!(email.body_text.contains("Friday 12 June 2026"));
        let link = format!("http://{}/cases/CMP-2026-000101", app.settings.server.bind);
        assert!(email.body_text.contains(&link), "{}", email.body_text);
        assert!(
            !email.body_text.contains("Pat Resident"),
            "no resident details"
        );

        // Jo switches assignment emails off on /account (the other two stay on).
        let jo = app.with_new_client();
        assert_eq!(jo.sign_in("jo@example.org", PASSWORD).await.status(), 303);
        let page = jo.get_html("/account").await;
        assert_eq!(page.matches(" checked").count(), 3, "all on by default");
        let saved = jo
            .post_form(
                "/account",
                &[("notify_digest", "true"), ("notify_missed", "true")],
            )
            .await;
        assert_eq!(saved.status(), 303);
        let page = jo.get_html("/account").await;
        assert_eq!(page.matches(" checked").count(), 2, "{page}");
        assert_eq!(app.audit_count("notifications_changed"), 1);

        let none =
            notify::case_assigned(&mut app.conn(), &links, "CMP-2026-000101", manager, now())
                .unwrap();
        assert_eq!(none, None);
        assert_eq!(queued_to(&app, "jo@example.org").len(), 1);
    })
    .await;
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[tokio::test]
async fn the_daily_digest_lists_due_and_overdue_cases_on_working_days_after_the_set_time() {
    for_each_backend(|app| async move {
        // Links in the email carry the address staff open Redress at.
        let mut settings = app.settings.clone();
        settings.mail.link_base = "https://complaints.example.org.uk/".into();
        let settings = &settings;
        assert_eq!(settings.mail.digest_time, "07:30");
        let sam = app.create_user("sam@example.org", "Sam Manager", Role::Manager, &[]);
        let kim = app.create_user("kim@example.org", "Kim Manager", Role::Manager, &[]);
        let lee = app.create_user("lee@example.org", "Lee Manager", Role::Manager, &[]);
        // Wednesday 10 June 2026; two working days ahead is Friday 12 June.
        insert_case(
            &app,
            "CMP-2026-000201",
            "stage1_open",
            day(2026, 6, 8),
            Some(sam),
        );
        insert_case(
            &app,
            "CMP-2026-000202",
            "stage1_open",
            day(2026, 6, 12),
            Some(sam),
        );
        insert_case(
            &app,
            "CMP-2026-000203",
            "stage1_open",
            day(2026, 6, 15),
            Some(sam),
        );
        insert_case(
            &app,
            "CMP-2026-000204",
            "closed",
            day(2026, 6, 1),
            Some(sam),
        );
        insert_case(
            &app,
            "CMP-2026-000205",
            "stage1_open",
            day(2026, 6, 11),
            Some(kim),
        );
        insert_case(
            &app,
            "CMP-2026-000206",
            "stage1_open",
            day(2026, 6, 30),
            Some(lee),
        );
        // Kim has switched the digest off.
        let mut choices = redress::db::users::find(&mut app.conn(), kim)
            .unwrap()
            .unwrap()
            .notifications();
        choices.notify_digest = false;
        redress::db::users::set_notifications(&mut app.conn(), kim, &choices, now()).unwrap();

        let digests = |when: NaiveDateTime| {
            crate::helpers::run_scheduled(&app, settings, when)
                .digests
        };
        // 07:00 in London (06:00 UTC in summer time): too early.
        assert_eq!(digests(at(day(2026, 6, 10), 6, 0)), 0);
        // 08:00 in London.
        assert_eq!(
            digests(at(day(2026, 6, 10), 7, 0)),
            1,
            "only Sam has cases due"
        );
        assert_eq!(digests(at(day(2026, 6, 10), 9, 0)), 0, "once a day");

        // Sam, the overdue case's manager, is also alerted that it missed its deadline.
        let sent: Vec<OutboxRow> = queued_to(&app, "sam@example.org")
            .into_iter()
            .filter(|m| m.kind == "digest")
            .collect();
        assert_eq!(sent.len(), 1);
        let digest = &sent[0];
        assert_eq!(digest.kind, "digest");
        assert_eq!(
            digest.subject,
            "Your complaints for Wednesday 10 June 2026: 1 overdue, 1 due soon"
        );
        let text = &digest.body_text;
        let overdue = text.find("Overdue (1)").expect(text);
        let soon = text.find("Due within 2 working days (1)").expect(text);
        assert!(overdue < soon);
        assert!(
            text.contains("- CMP-2026-000201, Stage 1: investigating: was due Monday 8 June 2026"),
            "{text}"
        );
        assert!(
            text.contains("- CMP-2026-000202, Stage 1: investigating: due Friday 12 June 2026"),
            "{text}"
        );
        assert!(!text.contains("CMP-2026-000203"), "beyond two working days");
        assert!(!text.contains("CMP-2026-000204"), "closed");
        assert!(
            text.contains("  https://complaints.example.org.uk/cases/CMP-2026-000201\n"),
            "{text}"
        );
        assert!(text.contains("account page in Redress: https://complaints.example.org.uk/account"));
        let html = digest.body_html.as_deref().expect("html alternative");
        assert!(
            html.contains(
                "<a href=\"https://complaints.example.org.uk/cases/CMP-2026-000201\"><strong>CMP-2026-000201</strong></a>"
            ),
            "{html}"
        );
        assert!(queued_to(&app, "kim@example.org").is_empty(), "opted out");
        assert!(queued_to(&app, "lee@example.org").is_empty(), "nothing due");

        // Saturday 13 June and Monday 31 August 2026 (a bank holiday): no digests.
        assert_eq!(digests(at(day(2026, 6, 13), 8, 0)), 0);
        assert_eq!(digests(at(day(2026, 8, 31), 8, 0)), 0);
        // Monday 15 June: the next working day, a new digest.
        assert_eq!(digests(at(day(2026, 6, 15), 8, 0)), 1);
        // In winter London is on GMT: 07:15 UTC is 07:15 there, still too early.
        assert_eq!(digests(at(day(2026, 12, 2), 7, 15)), 0);
        assert_eq!(
            digests(at(day(2026, 12, 2), 7, 31)),
            2,
            "Sam, and Lee now overdue"
        );
    })
    .await;
}

#[tokio::test]
async fn a_missed_deadline_alerts_each_officer_once_unless_they_opted_out() {
    for_each_backend(|app| async move {
        let ann = app.create_user("ann@example.org", "Ann Officer", Role::Officer, &[]);
        let bob = app.create_user("bob@example.org", "Bob Officer", Role::Officer, &[]);
        app.create_user("max@example.org", "Max Manager", Role::Manager, &[]);
        let mut choices = redress::db::users::find(&mut app.conn(), bob)
            .unwrap()
            .unwrap()
            .notifications();
        choices.notify_missed = false;
        redress::db::users::set_notifications(&mut app.conn(), bob, &choices, now()).unwrap();
        let _ = ann;
        let case = insert_case(
            &app,
            "CMP-2026-000301",
            "stage1_open",
            day(2026, 6, 9),
            None,
        );
        insert_case(
            &app,
            "CMP-2026-000302",
            "stage1_open",
            day(2026, 6, 10),
            None,
        );
        insert_case(&app, "CMP-2026-000303", "closed", day(2026, 6, 1), None);

        let alerts = |when: NaiveDateTime| {
            crate::helpers::run_scheduled(&app, &app.settings, when).missed_deadline_alerts
        };
        // Early on Wednesday 10 June: only the case due on the 9th has been missed.
        assert_eq!(alerts(at(day(2026, 6, 10), 5, 0)), 1);
        assert_eq!(alerts(at(day(2026, 6, 10), 12, 0)), 0, "once per deadline");
        let to_ann = queued_to(&app, "ann@example.org");
        assert_eq!(to_ann.len(), 1);
        assert_eq!(to_ann[0].kind, "alert");
        assert_eq!(to_ann[0].case_id, Some(case));
        assert_eq!(
            to_ann[0].subject,
            "Deadline missed: complaint CMP-2026-000301"
        );
        assert!(to_ann[0]
            .body_text
            .contains("was due on Tuesday 9 June 2026"));
        assert!(queued_to(&app, "bob@example.org").is_empty(), "opted out");
        assert!(
            queued_to(&app, "max@example.org").is_empty(),
            "officers only"
        );

        // Thursday: the second case is now late too; a new deadline on the first alerts again.
        diesel::update(cases::table.find(case))
            .set(cases::next_due_on.eq(Some(day(2026, 6, 10))))
            .execute(&mut app.conn())
            .unwrap();
        assert_eq!(alerts(at(day(2026, 6, 11), 9, 0)), 2);
        assert_eq!(queued_to(&app, "ann@example.org").len(), 3);
    })
    .await;
}

#[test]
fn outbox_run_once_on_the_command_line_delivers_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let (settings, _) = crate::helpers::test_settings(&Backend::Sqlite, dir.path());
    let pool = redress::startup::open_database(&settings).unwrap();
    let id = queue_one(
        &mut pool.get().unwrap(),
        "cli@example.org",
        "From cron",
        None,
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_redress"))
        .args(["outbox", "run-once"])
        .env("DATABASE_URL", &settings.database.url)
        .env(
            "REDRESS_STORAGE__DATA_DIR",
            dir.path().to_string_lossy().as_ref(),
        )
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_str(stdout.trim()).expect(&stdout);
    assert_eq!(report["delivery"]["sent"], 1, "{stdout}");
    let stored = outbox::find(&mut pool.get().unwrap(), id).unwrap().unwrap();
    assert_eq!(stored.status, outbox::SENT);
    assert_eq!(
        std::fs::read_dir(dir.path().join("mail")).unwrap().count(),
        1
    );
}

/// A service area named `name`, for the digest's directors.
fn area(app: &TestApp, name: &str, code: &str) -> redress::domain::ServiceAreaId {
    use redress::db::schema::service_areas;
    diesel::insert_into(service_areas::table)
        .values((
            service_areas::name.eq(name),
            service_areas::code.eq(code),
            service_areas::active.eq(true),
            service_areas::created_at.eq(now()),
            service_areas::updated_at.eq(now()),
        ))
        .returning(service_areas::id)
        .get_result(&mut app.conn())
        .unwrap()
}

#[tokio::test]
async fn the_digest_reminds_officers_and_area_directors_of_ombudsman_evidence_and_orders_due() {
    use redress::db::ombudsman as register;
    for_each_backend(|app| async move {
        let (repairs, rents) = (area(&app, "Repairs", "REP"), area(&app, "Rents", "RNT"));
        app.create_user("ann@example.org", "Ann Officer", Role::Officer, &[]);
        app.create_user("dan@example.org", "Dan Director", Role::Director, &[repairs]);
        app.create_user("dee@example.org", "Dee Director", Role::Director, &[rents]);
        app.create_user("max@example.org", "Max Manager", Role::Manager, &[repairs]);
        // A closed case in Repairs, with nothing of its own due.
        let case = insert_case(&app, "CMP-2026-000401", "closed", day(2026, 5, 1), None);
        diesel::update(cases::table.find(case))
            .set((
                cases::service_area_id.eq(Some(repairs)),
                cases::next_due_on.eq(None::<NaiveDate>),
            ))
            .execute(&mut app.conn())
            .unwrap();
        let mut conn = app.conn();
        let contact = |conn: &mut DbConnection, reference: &str| {
            register::insert_contact(
                conn,
                &register::NewContact {
                    case_id: case,
                    kind: "referral",
                    contacted_on: day(2026, 5, 20),
                    ombudsman_reference: reference,
                    contact_name: "Sam Caseworker",
                    notes: "",
                    recorded_by: None,
                    created_at: now(),
                    updated_at: now(),
                },
            )
            .unwrap()
        };
        let open = contact(&mut conn, "202600401");
        let request = |conn: &mut DbConnection, contact: i32, due: NaiveDate| {
            register::insert_request(
                conn,
                &register::NewEvidenceRequest {
                    contact_id: contact,
                    received_on: day(2026, 6, 1),
                    due_on: due,
                    due_basis: "set by the Ombudsman",
                    asked: "The case file",
                    created_at: now(),
                },
            )
            .unwrap()
        };
        // Wednesday 10 June 2026: amber is up to 2 working days ahead, Friday 12 June.
        request(&mut conn, open, day(2026, 6, 12)); // due within amber: listed
        let sent = request(&mut conn, open, day(2026, 6, 11)); // already sent: not listed
        register::set_sent(&mut conn, sent, day(2026, 6, 9), "Sent the file", "").unwrap();
        request(&mut conn, open, day(2026, 6, 22)); // green: not yet
        let order = |conn: &mut DbConnection, kind: &str, due: NaiveDate| {
            register::insert_order(
                conn,
                &register::NewOrder {
                    contact_id: open,
                    kind,
                    details: "Apologise in writing",
                    amount_pence: None,
                    issued_on: day(2026, 5, 28),
                    due_on: Some(due),
                    accepted: None,
                    response_reason: None,
                    code_paragraph: None,
                },
            )
            .unwrap()
        };
        order(&mut conn, "apology", day(2026, 6, 8)); // overdue: listed
        order(&mut conn, "recommendation", day(2026, 6, 9)); // answered, never complied with
        // A closed contact owes nothing.
        let closed = contact(&mut conn, "202600402");
        request(&mut conn, closed, day(2026, 6, 11));
        register::set_closed(&mut conn, closed, day(2026, 6, 5)).unwrap();
        drop(conn);

        let scheduled =
            crate::helpers::run_scheduled(&app, &app.settings, at(day(2026, 6, 10), 7, 0));
        assert!(scheduled.digests >= 2, "{scheduled:?}");
        for who in ["ann@example.org", "dan@example.org"] {
            let digests: Vec<OutboxRow> = queued_to(&app, who)
                .into_iter()
                .filter(|m| m.kind == "digest")
                .collect();
            assert_eq!(digests.len(), 1, "{who}");
            let digest = &digests[0];
            assert_eq!(
                digest.subject,
                "Your complaints for Wednesday 10 June 2026: 0 overdue, 0 due soon, 2 for the Housing Ombudsman"
            );
            let text = &digest.body_text;
            assert!(text.contains("For the Housing Ombudsman (2):"), "{text}");
            assert!(
                text.contains("- CMP-2026-000401, order of the Housing Ombudsman: overdue, was due Monday 8 June 2026"),
                "{text}"
            );
            assert!(
                text.contains("- CMP-2026-000401, evidence for the Housing Ombudsman: due Friday 12 June 2026"),
                "{text}"
            );
            assert!(text.contains(&format!("/ombudsman/{open}")), "{text}");
            assert!(!text.contains("Thursday 11 June") && !text.contains("22 June"), "{text}");
            assert!(digest.body_html.as_deref().unwrap_or_default().contains("For the Housing Ombudsman (2)"));
        }
        for who in ["dee@example.org", "max@example.org"] {
            assert!(queued_to(&app, who).is_empty(), "{who}: not their area or role");
        }
    })
    .await;
}

#[tokio::test]
async fn directors_of_the_cases_area_are_emailed_the_determination_and_its_orders() {
    use crate::ombudsman::{contact, determine};
    let server = SmtpServer::start();
    for_each_backend_with_smtp(&server, 8, |app| {
        let server = &server;
        async move {
            let t = crate::triage::team(&app).await;
            let elsewhere = area(&app, "Rents", "RNT");
            app.create_user("dan@example.org", "Dan Director", Role::Director, &[t.area]);
            app.create_user(
                "dee@example.org",
                "Dee Director",
                Role::Director,
                &[elsewhere],
            );
            let today = crate::triage::today();
            let received = today - TimeDelta::days(20);
            let reference = crate::investigation::stage1_case(&app, &t, received, received).await;
            let referral = contact(
                &t.officer,
                &reference,
                "referral",
                today - TimeDelta::days(10),
                "202600777",
            )
            .await;
            let due = today + TimeDelta::days(28);
            determine(
                &t.officer,
                referral,
                today,
                &[("Repairs", "maladministration")],
                &[("compensation", "250", due), ("apology", "", due)],
                false,
            )
            .await;
            let before = server.received().len();
            let summary = worker(&app, "w1")
                .run_once(&app.pool, &mailer(&app), now() + TimeDelta::minutes(1))
                .unwrap();
            assert!(summary.sent >= 1, "{summary:?}");
            let received: Vec<_> = server.received().into_iter().skip(before).collect();
            let to_dan: Vec<_> = received
                .iter()
                .filter(|m| m.to == ["dan@example.org"])
                .collect();
            assert_eq!(
                to_dan.len(),
                1,
                "one email to the area's director on {}",
                app.backend
            );
            let mail = to_dan[0];
            assert_eq!(
                mail.header("Subject").unwrap(),
                format!("Housing Ombudsman decision on complaint {reference}")
            );
            let body = mail.data.replace("=\r\n", "");
            assert!(
                body.contains("Findings: Repairs: maladministration."),
                "{body}"
            );
            assert!(
                body.contains("Orders: Compensation of =C2=A3250.00 by "),
                "{body}"
            );
            assert!(body.contains("; Apology by "), "{body}");
            assert!(body.contains(&format!("/cases/{reference}")), "{body}");
            assert!(
                received.iter().all(|m| m.to != ["dee@example.org"]),
                "not a director of another area"
            );
        }
    })
    .await;
}
