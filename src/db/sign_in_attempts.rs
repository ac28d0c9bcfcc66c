//! The sign-in attempt log behind throttling. It lives in the database so that every
//! instance of Redress sees the same counts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::sign_in_attempts;
use super::DbConnection;

/// Records an attempt; returns its id.
pub fn record(
    conn: &mut DbConnection,
    email: &str,
    ip: &str,
    succeeded: bool,
    at: NaiveDateTime,
) -> QueryResult<i32> {
    diesel::insert_into(sign_in_attempts::table)
        .values((
            sign_in_attempts::email.eq(email),
            sign_in_attempts::ip.eq(ip),
            sign_in_attempts::succeeded.eq(succeeded),
            sign_in_attempts::attempted_at.eq(at),
        ))
        .returning(sign_in_attempts::id)
        .get_result(conn)
}

/// Turns an attempt recorded as failed (before the password was checked) into a success.
pub fn mark_succeeded(conn: &mut DbConnection, id: i32) -> QueryResult<usize> {
    diesel::update(sign_in_attempts::table.find(id))
        .set(sign_in_attempts::succeeded.eq(true))
        .execute(conn)
}

pub fn failures_for_email_since(
    conn: &mut DbConnection,
    email: &str,
    since: NaiveDateTime,
) -> QueryResult<i64> {
    sign_in_attempts::table
        .filter(sign_in_attempts::email.eq(email))
        .filter(sign_in_attempts::succeeded.eq(false))
        .filter(sign_in_attempts::attempted_at.gt(since))
        .count()
        .get_result(conn)
}

pub fn failures_for_ip_since(
    conn: &mut DbConnection,
    ip: &str,
    since: NaiveDateTime,
) -> QueryResult<i64> {
    sign_in_attempts::table
        .filter(sign_in_attempts::ip.eq(ip))
        .filter(sign_in_attempts::succeeded.eq(false))
        .filter(sign_in_attempts::attempted_at.gt(since))
        .count()
        .get_result(conn)
}

/// Forgets failures older than `before` (kept small; also used by tests to age attempts).
pub fn delete_before(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(sign_in_attempts::table.filter(sign_in_attempts::attempted_at.lt(before)))
        .execute(conn)
}
