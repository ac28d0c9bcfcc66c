//! `redress backup PATH` and `redress restore PATH [--force]` for SQLite: a consistent copy
//! of the database taken while Redress serves (`VACUUM INTO` reads one snapshot), with the
//! attachments folder and the session key beside it in the folder PATH. PostgreSQL has its
//! own tools for this (`pg_dump` / `pg_restore`, see the README); the commands say so.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel::SqliteConnection;

use crate::config::Settings;
use crate::db::DatabaseUrl;

/// The database file's name inside a backup folder.
pub const DATABASE_FILE: &str = "redress.db";
const ATTACHMENTS: &str = "attachments";
const SESSION_KEY: &str = "session.key";

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// A new (or empty) folder to write the backup into.
    pub path: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A folder written by `redress backup`.
    pub path: PathBuf,
    /// Replace a database that already holds users or cases.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// Not done, for a reason the user can act on (exit code 2).
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

const PG_BACKUP: &str = "On PostgreSQL back up with pg_dump, e.g.\n  \
    pg_dump --format=custom --file=redress.dump \"$DATABASE_URL\"\n\
    (attachments: copy `storage.data_dir`/attachments; see the README, Backup and restore).";
const PG_RESTORE: &str = "On PostgreSQL restore with pg_restore into an empty database, e.g.\n  \
    pg_restore --clean --if-exists --no-owner --dbname=\"$DATABASE_URL\" redress.dump\n\
    (see the README, Backup and restore).";

fn sqlite_path(settings: &Settings, postgres: &str) -> Result<PathBuf, BackupError> {
    match DatabaseUrl::parse(&settings.database.url) {
        Ok(DatabaseUrl::Sqlite(path)) => Ok(path),
        Ok(DatabaseUrl::Postgres(_)) => Err(BackupError::Refused(postgres.into())),
        Err(message) => Err(BackupError::Refused(format!(
            "configuration error in `database.url`: {message}"
        ))),
    }
}

fn open(path: &Path) -> anyhow::Result<SqliteConnection> {
    let mut conn = crate::db::sqlite_library::establish(&path.to_string_lossy())
        .with_context(|| format!("opening {}", path.display()))?;
    // Wait for a writer rather than failing while the server is busy.
    conn.batch_execute("PRAGMA busy_timeout = 10000;")?;
    Ok(conn)
}

/// Writes the backup into `args.path`; returns what was written, for stdout.
pub fn backup(args: &BackupArgs, settings: &Settings) -> Result<String, BackupError> {
    let database = sqlite_path(settings, PG_BACKUP)?;
    if !database.exists() {
        return Err(BackupError::Refused(format!(
            "There is no database at {} to back up",
            database.display()
        )));
    }
    let target = &args.path;
    if target.exists() && !is_empty_dir(target)? {
        return Err(BackupError::Refused(format!(
            "{} already exists and is not empty: give a new folder",
            target.display()
        )));
    }
    std::fs::create_dir_all(target).with_context(|| format!("creating {}", target.display()))?;
    let copy = target.join(DATABASE_FILE);
    // One read transaction: a consistent snapshot, taken beside the running server.
    open(&database)?
        .batch_execute(&format!("VACUUM INTO '{}'", sql_text(&copy)))
        .with_context(|| format!("writing {}", copy.display()))?;
    // Attachments after the snapshot: a file is in place before its row commits and is
    // never removed, so every attachment the copy mentions is there to copy.
    let data_dir = &settings.storage.data_dir;
    let files = copy_folder(&data_dir.join(ATTACHMENTS), &target.join(ATTACHMENTS))?;
    let key = copy_if_present(&data_dir.join(SESSION_KEY), &target.join(SESSION_KEY))?;
    let counts = Counts::of(&mut open(&copy)?)?;
    Ok(format!(
        "Backed up {} cases and {} users, {files} attachment files{} to {}",
        counts.cases,
        counts.users,
        if key { " and the session key" } else { "" },
        target.display()
    ))
}

/// Restores `args.path` over the configured database and data folder. Stop Redress first.
pub fn restore(args: &RestoreArgs, settings: &Settings) -> Result<String, BackupError> {
    let database = sqlite_path(settings, PG_RESTORE)?;
    let source = args.path.join(DATABASE_FILE);
    if !source.is_file() {
        return Err(BackupError::Refused(format!(
            "{} is not a backup folder: it has no {DATABASE_FILE}",
            args.path.display()
        )));
    }
    if database.exists() {
        let existing = Counts::of(&mut open(&database)?).unwrap_or_default();
        if existing.users + existing.cases > 0 && !args.force {
            return Err(BackupError::Refused(format!(
                "The database at {} is not empty ({} users, {} cases). Restoring replaces \
                 it: stop Redress, then run the command again with --force.",
                database.display(),
                existing.users,
                existing.cases
            )));
        }
    }
    if let Some(parent) = database.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    // Copy beside the target, then rename over it, so a failed copy leaves the old one.
    let incoming = database.with_extension("db.restoring");
    std::fs::copy(&source, &incoming).with_context(|| format!("copying {}", source.display()))?;
    for stale in ["-wal", "-shm"] {
        let mut name = database.clone().into_os_string();
        name.push(stale);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
    std::fs::rename(&incoming, &database)
        .with_context(|| format!("replacing {}", database.display()))?;
    let data_dir = &settings.storage.data_dir;
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;
    let files = copy_folder(&args.path.join(ATTACHMENTS), &data_dir.join(ATTACHMENTS))?;
    copy_if_present(&args.path.join(SESSION_KEY), &data_dir.join(SESSION_KEY))?;
    // A backup from an older Redress is brought up to date.
    crate::startup::open_database(settings)?;
    let counts = Counts::of(&mut open(&database)?)?;
    Ok(format!(
        "Restored {} cases and {} users, {files} attachment files, into {}",
        counts.cases,
        counts.users,
        database.display()
    ))
}

/// Rows that make a database "not empty".
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub users: i64,
    pub cases: i64,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

impl Counts {
    pub fn of(conn: &mut SqliteConnection) -> anyhow::Result<Counts> {
        let mut count = |table: &str| -> anyhow::Result<i64> {
            Ok(
                diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
                    .get_result::<Count>(conn)?
                    .n,
            )
        };
        Ok(Counts {
            users: count("users")?,
            cases: count("cases")?,
        })
    }
}

/// A path as the text of a single-quoted SQL string.
fn sql_text(path: &Path) -> String {
    path.to_string_lossy().replace('\'', "''")
}

fn is_empty_dir(path: &Path) -> anyhow::Result<bool> {
    Ok(path.is_dir() && std::fs::read_dir(path)?.next().is_none())
}

/// Copies the files of `from` (a flat folder) into `to`; a missing `from` copies nothing.
/// Unfinished uploads (`.part`) are left behind. Returns how many files were copied.
fn copy_folder(from: &Path, to: &Path) -> anyhow::Result<usize> {
    if !from.is_dir() {
        return Ok(0);
    }
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    let mut copied = 0;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if !entry.file_type()?.is_file() || name.to_string_lossy().ends_with(".part") {
            continue;
        }
        std::fs::copy(entry.path(), to.join(&name))
            .with_context(|| format!("copying {}", entry.path().display()))?;
        copied += 1;
    }
    Ok(copied)
}

fn copy_if_present(from: &Path, to: &Path) -> anyhow::Result<bool> {
    if !from.is_file() {
        return Ok(false);
    }
    std::fs::copy(from, to).with_context(|| format!("copying {}", from.display()))?;
    Ok(true)
}
