//! One connection type over SQLite and PostgreSQL, and the r2d2 pool that hands them out.
//!
//! Diesel's derived `MultiConnection::establish` tries each backend in turn and hides the
//! real PostgreSQL error, so the pool's manager picks the backend from the URL prefix itself.

use crate::config::DatabaseUrl;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::r2d2::{self, ManageConnection};
use diesel::sql_types::Text;
use diesel::{Connection, PgConnection, RunQueryDsl, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

pub type DbPool = r2d2::Pool<DbManager>;
pub type PooledConnection = r2d2::PooledConnection<DbManager>;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(Debug, thiserror::Error)]
pub enum DbConnectError {
    #[error("could not connect to the database: {0}")]
    Connection(#[from] diesel::ConnectionError),
    #[error("database error: {0}")]
    Query(#[from] diesel::result::Error),
}

/// r2d2 manager that opens the backend named by the URL.
#[derive(Debug, Clone)]
pub struct DbManager {
    url: DatabaseUrl,
}

impl DbManager {
    pub fn new(url: DatabaseUrl) -> Self {
        Self { url }
    }
}

impl ManageConnection for DbManager {
    type Connection = DbConnection;
    type Error = DbConnectError;

    fn connect(&self) -> Result<DbConnection, DbConnectError> {
        match &self.url {
            DatabaseUrl::Sqlite(path) => {
                let mut conn = super::sqlite_library::establish(&path.to_string_lossy())?;
                // WAL lets readers run beside the single writer; busy_timeout makes a
                // writer wait for the lock instead of failing at once. Reading through a
                // memory map (up to 1 GiB of the file, shared by every connection) instead
                // of copying each page into a 2 MB per-connection cache took the searches
                // that look up thousands of cases from ~9 to ~5 ms (docs/performance.md).
                conn.batch_execute(
                    "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
                     PRAGMA mmap_size = 1073741824;",
                )?;
                if QueryTimer::wanted() {
                    conn.set_instrumentation(QueryTimer::default());
                }
                Ok(DbConnection::Sqlite(conn))
            }
            DatabaseUrl::Postgres(url) => {
                // Statements are kept prepared, and PostgreSQL may plan one once for any
                // values after five runs; the work lists' own statements are planned for
                // their values each time instead (`db::planned_for_values`).
                let mut conn = PgConnection::establish(url)?;
                if QueryTimer::wanted() {
                    conn.set_instrumentation(QueryTimer::default());
                }
                Ok(DbConnection::Pg(conn))
            }
        }
    }

    /// r2d2 asks on every checkout. A PostgreSQL connection can be cut by the server (a
    /// restart, an idle timeout), so it answers a `SELECT 1` first; an SQLite connection is
    /// a file handle in this process that nothing outside can break, so the round trip would
    /// only cost time on every page (issue 31).
    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), DbConnectError> {
        match conn {
            DbConnection::Sqlite(_) => Ok(()),
            DbConnection::Pg(_) => conn.batch_execute("SELECT 1").map_err(DbConnectError::from),
        }
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

/// Logs every statement with how long it took, at debug level under the target
/// `redress::sql` (`RUST_LOG=info,redress::sql=debug`): where a page's time goes
/// (docs/performance.md). Only the SQL is logged, never the bound values (names, addresses).
/// Set on connections opened while that level is on, so it costs nothing otherwise.
///
/// `kept=false` marks a statement Diesel does not keep prepared, so the database parses and
/// plans it again every time (a boxed query with a part that is not safe to cache).
#[derive(Default)]
struct QueryTimer {
    started: Option<std::time::Instant>,
    /// The SQL of the statements this connection keeps prepared.
    kept: std::collections::HashSet<String>,
}

impl QueryTimer {
    fn wanted() -> bool {
        tracing::enabled!(target: "redress::sql", tracing::Level::DEBUG)
    }
}

impl diesel::connection::Instrumentation for QueryTimer {
    fn on_connection_event(&mut self, event: diesel::connection::InstrumentationEvent<'_>) {
        use diesel::connection::InstrumentationEvent;
        match event {
            InstrumentationEvent::StartQuery { .. } => {
                self.started = Some(std::time::Instant::now());
            }
            InstrumentationEvent::CacheQuery { sql, .. } => {
                self.kept.insert(sql.to_string());
            }
            InstrumentationEvent::FinishQuery { query, .. } => {
                let Some(started) = self.started.take() else {
                    return;
                };
                let ms = started.elapsed().as_secs_f64() * 1000.0;
                let text = query.to_string();
                let sql = text.split(" -- binds: ").next().unwrap_or_default();
                let kept = self.kept.contains(sql);
                tracing::debug!(target: "redress::sql", ms = format!("{ms:.3}"), kept, "{sql}");
            }
            _ => {}
        }
    }
}

/// Builds the pool, creating the SQLite file's folder when needed.
pub fn build_pool(url: &DatabaseUrl, size: u32) -> anyhow::Result<DbPool> {
    if let DatabaseUrl::Sqlite(path) = url {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
    }
    let pool = r2d2::Pool::builder()
        .max_size(size)
        .connection_timeout(std::time::Duration::from_secs(5))
        .build(DbManager::new(url.clone()))?;
    Ok(pool)
}

/// Runs `work` in a transaction that holds the locks named by `keys` (taken in the order
/// given: callers keep one order, so two transactions cannot wait on each other) from its
/// first statement to its commit, so a check-then-write inside it (count, then insert) cannot interleave with
/// another holding the same key: two concurrent requests take turns instead of both
/// reading the same count.
///
/// SQLite: `BEGIN IMMEDIATE` takes the database's write lock before anything is read
/// (a plain `BEGIN` reads first and may then fail to upgrade); `keys` are not needed, as
/// there is one writer at a time anyway. PostgreSQL: a transaction-scoped advisory lock
/// on each key's hash, released by the commit or rollback. Nested `transaction` calls
/// inside `work` become savepoints as usual; this one must be the outermost (on SQLite it
/// fails with `AlreadyInTransaction` otherwise).
pub fn locked_transaction<T, E>(
    conn: &mut DbConnection,
    keys: &[&str],
    work: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        DbConnection::Sqlite(sqlite) => {
            AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
            // The multi-backend connection's transaction manager delegates to the SQLite
            // connection's, so `work`'s own transactions see this one and nest in it.
            match work(conn) {
                Ok(value) => {
                    <DbConnection as Connection>::TransactionManager::commit_transaction(conn)?;
                    Ok(value)
                }
                Err(e) => {
                    <DbConnection as Connection>::TransactionManager::rollback_transaction(conn)?;
                    Err(e)
                }
            }
        }
        DbConnection::Pg(_) => conn.transaction(|conn| {
            for key in keys {
                diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))")
                    .bind::<Text, _>(*key)
                    .execute(conn)?;
            }
            work(conn)
        }),
    }
}

/// Runs `work` while this connection holds a PostgreSQL session advisory lock on `key`, for
/// work that several instances sharing one database may start at the same moment (start-up,
/// the daily retention run): the later one waits, then finds the work done. Unlike
/// [`locked_transaction`], `work` may commit transactions of its own. On SQLite there is one
/// instance per database file, so no lock.
pub fn with_session_lock<T, E>(
    conn: &mut DbConnection,
    key: &str,
    work: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    if matches!(conn, DbConnection::Sqlite(_)) {
        return work(conn);
    }
    diesel::sql_query("SELECT pg_advisory_lock(hashtext($1))")
        .bind::<Text, _>(key)
        .execute(conn)?;
    let result = work(conn);
    // Released whatever happened: the connection goes back to the pool.
    diesel::sql_query("SELECT pg_advisory_unlock(hashtext($1))")
        .bind::<Text, _>(key)
        .execute(conn)?;
    result
}

/// Runs every pending migration for the connection's backend. Under a session lock:
/// instances starting together on one database would otherwise both apply the same
/// migration, and the second would stop with "relation already exists".
pub fn run_migrations(conn: &mut DbConnection) -> anyhow::Result<()> {
    with_session_lock(conn, "redress migrations", |conn| {
        let result = match conn {
            DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
            DbConnection::Pg(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
        };
        result.map_err(|e| anyhow::anyhow!("running migrations failed: {e}"))
    })
}
