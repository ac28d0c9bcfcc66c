//! Sign-in throttling (DESIGN): 5 failures for an account within 15 minutes lock it for
//! 15 minutes; 50 failures from one address within 15 minutes refuse that address.
//! The user sees the same message either way, so the lock reveals nothing about accounts.

use chrono::{Duration, NaiveDateTime};
use diesel::QueryResult;

use crate::db::{sign_in_attempts, DbConnection};

pub const WINDOW_MINUTES: i64 = 15;
pub const ACCOUNT_LIMIT: i64 = 5;
pub const ADDRESS_LIMIT: i64 = 50;

pub const LOCKED_MESSAGE: &str =
    "There have been too many failed attempts to sign in. Wait 15 minutes and try again";

/// True when sign-in must be refused without checking the password.
pub fn is_locked(
    conn: &mut DbConnection,
    email: &str,
    ip: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let since = now - Duration::minutes(WINDOW_MINUTES);
    Ok(
        sign_in_attempts::failures_for_email_since(conn, email, since)? >= ACCOUNT_LIMIT
            || sign_in_attempts::failures_for_ip_since(conn, ip, since)? >= ADDRESS_LIMIT,
    )
}
