//! The dashboard and the yearly reports at scale (issue 10): seeds demo cases into SQLite
//! (1,000,000 unless `REDRESS_BENCH_CASES` says otherwise) and times building each report's
//! view model from the database — the queries and the folding, which is where the time
//! goes; rendering the template is a few hundred rows — printing median and p99 as a
//! markdown table.
//!
//! Run with `cargo bench --bench reports`; figures are in docs/performance.md. The seeded
//! database is kept under `target/bench-cache/`, keyed by case count, seed and day.
//!
//! Knobs: `REDRESS_BENCH_CASES`, `REDRESS_BENCH_RUNS` (timed runs per report, default 30).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use diesel::connection::SimpleConnection;
use redress::cases::access::Scope;
use redress::config::{Overrides, Settings};
use redress::domain::{ServiceAreaId, UserId};
use redress::reports::performance::Dimension;
use redress::reports::{dashboard, performance, tsm, Period};
use redress::rules::RagThresholds;
use redress::seed::{seed_demo, SeedOptions};

const SEED: u64 = 1;
const POLICY: &str = "hoc-2024";

fn env_number(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .replace('_', "")
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, not `{v}`")),
        _ => default,
    }
}

fn settings_for(data_dir: &Path) -> Settings {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut settings = Settings::load(&Path::new(root).join("config"), &Overrides::default())
        .expect("config/default.toml loads");
    settings.storage.data_dir = data_dir.to_path_buf();
    settings.rules.policy = POLICY.into();
    settings.rules.policies_dir = format!("{root}/config/policies").into();
    settings.rules.holidays_file = format!("{root}/config/bank-holidays.json").into();
    settings.database.url = format!("sqlite://{}/redress.db", data_dir.display());
    settings.reports.homes.insert("2025".into(), 120_000);
    settings
}

fn prepare_database(settings: &Settings, data_dir: &Path, cases: u32, today: NaiveDate) {
    let cache_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-cache");
    let cached = cache_dir.join(format!("reports-{cases}-seed{SEED}-{today}.db"));
    let target = data_dir.join("redress.db");
    if cached.exists() {
        eprintln!("using the seeded database {}", cached.display());
        std::fs::copy(&cached, &target).expect("copy the cached database");
        return;
    }
    eprintln!("seeding {cases} cases (seed {SEED}, today {today}); cached for reruns");
    let started = Instant::now();
    let pool = redress::startup::open_database(settings).expect("database opens");
    let (calendar, policies) = redress::startup::load_rules(settings).expect("rules load");
    let mut conn = pool.get().expect("connection");
    let mut last = 0;
    seed_demo(
        &mut conn,
        &calendar,
        policies.get(POLICY).expect("profile"),
        &SeedOptions {
            cases,
            seed: SEED,
            today,
        },
        &mut |done, total| {
            let percent = done as u64 * 100 / total as u64;
            if percent >= last + 10 {
                last = percent;
                eprintln!(
                    "  {percent}% seeded ({:.0} s)",
                    started.elapsed().as_secs_f64()
                );
            }
        },
    )
    .expect("seeding works");
    conn.batch_execute("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE)")
        .expect("analyze and checkpoint");
    drop(conn);
    drop(pool);
    eprintln!("seeded in {:.1} s", started.elapsed().as_secs_f64());
    std::fs::create_dir_all(&cache_dir).expect("cache folder");
    let partial = cached.with_extension("db.partial");
    std::fs::copy(&target, &partial).expect("cache the seeded database");
    std::fs::rename(&partial, &cached).expect("cache the seeded database");
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn time<T>(runs: usize, mut work: impl FnMut() -> T) -> (Duration, Duration, Duration) {
    // Two untimed runs warm SQLite's page cache, as a server that has been up a while.
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
    let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let data_dir = tempfile::tempdir().expect("temp dir");
    let settings = settings_for(data_dir.path());
    prepare_database(&settings, data_dir.path(), cases, today);
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
    let d = dashboard::build(&mut conn, &Scope::All, &calendar, &rag, today).unwrap();
    eprintln!(
        "dashboard: {} open, {} overdue, {} responses this year",
        d.open.iter().map(|s| s.total()).sum::<u64>(),
        d.overdue,
        d.this_year.responded
    );
    measure(
        "dashboard, whole organisation",
        time(runs, || {
            dashboard::build(&mut conn, &Scope::All, &calendar, &rag, today).unwrap()
        }),
    );
    measure(
        "dashboard, one manager",
        time(runs, || {
            dashboard::build(&mut conn, &manager, &calendar, &rag, today).unwrap()
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
    println!("\n{cases} cases, {runs} timed runs each (ms)\n");
    println!("| report | median | p99 | max |");
    println!("|---|---|---|---|");
    for row in rows {
        println!("{row}");
    }
}
