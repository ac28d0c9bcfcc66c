//! Recovery codes: stored as digests, each spent once.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::recovery_codes;
use super::DbConnection;
use crate::domain::UserId;

/// Replaces the user's codes with `digests` (a new enrolment voids the old set).
pub fn replace(conn: &mut DbConnection, user: UserId, digests: &[String]) -> QueryResult<()> {
    delete_for(conn, user)?;
    // One row at a time: batch inserts do not compile through the multi-backend connection.
    for digest in digests {
        diesel::insert_into(recovery_codes::table)
            .values((
                recovery_codes::user_id.eq(user),
                recovery_codes::code_hash.eq(digest),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn delete_for(conn: &mut DbConnection, user: UserId) -> QueryResult<usize> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user))).execute(conn)
}

/// Spends the user's unused code with this digest: true when there was one. One
/// conditional UPDATE, so a code cannot be spent twice by racing requests.
pub fn spend(
    conn: &mut DbConnection,
    user: UserId,
    digest: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        recovery_codes::table
            .filter(recovery_codes::user_id.eq(user))
            .filter(recovery_codes::code_hash.eq(digest))
            .filter(recovery_codes::used_at.is_null()),
    )
    .set(recovery_codes::used_at.eq(Some(now)))
    .execute(conn)?;
    Ok(changed == 1)
}

pub fn unused_count(conn: &mut DbConnection, user: UserId) -> QueryResult<i64> {
    recovery_codes::table
        .filter(recovery_codes::user_id.eq(user))
        .filter(recovery_codes::used_at.is_null())
        .count()
        .get_result(conn)
}
