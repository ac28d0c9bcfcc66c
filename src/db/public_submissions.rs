//! Public complaint form submissions per client address, behind its rate limit. In the
//! database so every instance counts the same; checked and recorded under one lock per
//! address ([`super::conn::locked_transaction`]) so parallel requests cannot all pass.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::public_submissions;
use super::DbConnection;

pub fn record(conn: &mut DbConnection, ip: &str, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::insert_into(public_submissions::table)
        .values((
            public_submissions::ip.eq(ip),
            public_submissions::submitted_at.eq(at),
        ))
        .execute(conn)
}

pub fn count_since(conn: &mut DbConnection, ip: &str, since: NaiveDateTime) -> QueryResult<i64> {
    public_submissions::table
        .filter(public_submissions::ip.eq(ip))
        .filter(public_submissions::submitted_at.gt(since))
        .count()
        .get_result(conn)
}

/// Records a submission from `ip` at `at` if fewer than `limit` were recorded since
/// `since`, then runs `store` in the same transaction: `None` (and nothing recorded) when
/// over the limit; a `store` error rolls the record back too, so only kept submissions
/// count.
pub fn within_limit<T, E>(
    conn: &mut DbConnection,
    ip: &str,
    at: NaiveDateTime,
    since: NaiveDateTime,
    limit: i64,
    store: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<Option<T>, E>
where
    E: From<diesel::result::Error>,
{
    super::conn::locked_transaction(conn, &[&format!("public_submissions:{ip}")], |conn| {
        if count_since(conn, ip, since)? >= limit {
            return Ok(None);
        }
        record(conn, ip, at)?;
        store(conn).map(Some)
    })
}
