//! Bulk writes for large imports (the demo seeder): many rows per INSERT, ids the caller
//! allocates itself, and on SQLite a load that builds the secondary indexes after the rows.
//!
//! A multi-row `insert_into(..).values(vec)` does not compile through the derived
//! `MultiConnection`, so [`insert_all`] runs the same Diesel statement on the inner
//! `SqliteConnection` or `PgConnection`. Give it row structs derived with
//! `#[diesel(treat_none_as_default_value = false)]`: on SQLite a batch holding a `DEFAULT`
//! value falls back to one statement per row.

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::query_builder::InsertStatement;
use diesel::query_dsl::methods::ExecuteDsl;
use diesel::sql_types::{BigInt, Integer, Text};
use diesel::{PgConnection, SqliteConnection};

use super::DbConnection;

/// Bind parameters per statement: below SQLite's 32,766 and PostgreSQL's 65,535.
const MAX_BINDS: usize = 30_000;

/// Rows per statement of the prepared INSERT [`insert_all`] reuses. Diesel prepares a
/// statement of a `Vec` of rows afresh each time (its text depends on the length), and
/// preparing one of 30,000 bind values took longer than running it; an array of a fixed
/// length is one statement, prepared once per table and kept in the connection's cache.
/// More rows per statement gained nothing measurable.
const ROWS_PER_STATEMENT: usize = 64;

/// Inserts `rows` into `table`: in statements of [`ROWS_PER_STATEMENT`] rows prepared once
/// and reused, then the rest in as few statements as `columns` bind values each allow.
/// Call inside a transaction: each statement commits nothing on its own.
pub fn insert_all<T, R>(
    conn: &mut DbConnection,
    table: T,
    rows: Vec<R>,
    columns: usize,
) -> QueryResult<usize>
where
    T: Table + Copy,
    Vec<R>: Insertable<T>,
    InsertStatement<T, <Vec<R> as Insertable<T>>::Values>:
        ExecuteDsl<SqliteConnection> + ExecuteDsl<PgConnection>,
    Box<[R; ROWS_PER_STATEMENT]>: Insertable<T>,
    InsertStatement<T, <Box<[R; ROWS_PER_STATEMENT]> as Insertable<T>>::Values>:
        ExecuteDsl<SqliteConnection> + ExecuteDsl<PgConnection>,
{
    let mut inserted = 0;
    let mut rows = rows.into_iter();
    let rest = loop {
        let chunk: Vec<R> = rows.by_ref().take(ROWS_PER_STATEMENT).collect();
        let chunk: Box<[R; ROWS_PER_STATEMENT]> = match chunk.try_into() {
            Ok(full) => full,
            Err(short) => break short,
        };
        let statement = diesel::insert_into(table).values(chunk);
        inserted += match conn {
            DbConnection::Sqlite(c) => statement.execute(c)?,
            DbConnection::Pg(c) => statement.execute(c)?,
        };
    };
    let per_statement = (MAX_BINDS / columns.max(1)).max(1);
    let mut rows = rest;
    while !rows.is_empty() {
        let rest = rows.split_off(rows.len().min(per_statement));
        let batch = std::mem::replace(&mut rows, rest);
        let statement = diesel::insert_into(table).values(batch);
        inserted += match conn {
            DbConnection::Sqlite(c) => statement.execute(c)?,
            DbConnection::Pg(c) => statement.execute(c)?,
        };
    }
    Ok(inserted)
}

#[derive(QueryableByName)]
struct MaxId {
    #[diesel(sql_type = Integer)]
    id: i32,
}

/// The largest id in `table` (0 when empty), so a bulk import can number its rows from the
/// next one. `table` is one of the schema's table names, never user input.
pub fn max_id(conn: &mut DbConnection, table: &'static str) -> QueryResult<i32> {
    diesel::sql_query(format!("SELECT COALESCE(MAX(id), 0) AS id FROM {table}"))
        .get_result::<MaxId>(conn)
        .map(|row| row.id)
}

/// After rows were inserted with their own ids, moves PostgreSQL's id sequence past them so
/// the next ordinary insert does not collide. SQLite's AUTOINCREMENT follows by itself.
pub fn sync_id_sequence(conn: &mut DbConnection, table: &'static str) -> QueryResult<()> {
    if let DbConnection::Pg(pg) = conn {
        pg.batch_execute(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
             GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), 1))"
        ))?;
    }
    Ok(())
}

#[derive(QueryableByName)]
struct StoredIndex {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    tbl_name: String,
    #[diesel(sql_type = Text)]
    sql: String,
}

#[derive(QueryableByName)]
struct StoredTrigger {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    sql: String,
}

#[derive(QueryableByName)]
struct Setting {
    #[diesel(sql_type = BigInt)]
    value: i64,
}

#[derive(QueryableByName)]
struct Named {
    #[diesel(sql_type = Text)]
    name: String,
}

/// A connection setting (`PRAGMA name`), as a number.
fn pragma(conn: &mut DbConnection, name: &str) -> QueryResult<i64> {
    diesel::sql_query(format!("SELECT {name} AS value FROM pragma_{name}"))
        .get_result::<Setting>(conn)
        .map(|row| row.value)
}

/// The connection settings a bulk load changes, with the values they had.
const LOAD_SETTINGS: &[(&str, &str)] = &[
    // Nothing is worth an fsync before the load is whole: it is one transaction, so a
    // failure or a killed process leaves the database as it was; only a power cut during
    // the load could damage the file, which was new and empty.
    ("synchronous", "OFF"),
    // 256 MiB of pages (negative: KiB), so the tables being filled stay in memory.
    ("cache_size", "-262144"),
    // Sorting for the indexes built at the end happens in memory.
    ("temp_store", "MEMORY"),
    // The caller allocates every id it refers to; checking each reference costs a lookup
    // per foreign key per row. The tests run `PRAGMA foreign_key_check` after seeding.
    ("foreign_keys", "OFF"),
];

/// What each FTS5 table may hold in memory before writing a segment during the load:
/// fewer, larger segments, so fewer merges. Set on every FTS5 table and put back after.
const FTS_HASH_BYTES: i64 = 64 * 1024 * 1024;

/// FTS5's own default for `hashsize` (1 MiB), put back when a table had none set.
const FTS_DEFAULT_HASH_BYTES: i64 = 1024 * 1024;

/// How long the two steps after the rows took, for the seeder's timings.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadTimes {
    /// Building the secondary indexes set aside for the load.
    pub indexing: Duration,
    /// The commit, with SQLite's checkpoint of the write-ahead log into the file.
    pub committing: Duration,
}

/// Runs `load` (which fills `tables`) as one SQLite transaction made for writing many rows:
/// the secondary indexes of `tables` are dropped first and built again from their stored
/// SQL after the rows are in (a sort instead of a B-tree insertion per row per index), and
/// while it runs the connection skips fsyncs and foreign-key lookups and keeps a larger
/// page cache ([`LOAD_SETTINGS`]), put back afterwards whatever happened.
///
/// The triggers named in `set_aside` are dropped too and created again after the indexes:
/// `load` must do their work itself, once for all its rows. For the search tables this is
/// most of the gain: FTS5 writes out its in-memory index at every statement's savepoint, so
/// triggers fired by INSERTs of 64 rows made a small segment per statement and then merged
/// them (28% of a 100,000-case seed's CPU profile); one `INSERT … SELECT` fills the buffer
/// to [`FTS_HASH_BYTES`] before each write. Every other trigger stays
/// and runs as for any write. FTS5 tables get a larger in-memory buffer for the load
/// ([`FTS_HASH_BYTES`]).
///
/// The indexes are read back from `sqlite_master`, so this needs no list of them: whatever
/// the migrations created is what is rebuilt (unique constraints' own indexes, which have
/// no SQL there, stay and are maintained as usual); a trigger in `set_aside` that does not
/// exist is an error, so a renamed one is noticed. On failure the transaction rolls back,
/// indexes and triggers included. On PostgreSQL `load` simply runs.
pub fn sqlite_bulk_load<T>(
    conn: &mut DbConnection,
    tables: &[&str],
    set_aside: &[&str],
    load: impl FnOnce(&mut DbConnection) -> anyhow::Result<T>,
) -> anyhow::Result<(T, LoadTimes)> {
    if !matches!(conn, DbConnection::Sqlite(_)) {
        return Ok((load(conn)?, LoadTimes::default()));
    }
    let mut saved = Vec::with_capacity(LOAD_SETTINGS.len());
    for (name, _) in LOAD_SETTINGS {
        saved.push((*name, pragma(conn, name)?));
    }
    let mut set = String::new();
    for (name, value) in LOAD_SETTINGS {
        set.push_str(&format!("PRAGMA {name} = {value}; "));
    }
    conn.batch_execute(&set)?;
    let result = super::conn::locked_transaction(conn, &[], |conn| {
        let indexes: Vec<StoredIndex> = diesel::sql_query(
            "SELECT name, tbl_name, sql FROM sqlite_master \
             WHERE type = 'index' AND sql IS NOT NULL ORDER BY rowid",
        )
        .load::<StoredIndex>(conn)?
        .into_iter()
        .filter(|index| tables.contains(&index.tbl_name.as_str()))
        .collect();
        for index in &indexes {
            conn.batch_execute(&format!("DROP INDEX \"{}\"", index.name))?;
        }
        let triggers: Vec<StoredTrigger> = diesel::sql_query(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY rowid",
        )
        .load::<StoredTrigger>(conn)?
        .into_iter()
        .filter(|trigger| set_aside.contains(&trigger.name.as_str()))
        .collect();
        if let Some(missing) = set_aside
            .iter()
            .find(|name| !triggers.iter().any(|t| t.name == **name))
        {
            anyhow::bail!("no trigger {missing} to set aside for the bulk load");
        }
        for trigger in &triggers {
            conn.batch_execute(&format!("DROP TRIGGER \"{}\"", trigger.name))?;
        }
        let search_tables = fts_hash_sizes(conn)?;
        for (table, _) in &search_tables {
            set_fts_hash_size(conn, table, FTS_HASH_BYTES)?;
        }
        let value = load(conn)?;
        let started = Instant::now();
        for index in &indexes {
            conn.batch_execute(&index.sql)?;
        }
        for trigger in &triggers {
            conn.batch_execute(&trigger.sql)?;
        }
        for (table, before) in &search_tables {
            set_fts_hash_size(conn, table, before.unwrap_or(FTS_DEFAULT_HASH_BYTES))?;
        }
        anyhow::Ok((value, started.elapsed(), Instant::now()))
    });
    let mut restore = String::new();
    for (name, value) in &saved {
        restore.push_str(&format!("PRAGMA {name} = {value}; "));
    }
    let restored = conn.batch_execute(&restore);
    let (value, indexing, commit_started) = result?;
    restored?;
    Ok((
        value,
        LoadTimes {
            indexing,
            committing: commit_started.elapsed(),
        },
    ))
}

/// Every FTS5 table and the `hashsize` it has set, if any.
fn fts_hash_sizes(conn: &mut DbConnection) -> QueryResult<Vec<(String, Option<i64>)>> {
    let tables: Vec<Named> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%' ORDER BY rowid",
    )
    .load(conn)?;
    let mut sizes = Vec::with_capacity(tables.len());
    for Named { name } in tables {
        let size = diesel::sql_query(format!(
            "SELECT CAST(v AS INTEGER) AS value FROM \"{name}_config\" WHERE k = 'hashsize'"
        ))
        .get_result::<Setting>(conn)
        .optional()?
        .map(|row| row.value);
        sizes.push((name, size));
    }
    Ok(sizes)
}

fn set_fts_hash_size(conn: &mut DbConnection, table: &str, bytes: i64) -> QueryResult<()> {
    conn.batch_execute(&format!(
        "INSERT INTO \"{table}\" (\"{table}\", rank) VALUES ('hashsize', {bytes})"
    ))
}
