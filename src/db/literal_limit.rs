//! Row limits written into the SQL text rather than bound: `.first_row(conn)` (`LIMIT 1`)
//! and `.window(take, skip)` (`LIMIT take OFFSET ?`).
//!
//! Diesel's `.first(conn)` binds the limit (`LIMIT ?`, the value 1). Since version 3.46,
//! SQLite's planner reads a bound `LIMIT` value while planning and marks the statement as
//! depending on it (`sqlite3ExprIsInteger` with a parse context sets the variable's bit in
//! `expmask`), and binding that variable again expires the statement: every run of a kept
//! statement that ends in `LIMIT ?` was parsed and planned again. A profile of the case page
//! under load spent 23% of the server's time in `sqlite3Reprepare`, nearly all of it for
//! `.first(conn)` lookups (docs/performance.md, session 12). A literal limit plans the
//! same and is kept; PostgreSQL reads it as it read the bound one. (A bound `OFFSET` is not
//! read while planning, except over a virtual table alone, which no page does.)

use diesel::backend::Backend;
use diesel::query_builder::{AsQuery, AstPass, Query, QueryFragment, QueryId};
use diesel::query_dsl::LoadQuery;
use diesel::{QueryResult, RunQueryDsl};

use super::DbConnection;

/// `query LIMIT 1`, the limit in the SQL text.
#[derive(Debug, Clone, Copy)]
pub struct LimitOne<Q>(Q);

impl<Q: Query> Query for LimitOne<Q> {
    type SqlType = Q::SqlType;
}

impl<Q: QueryId> QueryId for LimitOne<Q> {
    type QueryId = LimitOne<Q::QueryId>;
    // The SQL is the query's and a constant: kept by type whenever the query's is.
    const HAS_STATIC_QUERY_ID: bool = Q::HAS_STATIC_QUERY_ID;
}

impl<Q, DB> QueryFragment<DB> for LimitOne<Q>
where
    DB: Backend,
    Q: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(" LIMIT 1");
        Ok(())
    }
}

impl<Q, Conn> RunQueryDsl<Conn> for LimitOne<Q> {}

/// The first row of a query that has no `LIMIT` of its own.
pub trait FirstRow: AsQuery + Sized {
    /// Like Diesel's `.first(conn)`: the first row, or `NotFound`.
    fn first_row<'query, U>(self, conn: &mut DbConnection) -> QueryResult<U>
    where
        LimitOne<Self::Query>: LoadQuery<'query, DbConnection, U>,
    {
        LimitOne(self.as_query()).get_result(conn)
    }
}

impl<T: AsQuery> FirstRow for T {}

/// `query LIMIT take OFFSET ?`: the limit in the SQL text, the offset bound.
#[derive(Debug, Clone)]
pub struct Window<Q> {
    query: Q,
    take: i64,
    skip: i64,
}

impl<Q: Query> Query for Window<Q> {
    type SqlType = Q::SqlType;
}

impl<Q> QueryId for Window<Q> {
    type QueryId = ();
    // The limit changes the SQL: the statement is kept under its text, never its type.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q, DB> QueryFragment<DB> for Window<Q>
where
    DB: Backend + diesel::sql_types::HasSqlType<diesel::sql_types::BigInt>,
    Q: QueryFragment<DB>,
    i64: diesel::serialize::ToSql<diesel::sql_types::BigInt, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.query.walk_ast(out.reborrow())?;
        out.push_sql(&format!(" LIMIT {} OFFSET ", self.take));
        out.push_bind_param::<diesel::sql_types::BigInt, i64>(&self.skip)?;
        Ok(())
    }
}

impl<Q, Conn> RunQueryDsl<Conn> for Window<Q> {}

/// `take` rows after the first `skip` of a query that has no `LIMIT` or `OFFSET` of its own.
pub trait WindowDsl: AsQuery + Sized {
    fn window(self, take: i64, skip: i64) -> Window<Self::Query> {
        Window {
            query: self.as_query(),
            take,
            skip,
        }
    }
}

impl<T: AsQuery> WindowDsl for T {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::schema::users;
    use diesel::prelude::*;
    use diesel::sqlite::Sqlite;
    use libsqlite3_sys as ffi;
    use std::ffi::CString;

    /// How many times SQLite prepared `sql` again over three runs with the values bound anew.
    fn reprepared(sql: &str) -> i32 {
        let sql = CString::new(sql).unwrap();
        // The library's settings come before any connection, this one too.
        crate::db::sqlite_library::configure();
        // SAFETY: one in-memory connection and one statement, used on this thread only and
        // finalised and closed before returning; every pointer comes from SQLite.
        unsafe {
            let mut db = std::ptr::null_mut();
            assert_eq!(
                ffi::sqlite3_open(c":memory:".as_ptr(), &mut db),
                ffi::SQLITE_OK
            );
            let made = c"CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT)";
            let rc = ffi::sqlite3_exec(
                db,
                made.as_ptr(),
                None,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            );
            assert_eq!(rc, ffi::SQLITE_OK);
            let mut stmt = std::ptr::null_mut();
            let rc = ffi::sqlite3_prepare_v3(
                db,
                sql.as_ptr(),
                -1,
                ffi::SQLITE_PREPARE_PERSISTENT,
                &mut stmt,
                std::ptr::null_mut(),
            );
            assert_eq!(rc, ffi::SQLITE_OK);
            for _ in 0..3 {
                for i in 1..=ffi::sqlite3_bind_parameter_count(stmt) {
                    ffi::sqlite3_bind_int64(stmt, i, 1);
                }
                while ffi::sqlite3_step(stmt) == ffi::SQLITE_ROW {}
                ffi::sqlite3_reset(stmt);
            }
            let count = ffi::sqlite3_stmt_status(stmt, ffi::SQLITE_STMTSTATUS_REPREPARE, 0);
            ffi::sqlite3_finalize(stmt);
            ffi::sqlite3_close(db);
            count
        }
    }

    /// Why this module exists: this SQLite prepares a statement again each time its bound
    /// `LIMIT` is bound, and not when the limit is in the text.
    #[test]
    fn a_bound_limit_is_prepared_again_on_every_run_and_a_literal_one_is_not() {
        assert!(reprepared("SELECT x FROM t WHERE id > ? LIMIT ?") >= 2);
        assert_eq!(reprepared("SELECT x FROM t WHERE id > ? LIMIT 1"), 0);
        assert_eq!(
            reprepared("SELECT x FROM t WHERE id > ? LIMIT 50 OFFSET ?"),
            0
        );
    }

    /// The SQL `.first_row` and `.window` write: the limit in the text, only the offset bound.
    #[test]
    fn the_limits_are_written_into_the_sql() {
        let first = LimitOne(
            users::table
                .filter(users::id.eq(7))
                .select(users::email)
                .as_query(),
        );
        let sql = diesel::debug_query::<Sqlite, _>(&first).to_string();
        assert!(sql.contains("WHERE (`users`.`id` = ?) LIMIT 1 --"), "{sql}");
        let window = users::table
            .select(users::id)
            .order(users::id)
            .window(50, 100);
        let sql = diesel::debug_query::<Sqlite, _>(&window).to_string();
        assert!(
            sql.contains("ORDER BY `users`.`id` LIMIT 50 OFFSET ? -- binds: [100]"),
            "{sql}"
        );
    }
}
