//! Bulk writes for large imports (the demo seeder): many rows per INSERT, and ids the caller
//! allocates itself.
//!
//! A multi-row `insert_into(..).values(vec)` does not compile through the derived
//! `MultiConnection`, so [`insert_all`] runs the same Diesel statement on the inner
//! `SqliteConnection` or `PgConnection`. Give it row structs derived with
//! `#[diesel(treat_none_as_default_value = false)]`: on SQLite a batch holding a `DEFAULT`
//! value falls back to one statement per row.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::query_builder::InsertStatement;
use diesel::query_dsl::methods::ExecuteDsl;
use diesel::sql_types::Integer;
use diesel::{PgConnection, SqliteConnection};

use super::DbConnection;

/// Bind parameters per statement: below SQLite's 32,766 and PostgreSQL's 65,535.
const MAX_BINDS: usize = 30_000;

/// Inserts `rows` into `table`, as many per statement as `columns` bind values each allow.
/// Call inside a transaction: each statement commits nothing on its own.
pub fn insert_all<T, R>(
    conn: &mut DbConnection,
    table: T,
    mut rows: Vec<R>,
    columns: usize,
) -> QueryResult<usize>
where
    T: Table + Copy,
    Vec<R>: Insertable<T>,
    InsertStatement<T, <Vec<R> as Insertable<T>>::Values>:
        ExecuteDsl<SqliteConnection> + ExecuteDsl<PgConnection>,
{
    let per_statement = (MAX_BINDS / columns.max(1)).max(1);
    let mut inserted = 0;
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
