//! Several instances of Redress on one database (issue 32), as a landlord that outgrows one
//! machine runs them behind a load balancer: one PostgreSQL database, one data folder, one
//! configured session key. A user's requests may land on any instance, so everything a
//! request relies on must live in what they share, never in one process's memory.
//!
//! Also graceful shutdown: on SIGTERM an instance finishes the requests in flight and hands
//! back the outbox messages it had claimed, so the other instance sends them at once.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use redress::db::outbox::{self, OutboxRow};
use redress::db::schema::{attachments, users};
use redress::domain::Role;
use redress::mail::Worker;
use redress::web::auth::WRONG_CREDENTIALS;

use crate::attachments::{upload, PDF};
use crate::helpers::{
    backends, csrf_from, location, postgres_url, spawn_two_instances, test_settings, Backend,
    TestApp, PASSWORD,
};
use crate::intake::{phone_complaint, post_fields};
use crate::outbox::{delivered_once, message_ids, queue_many, rows};
use crate::smtp_server::SmtpServer;
use crate::work_lists::count_beside;

/// The sequence number of a reference like `CMP-2026-000012`.
fn sequence(reference: &str) -> u32 {
    reference.rsplit('-').next().unwrap().parse().unwrap()
}

/// The reference a successful "Log a complaint" redirected to.
fn logged_reference(response: &reqwest::Response) -> String {
    assert_eq!(response.status(), 303, "the complaint is logged");
    location(response).trim_start_matches("/cases/").to_string()
}

/// Waits up to `limit` for `done`, checking every 50 ms.
async fn eventually(limit: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "gave up waiting: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn two_instances_on_one_postgresql_database_serve_as_one() {
    let Some(url) = postgres_url() else {
        eprintln!(
            "NOTE: TEST_POSTGRES_URL is not set: the two-instance test (tests/api/instances.rs) \
             is skipped; it needs PostgreSQL"
        );
        return;
    };
    let smtp = SmtpServer::start();
    // Both outbox workers run in the background, taking small batches so they compete.
    let (a, b) = spawn_two_instances(Backend::Postgres(url), |s| {
        smtp.configure(s);
        s.mail.poll_seconds = 1;
        s.mail.batch_size = 3;
    })
    .await;
    // Both started at once on an empty database: one ran the migrations while the other
    // waited, and one created the first administrator.
    let admins: i64 = users::table
        .filter(users::email.eq(redress::startup::BOOTSTRAP_ADMIN_EMAIL))
        .count()
        .get_result(&mut a.conn())
        .unwrap();
    assert_eq!(admins, 1, "one first administrator");

    // Signed in on A, the same browser carries on on B.
    a.create_user("olu@example.org", "Olu Officer", Role::Officer, &[]);
    let on_a = a.with_new_client();
    assert_eq!(
        on_a.sign_in("olu@example.org", PASSWORD).await.status(),
        303
    );
    let on_b = on_a.through(&b);
    let home = on_b.get("/").await;
    assert_eq!(home.status(), 200, "B knows the session A started");
    assert!(home.text().await.unwrap().contains("Olu Officer"));

    // The CSRF token of a form shown by A is accepted by B (and a wrong one is not).
    let token = csrf_from(&on_a.get_html("/cases/new").await);
    let fields = phone_complaint("Jo Bloggs");
    let mut form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    form.push(("csrf_token", "not-the-token"));
    let refused = on_b.post_raw("/cases", &form).await;
    assert_eq!(refused.status(), 403, "a wrong token is refused");
    form.last_mut().unwrap().1 = &token;
    let first = logged_reference(&on_b.post_raw("/cases", &form).await);

    // Ten complaints logged at once, half on each instance: unique, consecutive references.
    let mut posts = Vec::new();
    for i in 0..10 {
        let client = if i % 2 == 0 { &on_a } else { &on_b }.clone_client();
        posts.push(tokio::spawn(async move {
            let response = post_fields(&client, "/cases", &phone_complaint("Ann Other")).await;
            logged_reference(&response)
        }));
    }
    let mut sequences = BTreeSet::new();
    for post in posts {
        sequences.insert(sequence(&post.await.unwrap()));
    }
    let after_first = sequence(&first) + 1;
    assert_eq!(
        sequences,
        (after_first..after_first + 10).collect::<BTreeSet<u32>>(),
        "ten unique references straight after {first}"
    );

    // Failed sign-ins count across both: five wrong passwords, alternating, lock the account
    // on both instances.
    a.create_user("tam@example.org", "Tam", Role::Officer, &[]);
    let guesser = a.with_new_client();
    for attempt in 0..5 {
        let instance = if attempt % 2 == 0 { &a } else { &b };
        let there = guesser.through(instance);
        let page = there.sign_in("tam@example.org", "wrong-wrong-wrong").await;
        assert!(page.text().await.unwrap().contains(WRONG_CREDENTIALS));
    }
    for instance in [&a, &b] {
        let locked = guesser
            .through(instance)
            .sign_in("tam@example.org", PASSWORD)
            .await;
        assert_eq!(
            locked.status(),
            400,
            "the right password is refused while locked"
        );
        assert!(locked
            .text()
            .await
            .unwrap()
            .contains("too many failed attempts"));
    }

    // Evidence uploaded through A is downloaded byte for byte through B (the data folder is
    // shared).
    assert_eq!(
        upload(&on_a, &first, "Repair report.pdf", PDF)
            .await
            .status(),
        303
    );
    let id: i32 = attachments::table
        .select(attachments::id)
        .first(&mut b.conn())
        .unwrap();
    let download = on_b.get(&format!("/cases/{first}/attachments/{id}")).await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.bytes().await.unwrap().as_ref(), PDF);

    // Signing out on B ends the session on A too.
    assert_eq!(on_b.sign_out().await.status(), 303);
    let after = on_a.get("/").await;
    assert_eq!(after.status(), 303);
    assert!(
        location(&after).starts_with("/login"),
        "{}",
        location(&after)
    );

    // Both outbox workers running: every message delivered exactly once.
    queue_many(&a, 40, "Shared outbox");
    eventually(Duration::from_secs(60), "every message sent", || {
        rows(&a).iter().all(|r| r.status == outbox::SENT)
    })
    .await;
    let delivered = delivered_once(&smtp);
    assert!(delivered.len() >= 40, "{}", delivered.len());
    assert_eq!(
        delivered,
        message_ids(&a),
        "each message once, none missing"
    );
}

/// The real binary serving `settings`' database and data folder on a free port, with its
/// outbox worker delivering to `smtp` every second.
struct Instance {
    child: std::process::Child,
    address: String,
    /// Kept open: a closed pipe would make the instance's next line to stdout fail.
    _stdout: std::io::Lines<BufReader<std::process::ChildStdout>>,
}

impl Instance {
    fn start(settings: &redress::config::Settings, smtp: &SmtpServer) -> Instance {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_redress"))
            .arg("serve")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("DATABASE_URL", &settings.database.url)
            .env("REDRESS_BIND", "127.0.0.1:0")
            .env("REDRESS_STORAGE__DATA_DIR", &settings.storage.data_dir)
            .env("REDRESS_MAIL__POLL_SECONDS", "1")
            .env("REDRESS_MAIL__TRANSPORT", "smtp")
            .env("REDRESS_MAIL__SMTP_HOST", "127.0.0.1")
            .env("REDRESS_MAIL__SMTP_PORT", smtp.port.to_string())
            .env("REDRESS_MAIL__SMTP_SECURITY", "none")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the redress binary starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let address = loop {
            let line = lines
                .next()
                .expect("redress printed where it listens")
                .unwrap();
            if let Some(address) = line.strip_prefix("Redress is listening on ") {
                break address.trim().to_string();
            }
        };
        Instance {
            child,
            address,
            _stdout: lines,
        }
    }

    fn host(&self) -> &str {
        self.address.trim_start_matches("http://")
    }

    fn terminate(&self) {
        let status = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success(), "kill -TERM");
    }

    fn still_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// Waits for the process to end; its exit status and what it logged.
    async fn exit(mut self, limit: Duration) -> (std::process::ExitStatus, String) {
        eventually(limit, "the instance exits", || !self.still_running()).await;
        let mut logged = String::new();
        self.child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut logged)
            .unwrap();
        (self.child.wait().unwrap(), logged)
    }
}

/// The session cookie and CSRF token of a fresh sign-in form at `address`.
async fn sign_in_form(address: &str) -> (String, String) {
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let client = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .build()
        .unwrap();
    let url: reqwest::Url = format!("{address}/login").parse().unwrap();
    let page = client.get(url.clone()).send().await.unwrap();
    let token = csrf_from(&page.text().await.unwrap());
    use reqwest::cookie::CookieStore;
    let cookie = jar.cookies(&url).expect("a session cookie");
    (cookie.to_str().unwrap().to_string(), token)
}

#[tokio::test]
async fn sigterm_lets_requests_in_flight_finish_and_hands_back_outbox_claims() {
    for backend in backends() {
        let smtp = SmtpServer::start();
        let folder = tempfile::tempdir().unwrap();
        let (settings, _pg) = test_settings(&backend, folder.path());
        // The database is made (and three messages queued) before the instance starts.
        let pool = redress::startup::open_database(&settings).unwrap();
        let setup = TestApp {
            address: String::new(),
            client: crate::helpers::new_client(),
            pool: pool.clone(),
            backend: backend.name(),
            settings: settings.clone(),
            pg: None,
            data_dir: tempfile::tempdir().unwrap(),
        };
        setup.create_user("kim@example.org", "Kim", Role::Officer, &[]);
        queue_many(&setup, 3, "Before the deploy");

        // The SMTP server holds its reply to the first message, so at SIGTERM the instance
        // is mid-send with the other two claimed.
        smtp.hold();
        let mut instance = Instance::start(&settings, &smtp);
        let sending =
            |rows: &[OutboxRow]| rows.iter().filter(|r| r.status == outbox::SENDING).count();
        eventually(
            Duration::from_secs(20),
            "a send held with three claimed",
            || smtp.held() == 1 && sending(&rows(&setup)) == 3,
        )
        .await;

        // A sign-in in flight: its headers and half its body are sent before SIGTERM.
        let (cookie, token) = sign_in_form(&instance.address).await;
        let body = serde_html_form::to_string([
            ("email", "kim@example.org"),
            ("password", PASSWORD),
            ("csrf_token", token.as_str()),
        ])
        .unwrap();
        let (early, late) = body.as_bytes().split_at(body.len() / 2);
        let mut stream = std::net::TcpStream::connect(instance.host()).unwrap();
        write!(
            stream,
            "POST /login HTTP/1.1\r\nHost: {}\r\nCookie: {cookie}\r\nConnection: close\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
            instance.host(),
            body.len()
        )
        .unwrap();
        stream.write_all(early).unwrap();
        stream.flush().unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;

        instance.terminate();
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert!(
            instance.still_running(),
            "{}: waits for the request",
            backend.name()
        );
        stream.write_all(late).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        assert!(
            response.starts_with("HTTP/1.1 303"),
            "{}: the request in flight finished: {response}",
            backend.name()
        );

        // The held send completes; the worker stops there and hands back the other two.
        smtp.release();
        let (status, logged) = instance.exit(Duration::from_secs(30)).await;
        assert!(status.success(), "{}: {status}: {logged}", backend.name());
        assert_eq!(
            smtp.received().len(),
            1,
            "only the message being sent was sent"
        );
        let after = rows(&setup);
        let statuses: Vec<&str> = after.iter().map(|r| r.status.as_str()).collect();
        assert_eq!(statuses.iter().filter(|s| **s == outbox::SENT).count(), 1);
        assert_eq!(
            statuses.iter().filter(|s| **s == outbox::QUEUED).count(),
            2,
            "{}: {statuses:?}",
            backend.name()
        );
        assert!(
            after.iter().all(|r| r.lease_owner.is_none()),
            "no claim left"
        );
        // Another instance's worker takes them now, not when the five-minute lease would
        // have run out.
        let taken = Worker::with_owner(&settings, "the other instance")
            .claim(&mut pool.get().unwrap(), chrono::Utc::now().naive_utc())
            .unwrap();
        assert_eq!(taken.len(), 2, "{}", backend.name());
    }
}

#[tokio::test]
async fn the_daily_retention_runs_of_two_instances_anonymise_each_case_once() {
    let Some(url) = postgres_url() else {
        eprintln!("NOTE: TEST_POSTGRES_URL is not set: the two-instance retention test is skipped");
        return;
    };
    let (a, b) = spawn_two_instances(Backend::Postgres(url), |_| {}).await;
    crate::privacy::seed(&a, 60);
    let closed = crate::privacy::closed_cases(&a);
    assert!(
        closed.len() >= 5,
        "the seed closed some cases: {}",
        closed.len()
    );
    let long_ago = chrono::NaiveDate::from_ymd_opt(2010, 4, 1).unwrap();
    for (id, _) in &closed {
        crate::privacy::close_on(&a, *id, long_ago);
    }
    // Both instances' daily runs start at the same moment, as they do at `retention.run_time`.
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 17).unwrap();
    let runs: Vec<_> = [&a, &b]
        .into_iter()
        .map(|instance| {
            let (pool, settings) = (instance.pool.clone(), instance.settings.clone());
            std::thread::spawn(move || {
                redress::privacy::retention::run(
                    &mut pool.get().unwrap(),
                    &settings.storage.data_dir,
                    &settings.retention.policy(),
                    today,
                    today.and_hms_opt(2, 30, 0).unwrap(),
                )
                .unwrap()
                .anonymise
                .len()
            })
        })
        .collect();
    let anonymised: usize = runs.into_iter().map(|run| run.join().unwrap()).sum();
    assert_eq!(
        anonymised,
        closed.len(),
        "between them, each closed case once"
    );
    assert_eq!(a.audit_count("case_anonymised") as usize, closed.len());
}

/// The work lists' counts are kept in each instance's memory between pages (issue 31), so
/// a case logged through one instance must show in the other's counts on its next page:
/// the database numbers case writes (src/db/case_generation.rs) and both read that number.
#[tokio::test]
async fn both_instances_count_a_case_logged_through_either() {
    let Some(url) = postgres_url() else {
        eprintln!(
            "NOTE: TEST_POSTGRES_URL is not set: the two-instance count test \
             (tests/api/instances.rs) is skipped; it needs PostgreSQL"
        );
        return;
    };
    let (a, b) = spawn_two_instances(Backend::Postgres(url), |_| {}).await;
    a.create_user("olu@example.org", "Olu Officer", Role::Officer, &[]);
    let on_a = a.with_new_client();
    assert_eq!(
        on_a.sign_in("olu@example.org", PASSWORD).await.status(),
        303
    );
    let on_b = on_a.through(&b);
    let counts =
        |html: &str| ["triage", "open", "all"].map(|list| count_beside(html, Role::Officer, list));
    for logged in 0..3 {
        // Both pages are read (and their counts kept) before the next case is logged.
        let n = Some(logged);
        for (name, instance) in [("A", &on_a), ("B", &on_b)] {
            let page = instance.get_html("/cases").await;
            assert_eq!(counts(&page), [n, n, n], "{name} after {logged} logged");
        }
        let through = if logged % 2 == 0 { &on_b } else { &on_a };
        logged_reference(&post_fields(through, "/cases", &phone_complaint("Jo Bloggs")).await);
    }
}
