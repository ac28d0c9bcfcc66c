//! The dashboard and the yearly reports at scale (issue 10): seeds demo cases into SQLite, or
//! PostgreSQL with `REDRESS_BENCH_POSTGRES=1` (`support::BenchBackend`), 1,000,000 unless
//! `REDRESS_BENCH_CASES` says otherwise, and times building each report's
//! view model from the database — the queries and the folding, which is where the time
//! goes; rendering the template is a few hundred rows — printing median and p99 as a
//! markdown table.
//!
//! Run with `cargo bench --bench reports`; figures are in docs/performance.md. The seeded
//! database is kept under `target/bench-cache/` (PostgreSQL: a database kept on the server),
//! keyed by case count, seed and day. A manager's dashboard is also timed part by part.
//!
//! Knobs: `REDRESS_BENCH_CASES`, `REDRESS_BENCH_RUNS` (timed runs per report, default 30),
//! `REDRESS_BENCH_POSTGRES` with `TEST_POSTGRES_URL`, `REDRESS_BENCH_TODAY` (the day the
//! data ends on, default 2026-11-20; another day seeds, or reuses, another database: e.g.
//! one seeded for `benches/work_lists.rs` on the day it ran).

#[allow(dead_code)]
mod support;

use std::time::{Duration, Instant};

use chrono::{Datelike, Months, NaiveDate};
use redress::cases::access::Scope;
use redress::db::{report_summary, reports};
use redress::domain::{ServiceAreaId, UserId};
use redress::reports::performance::Dimension;
use redress::reports::{dashboard, performance, tsm, Period};
use redress::rules::RagThresholds;
use support::{env_number, ms, percentile, prepare_backend, settings_for, Seeding};

fn time<T>(runs: usize, mut work: impl FnMut() -> T) -> (Duration, Duration, Duration) {
    // Two untimed runs warm the database's page cache, as a server that has been up a while.
    for _ in 0..2 {
        std::hint::black_box(work());
    }
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(work());
            started.elapsed()
        })
        .collect();
    times.sort();
    (
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times[times.len() - 1],
    )
}

fn main() {
    let cases = env_number("REDRESS_BENCH_CASES", 1_000_000) as u32;
    let runs = env_number("REDRESS_BENCH_RUNS", 30).max(1);
    // A fixed day so the cache key and the data stay the same between runs.
    let today = match std::env::var("REDRESS_BENCH_TODAY") {
        Ok(day) if !day.trim().is_empty() => NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
            .unwrap_or_else(|_| panic!("REDRESS_BENCH_TODAY must be YYYY-MM-DD, not `{day}`")),
        _ => NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
    };
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut settings = settings_for(data_dir.path());
    settings.reports.homes.insert("2025".into(), 120_000);
    let seeding = Seeding {
        bench: "reports",
        cases,
        today,
        analyze: true,
    };
    let backend = prepare_backend(&mut settings, data_dir.path(), &seeding);
    let pool = redress::startup::open_database(&settings).expect("database opens");
    let (calendar, _) = redress::startup::load_rules(&settings).expect("rules load");
    let mut conn = pool.get().expect("connection");
    let rag = RagThresholds::default();
    // A manager's view: one service area's cases and their own.
    let manager = Scope::AssignedOrInAreas {
        user: UserId(3),
        areas: vec![ServiceAreaId(1)],
    };
    let year = Period::reporting_year(2025).unwrap();

    let mut rows = Vec::new();
    let mut measure = |name: &str, timings: (Duration, Duration, Duration)| {
        rows.push(format!(
            "| {name} | {} | {} | {} |",
            ms(timings.0),
            ms(timings.1),
            ms(timings.2)
        ));
    };
    // A dashboard built afresh each run, nothing kept from the last (the page keeps its open
    // cases by the case generation; this measures the first view after a write).
    let dashboard_of = |conn: &mut _, scope: &Scope| {
        dashboard::build(conn, scope, &Default::default(), &calendar, &rag, today).unwrap()
    };
    let d = dashboard_of(&mut conn, &Scope::All);
    eprintln!(
        "dashboard: {} open, {} overdue, {} responses this year",
        d.open.iter().map(|s| s.total()).sum::<u64>(),
        d.overdue,
        d.this_year.responded
    );
    measure(
        "dashboard, whole organisation",
        time(runs, || dashboard_of(&mut conn, &Scope::All)),
    );
    measure(
        "dashboard, one manager",
        time(runs, || dashboard_of(&mut conn, &manager)),
    );
    // Where a manager's dashboard spends its time.
    measure(
        "… its open cases (by stage and RAG)",
        time(runs, || reports::open_cases(&mut conn, &manager).unwrap()),
    );
    measure(
        "… its letters owed",
        time(runs, || {
            redress::letters::owed::count(&mut conn, &manager).unwrap()
        }),
    );
    let month_start = today.with_day(1).unwrap();
    measure(
        "… its twelve months, this one included, from the summary",
        time(runs, || {
            let first = month_start - Months::new(11);
            report_summary::months_in_scope(&mut conn, &manager, first, month_start).unwrap()
        }),
    );
    let report = performance::build(&mut conn, &year, &Dimension::ALL).unwrap();
    let total = &report.tables[0].total.figures;
    eprintln!(
        "performance 2025-26: {} received, {} responded",
        total.received, total.responded
    );
    measure(
        "performance report 2025-26 (HTML tables)",
        time(runs, || {
            performance::build(&mut conn, &year, &Dimension::ALL).unwrap()
        }),
    );
    measure(
        "performance report 2025-26 as CSV",
        time(runs, || {
            performance::build(&mut conn, &year, &Dimension::ALL)
                .unwrap()
                .to_csv()
                .unwrap()
        }),
    );
    measure(
        "contractor report 2025-26",
        time(runs, || {
            performance::build(&mut conn, &year, &[Dimension::Contractor]).unwrap()
        }),
    );
    measure(
        "TSM 2025-26",
        time(runs, || {
            tsm::measure(&mut conn, &settings.reports, 2025).unwrap()
        }),
    );
    println!(
        "\n{cases} cases on {}, {runs} timed runs each (ms)\n",
        backend.name()
    );
    println!("| report | median | p99 | max |");
    println!("|---|---|---|---|");
    for row in rows {
        println!("{row}");
    }
}
