//! What the benches share: their knobs, settings pointing at this checkout's config, a
//! seeded SQLite database cached between runs, and latency percentiles.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use diesel::connection::SimpleConnection;
use redress::config::{Overrides, Settings};
use redress::seed::{seed_demo, SeedOptions};

/// The demo data's seed: the same seed on the same day gives the same cases.
pub const SEED: u64 = 1;
pub const POLICY: &str = "hoc-2024";

/// A whole number from the environment (`_` allowed as a separator), or `default`.
pub fn env_number(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .replace('_', "")
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, not `{v}`")),
        _ => default,
    }
}

/// `config/default.toml` with this checkout's rules files, the `hoc-2024` profile and a
/// SQLite database in `data_dir`.
pub fn settings_for(data_dir: &Path) -> Settings {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut settings = Settings::load(&Path::new(root).join("config"), &Overrides::default())
        .expect("config/default.toml loads");
    settings.storage.data_dir = data_dir.to_path_buf();
    settings.rules.policy = POLICY.into();
    settings.rules.policies_dir = format!("{root}/config/policies").into();
    settings.rules.holidays_file = format!("{root}/config/bank-holidays.json").into();
    settings.database.url = format!("sqlite://{}/redress.db", data_dir.display());
    settings
}

/// How a bench's database is seeded and cached.
pub struct Seeding<'a> {
    /// The bench's name, the start of the cached file's name.
    pub bench: &'a str,
    pub cases: u32,
    pub today: NaiveDate,
    /// Gather SQLite's planner statistics (`ANALYZE`) after seeding. The work-list bench
    /// does not: the app never runs `ANALYZE`, and its queries are written for that.
    pub analyze: bool,
}

/// Seeds `data_dir/redress.db`, or copies the seeded file cached under
/// `target/bench-cache/`, keyed by bench, case count, seed and day.
pub fn prepare_database(settings: &Settings, data_dir: &Path, seeding: &Seeding<'_>) {
    let Seeding {
        bench,
        cases,
        today,
        analyze,
    } = *seeding;
    let cache_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-cache");
    let cached = cache_dir.join(format!("{bench}-{cases}-seed{SEED}-{today}.db"));
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
    if analyze {
        conn.batch_execute("ANALYZE").expect("analyze");
    }
    conn.batch_execute("PRAGMA wal_checkpoint(TRUNCATE)")
        .expect("checkpoint");
    drop(conn);
    drop(pool);
    eprintln!("seeded in {:.1} s", started.elapsed().as_secs_f64());
    std::fs::create_dir_all(&cache_dir).expect("cache folder");
    let partial = cached.with_extension("db.partial");
    std::fs::copy(&target, &partial).expect("cache the seeded database");
    std::fs::rename(&partial, &cached).expect("cache the seeded database");
}

/// The `p` quantile (0 to 1) of sorted durations.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Milliseconds with one decimal.
pub fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}
