//! Builds the application from settings, so `main` and the tests start the same server.

use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;

use actix_session::config::{BrowserSession, CookieContentSecurity};
use actix_session::storage::CookieSessionStore;
use actix_session::SessionMiddleware;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Compress, DefaultHeaders};
use tracing_actix_web::TracingLogger;

use crate::web::request_log::RequestSpan;
use actix_web::{web, App, HttpServer};
use anyhow::Context;
use base64::Engine;
use chrono::Utc;
use rand::RngCore;

use crate::auth::password;
use crate::config::Settings;
use crate::db::users::{self, NewUser};
use crate::db::{self, audit, DatabaseUrl, DbPool};
use crate::domain::Role;
use crate::rules::calendar::{Calendar, Region};
use crate::rules::policy::PolicySet;
use crate::shutdown::Shutdown;
use crate::web::state::AppState;

pub const BOOTSTRAP_ADMIN_EMAIL: &str = "admin@redress.local";

type Background = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

pub struct Application {
    port: u16,
    server: Server,
    /// Delivers the outbox while the server runs (`None` when `mail.poll_seconds` is 0).
    /// It stops on `shutdown`, handing back its claims, so it is awaited, not dropped.
    mail_worker: Option<Background>,
    /// The mailbox reader and the daily retention run: dropped when the server stops.
    other_workers: Option<Background>,
    shutdown: Shutdown,
    /// Set when this start created the first administrator: shown once, never stored.
    pub bootstrap_password: Option<String>,
    pub pool: DbPool,
}

impl Application {
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGTERM or SIGINT, then stops gracefully: the server stops accepting
    /// connections and lets in-flight requests finish (up to 30 seconds), while the mail
    /// worker finishes the message it is sending and hands back the rest of its claims, so
    /// another instance sends them at once. Returns when both are done.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let Application {
            server,
            mail_worker,
            other_workers,
            shutdown,
            ..
        } = self;
        let handle = server.handle();
        let serve = async {
            let result = server.await;
            shutdown.begin();
            result
        };
        let signals = async {
            let requested = std::pin::pin!(crate::shutdown::requested());
            let stopped = std::pin::pin!(shutdown.wait());
            if let futures_util::future::Either::Left(_) =
                futures_util::future::select(requested, stopped).await
            {
                shutdown.begin();
                handle.stop(true).await;
            }
        };
        let mail = async {
            if let Some(worker) = mail_worker {
                worker.await;
            }
        };
        let others = async {
            if let Some(workers) = other_workers {
                let stopped = std::pin::pin!(shutdown.wait());
                futures_util::future::select(workers, stopped).await;
            }
        };
        let (result, (), (), ()) = futures_util::future::join4(serve, mail, others, signals).await;
        result
    }
}

/// Opens the database and runs pending migrations (every CLI command that uses the
/// database starts here).
pub fn open_database(settings: &Settings) -> anyhow::Result<DbPool> {
    let url = DatabaseUrl::parse(&settings.database.url)
        .map_err(|m| anyhow::anyhow!("configuration error in `database.url`: {m}"))?;
    let pool = db::build_pool(&url, settings.database.pool_size)
        .with_context(|| format!("opening the {} database", url.backend_name()))?;
    let mut conn = pool
        .get()
        .with_context(|| format!("connecting to the {} database", url.backend_name()))?;
    db::run_migrations(&mut conn)?;
    Ok(pool)
}

/// Loads the bank holidays and policy profiles, and checks the active profile exists.
pub fn load_rules(settings: &Settings) -> anyhow::Result<(Calendar, PolicySet)> {
    let region: Region = settings
        .rules
        .region
        .parse()
        .map_err(|e| anyhow::anyhow!("configuration error in `rules.region`: {e}"))?;
    let calendar = Calendar::load(&settings.rules.holidays_file, region)
        .with_context(|| format!("loading {}", settings.rules.holidays_file.display()))?;
    let policies = PolicySet::load_dir(&settings.rules.policies_dir)
        .with_context(|| format!("loading {}", settings.rules.policies_dir.display()))?;
    if policies.get(&settings.rules.policy).is_none() {
        anyhow::bail!(
            "configuration error in `rules.policy`: no profile `{}` in {} (have: {})",
            settings.rules.policy,
            settings.rules.policies_dir.display(),
            policies.names().join(", ")
        );
    }
    Ok((calendar, policies))
}

/// Creates `admin@redress.local` with a random password when there are no users at all.
/// Under a lock: two instances starting together on an empty database would otherwise both
/// find no users and the second would fail on the duplicate email.
pub fn bootstrap_admin(pool: &DbPool) -> anyhow::Result<Option<String>> {
    let mut conn = pool.get()?;
    db::conn::locked_transaction(&mut conn, &["bootstrap administrator"], create_first_admin)
}

fn create_first_admin(conn: &mut db::DbConnection) -> anyhow::Result<Option<String>> {
    if users::count(conn)? > 0 {
        return Ok(None);
    }
    let one_time = password::generate();
    let hash = password::hash(&one_time)?;
    let now = Utc::now().naive_utc();
    let created = users::insert(
        conn,
        &NewUser {
            email: BOOTSTRAP_ADMIN_EMAIL,
            display_name: "Administrator",
            role: Role::Admin.as_str(),
            password_hash: &hash,
            must_change_password: true,
            active: true,
            created_at: now,
            updated_at: now,
        },
    )?;
    audit::record(
        conn,
        &audit::AuditEntry::new(
            None,
            "system",
            "user_created",
            format!("user:{}", created.id),
            "bootstrap administrator",
            None,
        ),
    )?;
    Ok(Some(one_time))
}

/// The session key: from config, or generated once into the data folder.
fn session_key(settings: &Settings) -> anyhow::Result<Key> {
    let configured = settings.server.session_key.trim();
    if !configured.is_empty() {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(configured)
            .map_err(|_| {
                anyhow::anyhow!("configuration error in `server.session_key`: not base64")
            })?;
        return Key::try_from(bytes.as_slice()).map_err(|_| {
            anyhow::anyhow!("configuration error in `server.session_key`: needs at least 64 bytes")
        });
    }
    let path = settings.storage.data_dir.join("session.key");
    if let Ok(bytes) = std::fs::read(&path) {
        if let Ok(key) = Key::try_from(bytes.as_slice()) {
            return Ok(key);
        }
    }
    let mut bytes = [0u8; 64];
    rand::rng().fill_bytes(&mut bytes);
    // Written whole under another name, then linked into place, which fails if the file
    // exists: instances sharing a data folder and starting together all end up with the
    // first one's key (a plain write would leave each with its own, and sessions would not
    // carry from one instance to another).
    let mut tag = [0u8; 8];
    rand::rng().fill_bytes(&mut tag);
    let draft = path.with_extension(format!("{}.new", hex(&tag)));
    write_private(&draft, &bytes)?;
    let linked = std::fs::hard_link(&draft, &path);
    let _ = std::fs::remove_file(&draft);
    match linked {
        Ok(()) => Ok(Key::from(&bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let theirs =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            Key::try_from(theirs.as_slice())
                .map_err(|_| anyhow::anyhow!("{} is not a session key", path.display()))
        }
        Err(e) => Err(e).with_context(|| format!("writing {}", path.display())),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    file.write_all(bytes)?;
    Ok(())
}

const CSP: &str = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
                   form-action 'self'; frame-ancestors 'none'";

pub async fn build(settings: Settings) -> anyhow::Result<Application> {
    build_with_clock(settings, crate::clock::Clock::System).await
}

/// The application on `clock` (tests pin it to a day).
pub async fn build_with_clock(
    settings: Settings,
    clock: crate::clock::Clock,
) -> anyhow::Result<Application> {
    std::fs::create_dir_all(&settings.storage.data_dir)
        .with_context(|| format!("creating {}", settings.storage.data_dir.display()))?;
    let (calendar, policies) = load_rules(&settings)?;
    let pool = {
        let settings = settings.clone();
        web::block(move || open_database(&settings)).await??
    };
    let bootstrap_password = {
        let pool = pool.clone();
        web::block(move || bootstrap_admin(&pool)).await??
    };
    let mailer = crate::mail::Mailer::from_settings(&settings)?;
    let key = session_key(&settings)?;
    let listener = TcpListener::bind(&settings.server.bind)
        .with_context(|| format!("binding {}", settings.server.bind))?;
    let port = listener.local_addr()?.port();

    let state = web::Data::new(AppState {
        pool: pool.clone(),
        settings: Arc::new(settings.clone()),
        calendar: Arc::new(calendar),
        policies: Arc::new(policies),
        links: crate::mail::links::Links::from_settings(&settings),
        clock,
        list_counts: Arc::default(),
        filtered_totals: Arc::default(),
        list_choices: Arc::default(),
        open_cases: Arc::default(),
    });
    let worker_rules = (state.settings.clone(), state.calendar.clone());
    let updates_owed: std::sync::Arc<dyn crate::mail::notify::UpdatesOwed> = std::sync::Arc::new(
        crate::letters::progress::UpdatesDue::new(state.policies.clone()),
    );
    let secure = settings.server.secure_cookies;
    let assets = web::Data::from(
        crate::web::assets::install(&settings.server.static_dir).with_context(|| {
            format!(
                "reading the static files in {}",
                settings.server.static_dir.display()
            )
        })?,
    );
    let workers = settings.server.workers;
    let mut server = HttpServer::new(move || {
        let session = SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
            .cookie_name("redress_session".into())
            .cookie_secure(secure)
            .cookie_http_only(true)
            .cookie_same_site(SameSite::Strict)
            .cookie_content_security(CookieContentSecurity::Private)
            .session_lifecycle(BrowserSession::default())
            .build();
        App::new()
            .app_data(state.clone())
            .app_data(assets.clone())
            .route(
                "/static/{path:.*}",
                web::get().to(crate::web::assets::serve),
            )
            .configure(crate::web::routes)
            .default_service(web::to(not_found))
            // Order: the last `wrap` runs first. Session must exist before the CSRF check;
            // errors become pages inside the security headers, so those cover them too.
            .wrap(from_fn(crate::web::framework::head_as_get))
            .wrap(from_fn(crate::web::csrf::guard))
            .wrap(session)
            .wrap(from_fn(crate::web::framework::error_pages))
            .wrap(from_fn(crate::web::htmx::errors_replace_the_page))
            .wrap(
                DefaultHeaders::new()
                    .add(("Content-Security-Policy", CSP))
                    .add(("X-Content-Type-Options", "nosniff"))
                    .add(("X-Frame-Options", "DENY"))
                    .add(("Referrer-Policy", "same-origin"))
                    .add(("Cross-Origin-Opener-Policy", "same-origin"))
                    .add((
                        "Permissions-Policy",
                        "camera=(), microphone=(), geolocation=()",
                    ))
                    .add(("Cache-Control", "no-store")),
            )
            .wrap(Compress::default())
            .wrap(TracingLogger::<RequestSpan>::new())
    })
    // Responses go out as soon as they are written: with Nagle's algorithm on, the last small
    // piece of a response waited for the client's delayed acknowledgement (~40 ms) on a
    // kept-alive connection.
    .on_connect(|connection, _| {
        if let Some(stream) = connection.downcast_ref::<actix_web::rt::net::TcpStream>() {
            let _ = stream.set_nodelay(true);
        }
    })
    // SIGTERM and SIGINT are heard in `run_until_stopped`, which also stops the background
    // work; actix-web's own handlers would stop the server alone.
    .disable_signals()
    .listen(listener)?;
    if workers > 0 {
        server = server.workers(workers);
    }
    let intake_settings = worker_rules.0.clone();
    let shutdown = Shutdown::default();
    let mail_worker = (settings.mail.poll_seconds > 0).then(|| {
        Box::pin(crate::mail::worker::run_in_background(
            pool.clone(),
            worker_rules.0,
            worker_rules.1,
            updates_owed,
            mailer,
            shutdown.clone(),
        )) as Background
    });
    // The complaints mailbox reader, stopping with the server.
    let intake = (settings.intake.enabled() && settings.intake.poll_seconds > 0).then(|| {
        Box::pin(crate::intake::worker::run_in_background(
            pool.clone(),
            intake_settings,
            clock,
        )) as Background
    });
    // The daily retention run (issue 30), stopping with the server.
    let retention = settings.retention.run_at().map(|at| {
        Box::pin(crate::privacy::retention::run_daily(
            pool.clone(),
            Arc::new(settings.clone()),
            clock,
            at,
        )) as Background
    });
    let other_workers = match (intake, retention) {
        (None, None) => None,
        (Some(one), None) | (None, Some(one)) => Some(one),
        (Some(intake), Some(retention)) => Some(Box::pin(async move {
            futures_util::future::join(intake, retention).await;
        }) as Background),
    };
    Ok(Application {
        port,
        server: server.run(),
        mail_worker,
        other_workers,
        shutdown,
        bootstrap_password,
        pool,
    })
}

async fn not_found() -> Result<actix_web::HttpResponse, crate::web::error::AppError> {
    Err(crate::web::error::AppError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Instances sharing a data folder and starting together, with no key configured.
    #[test]
    fn instances_starting_together_on_one_folder_agree_on_the_generated_session_key() {
        for _ in 0..20 {
            let folder = tempfile::tempdir().unwrap();
            let mut settings = Settings::default();
            settings.storage.data_dir = folder.path().to_path_buf();
            let settings = Arc::new(settings);
            let barrier = Arc::new(std::sync::Barrier::new(4));
            let keys: Vec<Vec<u8>> = (0..4)
                .map(|_| {
                    let (settings, barrier) = (settings.clone(), barrier.clone());
                    std::thread::spawn(move || {
                        barrier.wait();
                        session_key(&settings).unwrap().master().to_vec()
                    })
                })
                .collect::<Vec<_>>()
                .into_iter()
                .map(|thread| thread.join().unwrap())
                .collect();
            assert!(keys.iter().all(|key| *key == keys[0]), "one key for all");
            let on_disk = std::fs::read(folder.path().join("session.key")).unwrap();
            assert_eq!(Key::from(&on_disk).master(), keys[0].as_slice());
            let left: Vec<_> = std::fs::read_dir(folder.path()).unwrap().collect();
            assert_eq!(left.len(), 1, "no drafts left behind");
        }
    }
}
