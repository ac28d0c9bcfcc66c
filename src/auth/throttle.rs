//! Sign-in throttling (DESIGN): 5 failures for an account within 15 minutes lock it for
//! 15 minutes; 50 failures from one address within 15 minutes refuse that address.
//! The user sees the same message either way, so the lock reveals nothing about accounts.
//!
//! Under concurrency (issue 17, finding 2) the check and the record are one atomic step:
//! [`admit`] counts and records the attempt as a failure under a lock per account and per
//! address, before the password is checked, and a correct password then turns the record
//! into a success. Twenty parallel guesses therefore get exactly five password checks, not
//! twenty that all read "no failures yet".

use chrono::{Duration, NaiveDateTime};
use diesel::QueryResult;

use crate::db::{sign_in_attempts, DbConnection};

pub const WINDOW_MINUTES: i64 = 15;
pub const ACCOUNT_LIMIT: i64 = 5;
pub const ADDRESS_LIMIT: i64 = 50;

pub const LOCKED_MESSAGE: &str =
    "There have been too many failed attempts to sign in. Wait 15 minutes and try again";

/// Whether a sign-in attempt may check its password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Refuse without checking the password.
    Locked,
    /// Check the password; the attempt is recorded (as a failure until marked succeeded).
    Admitted { attempt: i32 },
}

/// Checks the limits and, if they allow it, records the attempt, in one locked step.
pub fn admit(
    conn: &mut DbConnection,
    email: &str,
    ip: &str,
    now: NaiveDateTime,
) -> QueryResult<Admission> {
    let keys = [format!("sign_in:email:{email}"), format!("sign_in:ip:{ip}")];
    crate::db::conn::locked_transaction(conn, &[&keys[0], &keys[1]], |conn| {
        if is_locked(conn, email, ip, now)? {
            return Ok(Admission::Locked);
        }
        let attempt = sign_in_attempts::record(conn, email, ip, false, now)?;
        Ok(Admission::Admitted { attempt })
    })
}

/// The account key under which second-factor attempts are counted: the same limits as
/// passwords, kept apart from them (the attempts table's `email` column holds the key).
fn second_factor_account(user: crate::domain::UserId) -> String {
    format!("second factor of user {user}")
}

/// [`admit`] for a second-factor code: 5 wrong codes for the account lock it for 15
/// minutes, and they count towards the address's limit.
pub fn admit_second_factor(
    conn: &mut DbConnection,
    user: crate::domain::UserId,
    ip: &str,
    now: NaiveDateTime,
) -> QueryResult<Admission> {
    admit(conn, &second_factor_account(user), ip, now)
}

/// A correct password (or code): the attempt [`admit`] recorded no longer counts as a
/// failure.
pub fn succeeded(conn: &mut DbConnection, attempt: i32) -> QueryResult<()> {
    sign_in_attempts::mark_succeeded(conn, attempt).map(|_| ())
}

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
