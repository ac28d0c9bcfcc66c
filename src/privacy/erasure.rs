//! Erasure on request (issue 30; UK GDPR Article 17): the same anonymisation as retention,
//! for every case of one complainant, with the reason recorded. Refused while any of their
//! cases is open (the complaint still needs their details) or under a legal hold.

use std::path::Path;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::anonymise::{self, Remover, Why};
use crate::db::cases::CaseRow;
use crate::db::privacy;
use crate::db::schema::cases;
use crate::db::DbConnection;
use crate::domain::{CaseId, Status};

#[derive(Debug, thiserror::Error)]
pub enum ErasureError {
    /// Not lawful now: why, in words (shown beside the form).
    #[error("{0}")]
    Refused(String),
    #[error("database error: {0}")]
    Database(#[from] diesel::result::Error),
}

/// The complainant's cases: (id, reference, status), oldest first.
pub fn cases_of_complainant(
    conn: &mut DbConnection,
    case: &CaseRow,
) -> QueryResult<Vec<(CaseId, String, Status)>> {
    cases::table
        .filter(cases::complainant_id.eq(case.complainant_id))
        .order(cases::id.asc())
        .select((cases::id, cases::reference, cases::status))
        .load(conn)
}

/// Why erasure is refused now for the complainant of `case`, if it is.
pub fn refusal(conn: &mut DbConnection, case: &CaseRow) -> QueryResult<Option<String>> {
    for (id, reference, status) in cases_of_complainant(conn, case)? {
        if status.is_open() {
            return Ok(Some(format!(
                "Their complaint {reference} is still open: erase their details once it is closed"
            )));
        }
        if privacy::find(conn, id)?.is_some_and(|p| p.held()) {
            return Ok(Some(format!(
                "Their complaint {reference} is under a legal hold: lift it first if the law allows"
            )));
        }
    }
    Ok(None)
}

/// Removes the personal data of every case of `case`'s complainant, for `reason`; gives the
/// references anonymised.
pub fn erase(
    conn: &mut DbConnection,
    data_dir: &Path,
    case: &CaseRow,
    reason: &str,
    by: &Remover<'_>,
    now: NaiveDateTime,
) -> Result<Vec<String>, ErasureError> {
    if let Some(why) = refusal(conn, case)? {
        return Err(ErasureError::Refused(why));
    }
    let mut done = Vec::new();
    for (id, reference, _) in cases_of_complainant(conn, case)? {
        if privacy::find(conn, id)?.is_some_and(|p| p.anonymised_at.is_some()) {
            continue;
        }
        anonymise::anonymise(
            conn,
            data_dir,
            id,
            &reference,
            &Why::Request {
                reason: reason.to_string(),
            },
            by,
            now,
        )?;
        done.push(reference);
    }
    Ok(done)
}
