//! `spawn_app` and friends: the real server, a real database, a cookie-keeping client.

use std::future::Future;
use std::sync::Once;

use chrono::Utc;
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use redress::auth::password;
use redress::clock::Clock;
use redress::config::Settings;
use redress::db::users::{self, NewUser};
use redress::db::DbPool;
use redress::domain::{Role, ServiceAreaId, UserId};

/// A strong password that passes the strength rule, for test users.
pub const PASSWORD: &str = "quiet-harbour-lantern-47";

#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite,
    Postgres(String),
}

impl Backend {
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }
}

static SKIP_NOTICE: Once = Once::new();

/// SQLite always; PostgreSQL when `TEST_POSTGRES_URL` is set (and then it must work).
pub fn backends() -> Vec<Backend> {
    let mut list = vec![Backend::Sqlite];
    match std::env::var("TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => list.push(Backend::Postgres(url)),
        _ => SKIP_NOTICE.call_once(|| {
            eprintln!(
                "NOTE: TEST_POSTGRES_URL is not set: PostgreSQL runs of the tests are skipped"
            );
        }),
    }
    list
}

pub fn postgres_url() -> Option<String> {
    std::env::var("TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// Runs `test` once per backend, each on a fresh app.
pub async fn for_each_backend<F, Fut>(test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    for backend in backends() {
        let app = spawn_app(backend).await;
        test(app).await;
    }
}

/// A throwaway PostgreSQL database, dropped when this guard goes.
pub struct PgDatabase {
    admin_url: String,
    pub name: String,
    pub url: String,
}

impl PgDatabase {
    pub fn create(admin_url: &str) -> PgDatabase {
        let name = format!("redress_test_{}", rand_suffix());
        let mut conn = PgConnection::establish(admin_url)
            .unwrap_or_else(|e| panic!("TEST_POSTGRES_URL is set but PostgreSQL refused: {e}"));
        conn.batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .expect("create test database");
        let mut url = url::Url::parse(admin_url).expect("TEST_POSTGRES_URL is a URL");
        url.set_path(&name);
        PgDatabase {
            admin_url: admin_url.to_string(),
            url: url.to_string(),
            name,
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut conn) = PgConnection::establish(&self.admin_url) {
            let _ = conn.batch_execute(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ));
        }
    }
}

fn rand_suffix() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..12)
        .map(|_| (b'a' + rng.random_range(0..26)) as char)
        .collect()
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub pool: DbPool,
    pub backend: &'static str,
    pub settings: Settings,
    pub pg: Option<PgDatabase>,
    /// Keeps the data folder (and SQLite file) alive for the test.
    #[allow(dead_code)]
    pub data_dir: tempfile::TempDir,
}

pub fn test_settings(
    backend: &Backend,
    data_dir: &std::path::Path,
) -> (Settings, Option<PgDatabase>) {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut settings = Settings::load(
        &std::path::Path::new(root).join("config"),
        &redress::config::Overrides::default(),
    )
    .expect("config/default.toml loads");
    settings.server.bind = "127.0.0.1:0".into();
    settings.server.workers = 2;
    settings.server.static_dir = format!("{root}/static").into();
    settings.storage.data_dir = data_dir.to_path_buf();
    settings.rules.policies_dir = format!("{root}/config/policies").into();
    settings.rules.holidays_file = format!("{root}/config/bank-holidays.json").into();
    settings.database.pool_size = 4;
    // Tests drive mail delivery (and its clock) themselves.
    settings.mail.poll_seconds = 0;
    // Tests run retention themselves (the daily run would act on the fixed clock).
    settings.retention.run_time = String::new();
    // Tests that are not about two-factor sign-in sign in with a password alone; the
    // two-factor tests turn it on for the roles they need.
    settings.auth.second_factor_roles = Vec::new();
    let pg = match backend {
        Backend::Sqlite => {
            settings.database.url = format!("sqlite://{}/redress.db", data_dir.display());
            None
        }
        Backend::Postgres(admin) => {
            let db = PgDatabase::create(admin);
            settings.database.url = db.url.clone();
            Some(db)
        }
    };
    (settings, pg)
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let (mut settings, pg) = test_settings(&backend, data_dir.path());
    adjust(&mut settings);
    start(backend.name(), settings, pg, data_dir).await
}

/// The app on a clock stopped at `at` (so a test can stand on 31 March, or at Christmas).
pub async fn spawn_app_at(backend: Backend, at: chrono::DateTime<Utc>) -> TestApp {
    spawn_app_at_with(backend, at, |_| {}).await
}

/// [`spawn_app_at`] with settings adjusted first.
pub async fn spawn_app_at_with(
    backend: Backend,
    at: chrono::DateTime<Utc>,
    adjust: impl FnOnce(&mut Settings),
) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let (mut settings, pg) = test_settings(&backend, data_dir.path());
    adjust(&mut settings);
    start_with_clock(backend.name(), settings, pg, data_dir, Clock::Fixed(at)).await
}

pub async fn start(
    backend: &'static str,
    settings: Settings,
    pg: Option<PgDatabase>,
    data_dir: tempfile::TempDir,
) -> TestApp {
    start_with_clock(backend, settings, pg, data_dir, Clock::System).await
}

async fn start_with_clock(
    backend: &'static str,
    settings: Settings,
    pg: Option<PgDatabase>,
    data_dir: tempfile::TempDir,
    clock: Clock,
) -> TestApp {
    let (address, pool) = launch(&settings, clock).await;
    TestApp {
        address,
        client: new_client(),
        pool,
        backend,
        settings,
        pg,
        data_dir,
    }
}

/// Builds and runs the server in the background; its address and pool.
async fn launch(settings: &Settings, clock: Clock) -> (String, DbPool) {
    let app = redress::startup::build_with_clock(settings.clone(), clock)
        .await
        .expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let pool = app.pool.clone();
    tokio::spawn(app.run_until_stopped());
    (address, pool)
}

/// A random session key in the form `server.session_key` takes (base64 of 64 bytes).
pub fn random_session_key() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 64];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Two instances of the app as a landlord runs them behind a load balancer: one database,
/// one data folder and one configured session key, shared rather than copied. They start at
/// the same moment, so start-up (migrations, the first administrator) races as it would in
/// production. The first owns the database and folder; keep it alive as long as the second.
pub async fn spawn_two_instances(
    backend: Backend,
    adjust: impl FnOnce(&mut Settings),
) -> (TestApp, TestApp) {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let (mut settings, pg) = test_settings(&backend, data_dir.path());
    settings.server.session_key = random_session_key();
    adjust(&mut settings);
    let ((address_a, pool_a), (address_b, pool_b)) = tokio::join!(
        launch(&settings, Clock::System),
        launch(&settings, Clock::System)
    );
    let second = TestApp {
        address: address_b,
        client: new_client(),
        pool: pool_b,
        backend: backend.name(),
        settings: settings.clone(),
        pg: None,
        // Not the shared folder: that belongs to the first instance.
        data_dir: tempfile::tempdir().expect("temp dir"),
    };
    let first = TestApp {
        address: address_a,
        client: new_client(),
        pool: pool_a,
        backend: backend.name(),
        settings,
        pg,
        data_dir,
    };
    (first, second)
}

pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        // Drop idle connections before the server's 5 s keep-alive does, so a client left
        // idle while others work never reuses a connection the server is closing.
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .build()
        .expect("client")
}

/// Pulls the CSRF token out of the page's `<meta name="csrf-token">`.
pub fn csrf_from(html: &str) -> String {
    let marker = "name=\"csrf-token\" content=\"";
    let start = html.find(marker).expect("page has a csrf meta tag") + marker.len();
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].to_string()
}

pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// The England and Wales calendar the app loads, for working out expected dates.
/// What the digests read to find the progress updates owed, under `settings`' policies.
pub fn updates_owed(settings: &Settings) -> redress::letters::progress::UpdatesDue {
    let (_, policies) = redress::startup::load_rules(settings).expect("the test's rules load");
    redress::letters::progress::UpdatesDue::new(policies)
}

/// Runs the scheduled notifications (digests and alerts) as the worker would at `when`.
pub fn run_scheduled(
    app: &TestApp,
    settings: &Settings,
    when: chrono::NaiveDateTime,
) -> redress::mail::notify::Scheduled {
    redress::mail::notify::queue_scheduled(
        &mut app.conn(),
        settings,
        &calendar(),
        &updates_owed(settings),
        when,
    )
    .expect("the scheduled notifications are queued")
}

pub fn calendar() -> redress::rules::Calendar {
    redress::rules::Calendar::load(
        std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/config/bank-holidays.json"
        )),
        redress::rules::Region::EnglandAndWales,
    )
    .unwrap()
}

/// A service area, written straight into the database.
pub fn make_area(app: &TestApp, name: &str, code: &str) -> ServiceAreaId {
    use diesel::prelude::*;
    use redress::db::schema::service_areas;
    let now = chrono::Utc::now().naive_utc();
    diesel::insert_into(service_areas::table)
        .values((
            service_areas::name.eq(name),
            service_areas::code.eq(code),
            service_areas::active.eq(true),
            service_areas::created_at.eq(now),
            service_areas::updated_at.eq(now),
        ))
        .returning(service_areas::id)
        .get_result(&mut app.conn())
        .unwrap()
}

/// A category, straight into the database.
pub fn make_category(app: &TestApp, name: &str) -> i32 {
    use diesel::prelude::*;
    use redress::db::schema::categories;
    let now = chrono::Utc::now().naive_utc();
    diesel::insert_into(categories::table)
        .values((
            categories::name.eq(name),
            categories::active.eq(true),
            categories::created_at.eq(now),
            categories::updated_at.eq(now),
        ))
        .returning(categories::id)
        .get_result(&mut app.conn())
        .unwrap()
}

/// A contractor, straight into the database.
pub fn make_contractor(app: &TestApp, name: &str) -> i32 {
    use diesel::prelude::*;
    use redress::db::schema::contractors;
    let now = chrono::Utc::now().naive_utc();
    diesel::insert_into(contractors::table)
        .values((
            contractors::name.eq(name),
            contractors::active.eq(true),
            contractors::created_at.eq(now),
            contractors::updated_at.eq(now),
        ))
        .returning(contractors::id)
        .get_result(&mut app.conn())
        .unwrap()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_html(&self, path: &str) -> String {
        self.get(path).await.text().await.unwrap()
    }

    /// The session's CSRF token, read from a page that shows it.
    pub async fn csrf(&self) -> String {
        csrf_from(&self.get_html("/login").await)
    }

    /// Posts a form with the session's CSRF token added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf().await;
        let mut body: Vec<(&str, &str)> = fields.to_vec();
        body.push(("csrf_token", &token));
        self.post_raw(path, &body).await
    }

    /// Posts exactly the fields given (no CSRF token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let body = serde_html_form::to_string(fields).unwrap();
        self.client
            .post(self.url(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("POST")
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_form("/login", &[("email", email), ("password", password)])
            .await
    }

    pub async fn sign_out(&self) -> reqwest::Response {
        self.post_form("/logout", &[]).await
    }

    pub fn conn(&self) -> redress::db::conn::PooledConnection {
        self.pool.get().expect("pooled connection")
    }

    /// Creates an active user directly in the database.
    pub fn create_user(
        &self,
        email: &str,
        name: &str,
        role: Role,
        areas: &[ServiceAreaId],
    ) -> UserId {
        self.create_user_with(email, name, role, areas, false, true)
    }

    pub fn create_user_with(
        &self,
        email: &str,
        name: &str,
        role: Role,
        areas: &[ServiceAreaId],
        must_change: bool,
        active: bool,
    ) -> UserId {
        let hash = password::hash(PASSWORD).unwrap();
        let now = Utc::now().naive_utc();
        let mut conn = self.conn();
        let user = users::insert(
            &mut conn,
            &NewUser {
                email,
                display_name: name,
                role: role.as_str(),
                password_hash: &hash,
                must_change_password: must_change,
                active,
                created_at: now,
                updated_at: now,
            },
        )
        .expect("insert user");
        users::set_service_areas(&mut conn, user.id, areas).unwrap();
        user.id
    }

    /// A signed-in client for a fresh user of `role`.
    pub async fn signed_in_as(&self, role: Role) -> TestApp {
        let email = format!("{}-{}@example.org", role.as_str(), rand_suffix());
        self.create_user(&email, &format!("Test {}", role.label()), role, &[]);
        let other = self.with_new_client();
        let response = other.sign_in(&email, PASSWORD).await;
        assert_eq!(response.status(), 303, "sign in as {role}");
        other
    }

    /// The same browser (cookies shared), for moving into an async block.
    pub fn clone_client(&self) -> TestApp {
        TestApp {
            client: self.client.clone(),
            ..self.with_new_client()
        }
    }

    /// The same browser (its cookies) talking to another instance, as a load balancer may
    /// send a user's next request.
    pub fn through(&self, instance: &TestApp) -> TestApp {
        TestApp {
            address: instance.address.clone(),
            pool: instance.pool.clone(),
            ..self.clone_client()
        }
    }

    /// The same app and database seen through a new browser (its own cookies).
    pub fn with_new_client(&self) -> TestApp {
        TestApp {
            address: self.address.clone(),
            client: new_client(),
            pool: self.pool.clone(),
            backend: self.backend,
            settings: self.settings.clone(),
            pg: None,
            data_dir: tempfile::tempdir().unwrap(),
        }
    }

    /// The id of the user signing in as `email`.
    pub fn user_id(&self, email: &str) -> UserId {
        use diesel::prelude::*;
        use redress::db::schema::users;
        users::table
            .filter(users::email.eq(email))
            .select(users::id)
            .first(&mut self.conn())
            .expect("a user with that email")
    }

    pub fn audit_count(&self, action: &str) -> i64 {
        redress::db::audit::count_action(&mut self.conn(), action).unwrap()
    }
}

/// Fails when any audit entry's detail or target contains one of `typed` (ignoring case):
/// the log names records and fields, never what people told us (issue 29). Gives how many
/// entries were read, so a caller can check there was something to read.
pub fn assert_audit_free_of(app: &TestApp, typed: &[&str]) -> usize {
    use diesel::prelude::*;
    use redress::db::schema::audit_log;
    let rows: Vec<(String, String, String)> = audit_log::table
        .select((audit_log::action, audit_log::target, audit_log::detail))
        .load(&mut app.conn())
        .unwrap();
    for (action, target, detail) in &rows {
        for word in typed {
            let word = word.to_lowercase();
            assert!(
                !detail.to_lowercase().contains(&word) && !target.to_lowercase().contains(&word),
                "audit entry {action} on {} carries {word:?}: target {target:?}, detail {detail:?}",
                app.backend
            );
        }
    }
    rows.len()
}
