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

/// The database a bench measures: SQLite in the data folder (the default), or PostgreSQL
/// when `REDRESS_BENCH_POSTGRES=1`. PostgreSQL is the server `TEST_POSTGRES_URL` names (the
/// one the tests use; `.ci/run` starts a throwaway one the same way: initdb into a temporary
/// folder, pg_ctl on a free loopback port, fsync off). The bench seeds its own database there,
/// `redress_bench_{bench}_{cases}_seed{SEED}_{day}`, and keeps it for reruns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BenchBackend {
    Sqlite,
    Postgres { admin_url: String },
}

#[allow(dead_code)]
impl BenchBackend {
    pub fn from_env() -> BenchBackend {
        match std::env::var("REDRESS_BENCH_POSTGRES") {
            Ok(v) if v == "1" => BenchBackend::Postgres {
                admin_url: std::env::var("TEST_POSTGRES_URL").expect(
                    "REDRESS_BENCH_POSTGRES=1 needs TEST_POSTGRES_URL (a PostgreSQL superuser URL)",
                ),
            },
            _ => BenchBackend::Sqlite,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            BenchBackend::Sqlite => "SQLite",
            BenchBackend::Postgres { .. } => "PostgreSQL",
        }
    }
}

/// Seeds the bench's database, or finds it seeded, on the backend `REDRESS_BENCH_POSTGRES`
/// chooses ([`BenchBackend::from_env`]), and points `settings` at it.
pub fn prepare_backend(
    settings: &mut Settings,
    data_dir: &Path,
    seeding: &Seeding<'_>,
) -> BenchBackend {
    let backend = BenchBackend::from_env();
    match &backend {
        BenchBackend::Sqlite => prepare_database(settings, data_dir, seeding),
        BenchBackend::Postgres { admin_url } => prepare_postgres(settings, admin_url, seeding),
    }
    backend
}

/// PostgreSQL: points `settings` at the bench's database, seeding it first unless a
/// previous run finished doing so (it is renamed into place only once seeded).
#[allow(dead_code)]
pub fn prepare_postgres(settings: &mut Settings, admin_url: &str, seeding: &Seeding<'_>) {
    use diesel::{Connection, PgConnection, RunQueryDsl};
    let Seeding {
        bench,
        cases,
        today,
        analyze,
    } = *seeding;
    let name = format!(
        "redress_bench_{bench}_{cases}_seed{SEED}_{}",
        today.format("%Y%m%d")
    );
    let partial = format!("{name}_partial");
    let url_of = |db: &str| {
        let (server, _) = admin_url
            .rsplit_once('/')
            .expect("TEST_POSTGRES_URL ends with /database");
        format!("{server}/{db}")
    };
    let mut admin = PgConnection::establish(admin_url).expect("PostgreSQL at TEST_POSTGRES_URL");
    #[derive(diesel::QueryableByName)]
    struct Found {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let exists = diesel::sql_query(format!(
        "SELECT count(*) AS n FROM pg_database WHERE datname = '{name}'"
    ))
    .get_result::<Found>(&mut admin)
    .expect("list databases")
    .n > 0;
    settings.database.url = url_of(&name);
    if exists {
        eprintln!("using the seeded PostgreSQL database {name}");
        return;
    }
    // One statement per call: PostgreSQL runs a multi-statement string in one transaction,
    // where DROP DATABASE is refused.
    admin
        .batch_execute(&format!(
            "DROP DATABASE IF EXISTS \"{partial}\" WITH (FORCE)"
        ))
        .expect("drop a half-seeded bench database");
    admin
        .batch_execute(&format!("CREATE DATABASE \"{partial}\""))
        .expect("create the bench database");
    let mut seeding_settings = settings.clone();
    seeding_settings.database.url = url_of(&partial);
    eprintln!("seeding {cases} cases into PostgreSQL {name} (seed {SEED}, today {today})");
    let started = Instant::now();
    {
        let pool = redress::startup::open_database(&seeding_settings).expect("database opens");
        let (calendar, policies) =
            redress::startup::load_rules(&seeding_settings).expect("rules load");
        let mut conn = pool.get().expect("connection");
        seed_demo(
            &mut conn,
            &calendar,
            policies.get(POLICY).expect("profile"),
            &SeedOptions {
                cases,
                seed: SEED,
                today,
            },
            &mut |_, _| {},
        )
        .expect("seeding works");
        // PostgreSQL's planner needs its statistics, which autovacuum would gather soon
        // after a bulk load anyway; `analyze` is about SQLite.
        let _ = analyze;
        conn.batch_execute("VACUUM ANALYZE").expect("analyze");
    }
    admin
        .batch_execute(&format!(
            "ALTER DATABASE \"{partial}\" RENAME TO \"{name}\""
        ))
        .expect("rename the seeded database");
    eprintln!("seeded in {:.1} s", started.elapsed().as_secs_f64());
}

/// The `p` quantile (0.5 for the median, 0.99 for p99) of durations sorted ascending.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    // Benches build in release: a plain assert, so 50.0 for "the median" cannot slip by.
    assert!((0.0..=1.0).contains(&p), "a fraction, not a percentage");
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Milliseconds with one decimal.
pub fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// A client that keeps cookies and does not follow redirects, as a signed-in browser.
pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(Duration::from_secs(2))
        .build()
        .expect("client")
}

pub fn csrf_from(html: &str) -> String {
    let marker = "name=\"csrf-token\" content=\"";
    let start = html.find(marker).expect("page has a csrf meta tag") + marker.len();
    let end = html[start..].find('"').expect("closing quote") + start;
    html[start..end].to_string()
}

/// A browser signed in as `email`.
pub async fn signed_in(base: &str, email: &str) -> reqwest::Client {
    let client = new_client();
    let login = client
        .get(format!("{base}/login"))
        .send()
        .await
        .expect("GET /login")
        .text()
        .await
        .expect("login page");
    let token = csrf_from(&login);
    let body = serde_html_form::to_string([
        ("email", email),
        ("password", redress::seed::DEMO_PASSWORD),
        ("csrf_token", &token),
    ])
    .expect("form");
    let response = client
        .post(format!("{base}/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("POST /login");
    assert_eq!(response.status(), 303, "sign in as {email}");
    client
}
