//! Public complaint form submissions per client address, behind its rate limit. In the
//! database so every instance counts the same.

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
