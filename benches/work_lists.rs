//! The work lists and the case page under load (issue 5): seeds demo cases into SQLite
//! (100,000 unless `REDRESS_BENCH_CASES` says otherwise), starts the real server on
//! 127.0.0.1, signs in 8 browsers as a demo officer (and 8 as a demo manager for the scoped
//! lists) and sends each URL a fixed number of requests from 8 concurrent connections,
//! printing median and p99 latency and requests per second as a markdown table.
//!
//! Run with `cargo bench --bench work_lists`; the figures are in docs/performance.md. The
//! seeded database is kept under `target/bench-cache/`, keyed by case count, seed and day, so
//! reruns skip the seeding.
//!
//! Knobs (environment): `REDRESS_BENCH_CASES` (cases to seed), `REDRESS_BENCH_REQUESTS`
//! (requests per URL, default 400), `REDRESS_BENCH_CONCURRENCY` (default 8),
//! `REDRESS_BENCH_ONLY` (measure only the URLs containing this text, e.g. `q=`; the case
//! pages count as `/cases/`), `REDRESS_BENCH_POOL` (database connections, default as the
//! server's).

mod support;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use redress::config::Settings;
use redress::db::schema::{cases, complainants, service_areas, users};
use redress::seed::people::email_for;
use support::{
    env_number, ms, percentile, prepare_backend, settings_for, signed_in, Seeding, SEED,
};

const OFFICER: &str = "Emma Carter";
const MANAGER: &str = "Tom Fielding";
/// No URL is measured for longer than this, whatever the request count.
const URL_TIME_LIMIT: Duration = Duration::from_secs(60);
const WARM_UP_PER_CLIENT: usize = 2;

/// The shared bench settings, served as the bench measures them: 2 workers, the default
/// pool (twice the processors, at least 4: 4 on the 2-core machine; session 13), no
/// background mail.
fn server_settings(data_dir: &Path) -> Settings {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut settings = settings_for(data_dir);
    settings.server.bind = "127.0.0.1:0".into();
    settings.server.workers = 2;
    settings.server.static_dir = format!("{root}/static").into();
    settings.mail.poll_seconds = 0;
    if let Ok(pool) = std::env::var("REDRESS_BENCH_POOL") {
        settings.database.pool_size = pool.parse().expect("REDRESS_BENCH_POOL is a number");
    }
    settings
}

/// What one URL measured.
struct Measured {
    label: String,
    path: String,
    matched: String,
    bytes: usize,
    requests: usize,
    median: Duration,
    p99: Duration,
    max: Duration,
    per_second: f64,
}

/// The "N cases" line of a list page, or "" for other pages.
fn results_count(html: &str) -> String {
    let marker = "data-results-count>";
    match html.find(marker) {
        Some(start) => {
            let rest = &html[start + marker.len()..];
            rest[..rest.find('<').unwrap_or(0)].trim().to_string()
        }
        None => String::new(),
    }
}

async fn fetch(client: &reqwest::Client, url: &str) -> String {
    let response = client.get(url).send().await.expect("GET");
    let status = response.status();
    let body = response.text().await.expect("body");
    assert_eq!(status, 200, "GET {url}");
    body
}

async fn measure(
    base: &str,
    clients: &[reqwest::Client],
    label: &str,
    path: &str,
    requests: usize,
) -> Measured {
    let url = format!("{base}{path}");
    // Warm up (connections, page cache) and check the page before timing it.
    let first = fetch(&clients[0], &url).await;
    for client in clients {
        for _ in 0..WARM_UP_PER_CLIENT {
            fetch(client, &url).await;
        }
    }
    let claimed = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + URL_TIME_LIMIT;
    let mut workers = Vec::new();
    for client in clients {
        let client = client.clone();
        let url = url.clone();
        let claimed = claimed.clone();
        workers.push(tokio::spawn(async move {
            let mut times = Vec::new();
            while claimed.fetch_add(1, Ordering::Relaxed) < requests && Instant::now() < deadline {
                let sent = Instant::now();
                fetch(&client, &url).await;
                times.push(sent.elapsed());
            }
            times
        }));
    }
    let mut times = Vec::new();
    for worker in workers {
        times.extend(worker.await.expect("worker"));
    }
    let elapsed = started.elapsed();
    times.sort();
    Measured {
        label: label.to_string(),
        path: path.to_string(),
        matched: results_count(&first),
        bytes: first.len(),
        requests: times.len(),
        median: percentile(&times, 0.5),
        p99: percentile(&times, 0.99),
        max: *times.last().expect("some requests"),
        per_second: times.len() as f64 / elapsed.as_secs_f64(),
    }
}

/// What the URLs need from the seeded data.
struct Fixtures {
    area_id: i32,
    manager_id: i32,
    name: String,
    /// The name's first two characters: a short search (reference prefixes, name words).
    name_start: String,
    reference: String,
    case_pages: Vec<String>,
    officer_id: i32,
    category_id: i32,
    contractor_id: i32,
    /// A complainant with every contact detail: their postcode, telephone, email, and name
    /// with its words the other way round ("Patel Ella").
    postcode: String,
    phone: String,
    email: String,
    name_reversed: String,
}

fn fixtures(settings: &Settings) -> Fixtures {
    let pool = redress::startup::open_database(settings).expect("database opens");
    let conn = &mut pool.get().expect("connection");
    let area_id: i32 = service_areas::table
        .filter(service_areas::code.eq("REP"))
        .select(service_areas::id)
        .first::<redress::domain::ServiceAreaId>(conn)
        .expect("the Repairs area")
        .0;
    let manager_id: i32 = users::table
        .filter(users::email.eq(email_for(MANAGER)))
        .select(users::id)
        .first::<redress::domain::UserId>(conn)
        .expect("the demo manager")
        .0;
    let total: i64 = cases::table.count().get_result(conn).expect("count");
    // Every 1/50th case, so the case pages are spread over the table.
    let step = (total / 50).max(1);
    let case_pages: Vec<String> = cases::table
        .select(cases::reference)
        .order(cases::id)
        .load::<String>(conn)
        .expect("references")
        .into_iter()
        .step_by(step as usize)
        .map(|r| format!("/cases/{r}"))
        .collect();
    let reference = case_pages[case_pages.len() / 2]["/cases/".len()..].to_string();
    // A surname of a complainant (the last word of the middle case's complainant name).
    let name: String = cases::table
        .inner_join(complainants::table)
        .filter(cases::reference.eq(&reference))
        .select(complainants::name)
        .first(conn)
        .expect("a complainant");
    let name = name
        .split_whitespace()
        .last()
        .unwrap_or("Smith")
        .to_string();
    let officer_id: i32 = users::table
        .filter(users::email.eq(email_for(OFFICER)))
        .select(users::id)
        .first::<redress::domain::UserId>(conn)
        .expect("the demo officer")
        .0;
    let category_id: i32 = cases::table
        .filter(cases::category_id.is_not_null())
        .select(cases::category_id.assume_not_null())
        .first::<redress::domain::CategoryId>(conn)
        .expect("a category")
        .0;
    let contractor_id: i32 = cases::table
        .filter(cases::contractor_id.is_not_null())
        .select(cases::contractor_id.assume_not_null())
        .first::<redress::domain::ContractorId>(conn)
        .expect("a contractor")
        .0;
    let middle: i32 = cases::table
        .filter(cases::reference.eq(&reference))
        .select(cases::complainant_id)
        .first::<redress::domain::ComplainantId>(conn)
        .expect("the middle case")
        .0;
    let (full_name, postcode, phone, email): (
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    ) = complainants::table
        .filter(complainants::id.ge(middle))
        .filter(complainants::postcode.is_not_null())
        .filter(complainants::phone.is_not_null())
        .filter(complainants::email.is_not_null())
        .order(complainants::id)
        .select((
            complainants::name,
            complainants::postcode,
            complainants::phone,
            complainants::email,
        ))
        .first(conn)
        .expect("a complainant with every contact detail");
    let name_reversed = full_name
        .split_whitespace()
        .rev()
        .collect::<Vec<_>>()
        .join(" ");
    Fixtures {
        officer_id,
        category_id,
        contractor_id,
        postcode: postcode.expect("postcode"),
        phone: phone.expect("phone"),
        email: email.expect("email"),
        name_reversed,
        area_id,
        manager_id,
        name_start: name.chars().take(2).collect(),
        name,
        reference,
        case_pages,
    }
}

/// The case page, cycling over references spread over the table.
async fn measure_case_pages(
    base: &str,
    clients: &[reqwest::Client],
    pages: &[String],
    requests: usize,
) -> Measured {
    let pages = Arc::new(pages.to_vec());
    for page in pages.iter() {
        fetch(&clients[0], &format!("{base}{page}")).await;
    }
    let claimed = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + URL_TIME_LIMIT;
    let mut workers = Vec::new();
    for client in clients {
        let (client, claimed, pages) = (client.clone(), claimed.clone(), pages.clone());
        let base = base.to_string();
        workers.push(tokio::spawn(async move {
            let mut times = Vec::new();
            loop {
                let n = claimed.fetch_add(1, Ordering::Relaxed);
                if n >= requests || Instant::now() >= deadline {
                    break times;
                }
                let url = format!("{base}{}", pages[n % pages.len()]);
                let sent = Instant::now();
                fetch(&client, &url).await;
                times.push(sent.elapsed());
            }
        }));
    }
    let mut times = Vec::new();
    for worker in workers {
        times.extend(worker.await.expect("worker"));
    }
    let elapsed = started.elapsed();
    times.sort();
    let first = fetch(&clients[0], &format!("{base}{}", pages[0])).await;
    Measured {
        label: format!("case page ({} cases in turn)", pages.len()),
        path: "/cases/CMP-…".into(),
        matched: String::new(),
        bytes: first.len(),
        requests: times.len(),
        median: percentile(&times, 0.5),
        p99: percentile(&times, 0.99),
        max: *times.last().expect("some requests"),
        per_second: times.len() as f64 / elapsed.as_secs_f64(),
    }
}

fn print_table(title: &str, rows: &[Measured], target: Duration) {
    println!("\n### {title}\n");
    println!("| URL | what | matched | page size | requests | median ms | p99 ms | max ms | req/s | p99 < 50 ms |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for m in rows {
        println!(
            "| `{}` | {} | {} | {:.0} KB | {} | {} | {} | {} | {:.0} | {} |",
            m.path,
            m.label,
            m.matched,
            m.bytes as f64 / 1024.0,
            m.requests,
            ms(m.median),
            ms(m.p99),
            ms(m.max),
            m.per_second,
            if m.p99 < target { "yes" } else { "**no**" },
        );
    }
}

/// Whether `REDRESS_BENCH_ONLY` (if set) asks for this URL.
fn wanted(path: &str) -> bool {
    match std::env::var("REDRESS_BENCH_ONLY") {
        Ok(only) if !only.is_empty() => path.contains(&only),
        _ => true,
    }
}

fn main() {
    // `cargo bench` passes `--bench`; a test run (`cargo test --benches`) passes nothing
    // useful either, so there are no arguments to read.
    let cases = env_number("REDRESS_BENCH_CASES", 100_000) as u32;
    let requests = env_number("REDRESS_BENCH_REQUESTS", 400);
    let concurrency = env_number("REDRESS_BENCH_CONCURRENCY", 8).max(1);
    let today = redress::cases::london_today();

    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut settings = server_settings(data_dir.path());
    let seeding = Seeding {
        bench: "work_lists",
        cases,
        today,
        analyze: false,
    };
    let backend = prepare_backend(&mut settings, data_dir.path(), &seeding);
    let fixtures = fixtures(&settings);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (officer_rows, manager_rows) = runtime.block_on(async {
        let app = redress::startup::build(settings.clone())
            .await
            .expect("app builds");
        let base = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());

        let mut officers = Vec::new();
        let mut managers = Vec::new();
        for _ in 0..concurrency {
            officers.push(signed_in(&base, &email_for(OFFICER)).await);
            managers.push(signed_in(&base, &email_for(MANAGER)).await);
        }

        let f = &fixtures;
        let officer_urls: Vec<(String, String)> = vec![
            ("default list (all open)".into(), "/cases".into()),
            ("my cases".into(), "/cases?list=mine".into()),
            ("awaiting triage".into(), "/cases?list=triage".into()),
            (
                "due within 5 working days".into(),
                "/cases?list=due_soon".into(),
            ),
            ("overdue".into(), "/cases?list=overdue".into()),
            (
                "all cases (open and closed)".into(),
                "/cases?list=all".into(),
            ),
            ("filter: stage".into(), "/cases?stage=stage2".into()),
            ("filter: status".into(), "/cases?status=stage1_open".into()),
            (
                "filter: service area".into(),
                format!("/cases?area={}", f.area_id),
            ),
            (
                "filter: assignee".into(),
                format!("/cases?assignee={}", f.manager_id),
            ),
            ("filter: channel".into(), "/cases?channel=letter".into()),
            ("filter: flag".into(), "/cases?flag=safeguarding".into()),
            (
                "filters combined".into(),
                format!(
                    "/cases?list=all&stage=stage1&area={}&channel=email&flag=health_and_safety",
                    f.area_id
                ),
            ),
            (
                "search: complainant name".into(),
                format!("/cases?q={}", f.name),
            ),
            ("search: description text".into(), "/cases?q=mould".into()),
            (
                "search: reference".into(),
                format!("/cases?q={}", f.reference),
            ),
            (
                "search: name, all cases".into(),
                format!("/cases?list=all&q={}", f.name),
            ),
            (
                "search: description, all cases".into(),
                "/cases?list=all&q=mould".into(),
            ),
            (
                "search: 2 characters (references, name words)".into(),
                format!("/cases?q={}", f.name_start),
            ),
            (
                "search: 2 characters, all cases".into(),
                format!("/cases?list=all&q={}", f.name_start),
            ),
            (
                "sort: received, oldest first".into(),
                "/cases?sort=received&order=asc".into(),
            ),
            (
                "sort: received, newest first".into(),
                "/cases?sort=received&order=desc".into(),
            ),
            (
                "sort: deadline, latest first".into(),
                "/cases?sort=deadline&order=desc".into(),
            ),
            (
                "sort: most overdue first".into(),
                "/cases?sort=overdue&order=desc".into(),
            ),
            (
                "sort: reference".into(),
                "/cases?sort=reference&order=asc".into(),
            ),
            (
                "sort: reference, descending".into(),
                "/cases?sort=reference&order=desc".into(),
            ),
            (
                "sort: received, all cases".into(),
                "/cases?list=all&sort=received&order=desc".into(),
            ),
            (
                "sort: deadline latest, all cases".into(),
                "/cases?list=all&sort=deadline&order=desc".into(),
            ),
            (
                "sort: reference, all cases".into(),
                "/cases?list=all&sort=reference&order=desc".into(),
            ),
            (
                "filter: case officer".into(),
                format!("/cases?officer={}", f.officer_id),
            ),
            (
                "filter: category".into(),
                format!("/cases?category={}", f.category_id),
            ),
            (
                "filter: contractor".into(),
                format!("/cases?contractor={}", f.contractor_id),
            ),
            ("filter: tenure".into(), "/cases?tenure=leaseholder".into()),
            (
                "filter: received in a month".into(),
                "/cases?received_from_day=1&received_from_month=9&received_from_year=2026\
                 &received_to_day=30&received_to_month=9&received_to_year=2026"
                    .into(),
            ),
            (
                "filter: category, all cases".into(),
                format!("/cases?list=all&category={}", f.category_id),
            ),
            (
                "filter: tenure, all cases".into(),
                "/cases?list=all&tenure=leaseholder".into(),
            ),
            (
                "filter: received in a month, all cases, oldest first".into(),
                "/cases?list=all&received_from_day=1&received_from_month=9\
                 &received_from_year=2026&received_to_day=30&received_to_month=9\
                 &received_to_year=2026&sort=received&order=asc"
                    .into(),
            ),
            (
                "search: bare number".into(),
                format!(
                    "/cases?list=all&q={}",
                    f.reference
                        .rsplit('-')
                        .next()
                        .unwrap()
                        .trim_start_matches('0')
                ),
            ),
            (
                "search: year and number".into(),
                format!("/cases?list=all&q={}", &f.reference["CMP-".len()..]),
            ),
            (
                "search: postcode without the space".into(),
                format!(
                    "/cases?list=all&q={}",
                    f.postcode.replace(' ', "").to_lowercase()
                ),
            ),
            (
                "search: postcode".into(),
                format!("/cases?q={}", f.postcode.replace(' ', "+")),
            ),
            (
                "search: telephone".into(),
                format!("/cases?list=all&q={}", f.phone),
            ),
            (
                "search: email".into(),
                format!("/cases?list=all&q={}", f.email),
            ),
            (
                "search: name words in any order".into(),
                format!("/cases?list=all&q={}", f.name_reversed.replace(' ', "+")),
            ),
            (
                "search: name words, open cases".into(),
                format!("/cases?q={}", f.name_reversed.replace(' ', "+")),
            ),
            ("page 2".into(), "/cases?page=2".into()),
            (
                "last page of all cases".into(),
                "/cases?list=all&page=100000".into(),
            ),
        ];
        let mut officer_rows = Vec::new();
        for (label, path) in officer_urls.iter().filter(|(_, path)| wanted(path)) {
            eprintln!("measuring {path}");
            officer_rows.push(measure(&base, &officers, label, path, requests).await);
        }
        if wanted("/cases/") {
            eprintln!("measuring case pages");
            officer_rows.push(measure_case_pages(&base, &officers, &f.case_pages, requests).await);
        }

        let manager_urls: Vec<(String, String)> = vec![
            ("default list (my cases)".into(), "/cases".into()),
            ("my service areas".into(), "/cases?list=areas".into()),
            ("overdue".into(), "/cases?list=overdue".into()),
            ("all open".into(), "/cases?list=open".into()),
            (
                "search: description text".into(),
                "/cases?list=open&q=mould".into(),
            ),
            (
                "search: name, all cases (confidential names not searched)".into(),
                format!("/cases?list=all&q={}", f.name),
            ),
            (
                "sort: most overdue first".into(),
                "/cases?list=open&sort=overdue".into(),
            ),
            (
                "sort: received, all cases".into(),
                "/cases?list=all&sort=received&order=desc".into(),
            ),
            (
                "sort: reference, all cases".into(),
                "/cases?list=all&sort=reference".into(),
            ),
            (
                "filter: tenure, all cases".into(),
                "/cases?list=all&tenure=leaseholder".into(),
            ),
            (
                "filter: case officer, all cases".into(),
                format!("/cases?list=all&officer={}", f.officer_id),
            ),
            (
                "search: bare number".into(),
                format!(
                    "/cases?list=all&q={}",
                    f.reference
                        .rsplit('-')
                        .next()
                        .unwrap()
                        .trim_start_matches('0')
                ),
            ),
            (
                "search: postcode, all cases".into(),
                format!("/cases?list=all&q={}", f.postcode.replace(' ', "")),
            ),
            (
                "search: telephone, all cases".into(),
                format!("/cases?list=all&q={}", f.phone),
            ),
            (
                "search: name words in any order, all cases".into(),
                format!("/cases?list=all&q={}", f.name_reversed.replace(' ', "+")),
            ),
        ];
        let mut manager_rows = Vec::new();
        for (label, path) in manager_urls.iter().filter(|(_, path)| wanted(path)) {
            eprintln!("measuring {path} (manager)");
            manager_rows.push(measure(&base, &managers, label, path, requests).await);
        }
        (officer_rows, manager_rows)
    });

    let target = Duration::from_millis(50);
    println!(
        "\n{cases} cases (seed {SEED}, today {today}), {}; {concurrency} concurrent \
         connections, {requests} requests per URL after a warm-up",
        backend.name()
    );
    print_table(
        &format!("Officer ({})", email_for(OFFICER)),
        &officer_rows,
        target,
    );
    print_table(
        &format!(
            "Manager ({}), scoped to their cases and areas",
            email_for(MANAGER)
        ),
        &manager_rows,
        target,
    );
    // The server's threads would keep the process alive: leave now, cleaning up first.
    drop(data_dir);
    runtime.shutdown_timeout(Duration::from_secs(1));
    std::process::exit(0);
}
