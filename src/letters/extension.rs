//! The extension notice. Extending the response date is the decision ("Extend", by the case
//! team); the resident is then told in writing (Code 6.5, 6.16) by the extension letter,
//! drafted in the same transaction as the extension so the case team lands in it, and owed
//! until it is sent or recorded as sent elsewhere. Sending it records that the resident was
//! told; it does not extend again.

use chrono::NaiveDateTime;

use super::kind::LetterKind;
use super::owed::stage_key;
use super::view::{default_body, Details};
use crate::cases::load::LoadedCase;
use crate::cases::transition::Decided;
use crate::db::letters::{self as table, DraftEdit};
use crate::db::DbConnection;
use crate::domain::UserId;

/// `decided` (an extension) with its letter drafted in the same transaction: the length and
/// reason as the resident will read them. A draft already there is replaced.
pub fn with_letter_drafted(
    mut decided: Decided,
    case: &LoadedCase,
    length: u32,
    reason: &str,
    by: UserId,
    now: NaiveDateTime,
) -> Decided {
    let key = stage_key(LetterKind::Extension, case.state.stage);
    let details = Details {
        extension_length: Some(length),
        extension_reason: reason.trim().to_string(),
        ..Details::default()
    }
    .to_json();
    let previous = decided.also.take();
    decided.also = Some(Box::new(move |conn, case_id| {
        if let Some(previous) = previous {
            previous(conn, case_id)?;
        }
        let kind = LetterKind::Extension.as_str();
        let seen_version = table::draft_of(conn, case_id, kind, &key)?
            .map(|d| d.version)
            .unwrap_or(0);
        table::save_draft(
            conn,
            &DraftEdit {
                case_id,
                kind,
                stage: &key,
                body: &default_body(LetterKind::Extension, ""),
                details: &details,
                seen_version,
                by,
                now,
            },
        )
        .map_err(|e| match e {
            table::LetterWriteError::Stale => diesel::result::Error::RollbackTransaction,
            table::LetterWriteError::Database(e) => e,
        })?;
        Ok(())
    }));
    decided
}

/// Whether an extension at the case's current stage has not yet been notified by a letter
/// (sent from Redress or recorded as sent elsewhere): one letter per extension.
pub fn awaiting_notice(conn: &mut DbConnection, case: &LoadedCase) -> diesel::QueryResult<bool> {
    let Some(stage) = case.state.stage else {
        return Ok(false);
    };
    let extensions = case
        .state
        .facts()
        .extensions
        .iter()
        .filter(|e| e.stage == stage)
        .count() as i64;
    let key = stage_key(LetterKind::Extension, Some(stage));
    let notified = table::sent_count(conn, case.row.id, LetterKind::Extension.as_str(), &key)?;
    Ok(extensions > notified)
}
