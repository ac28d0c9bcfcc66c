//! Letter drafts: whether a letter of a kind may be drafted on a case now (one sent is
//! frozen), saving a draft against the version the user edited (a stale save changes
//! nothing), audited in the same transaction, and what others saved meanwhile.

use chrono::NaiveDateTime;
use diesel::Connection;

use crate::cases::load::LoadedCase;
use crate::cases::transition::ActingUser;
use crate::db::audit::{self, AuditEntry};
use crate::db::letters::{self as table, DraftEdit, LetterWriteError};
use crate::db::{users, DbConnection};
use crate::domain::Status;
use crate::letters::kind::Records;
use crate::letters::owed::{restriction_notice, stage_key};
use crate::letters::view::{default_body, default_details, long_date, Details};
use crate::letters::LetterKind;

const SAVED: &str = "letter_draft_saved";

/// Why a letter cannot be drafted now: a title and a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotOwed {
    pub title: String,
    pub message: String,
}

/// Why a letter of `kind` cannot be drafted on `case` on `today`, if it cannot. A letter of
/// a kind sent once per stage that was sent is frozen.
pub fn not_owed(
    conn: &mut DbConnection,
    case: &LoadedCase,
    kind: LetterKind,
    today: chrono::NaiveDate,
) -> diesel::QueryResult<Option<NotOwed>> {
    let key = stage_key(kind, case.state.stage);
    // The kinds owed again each time (each extension, restriction, refusal, update or
    // completed action) are judged against what is owed now, below.
    if !kind.repeats() {
        if let Some(sent) = table::for_case(conn, case.row.id)?
            .into_iter()
            .find(|l| l.is_sent() && l.kind == kind.as_str() && l.stage == key)
        {
            return Ok(Some(NotOwed {
                title: "This letter has been sent".into(),
                message: format!(
                    "The {} letter was sent on {}. A sent letter is frozen: it cannot be edited or sent again.",
                    kind.label().to_lowercase(),
                    sent.sent_on.map(long_date).unwrap_or_default()
                ),
            }));
        }
    }
    let state = &case.state;
    let open_stage = matches!(
        state.status,
        Status::Stage0Open | Status::Stage1Open | Status::Stage2Open
    );
    let owed = match kind.records() {
        Records::Acknowledgement => {
            open_stage
                && state.stage == kind.fixed_stage()
                && state
                    .stage
                    .is_some_and(|s| state.acknowledged.get(s).is_none())
        }
        Records::Response => open_stage && state.stage == kind.fixed_stage(),
        Records::ExtensionNotified => {
            open_stage && crate::letters::extension::awaiting_notice(conn, case)?
        }
        Records::Decline => state.status == Status::Received,
        Records::RestrictionNotice => restriction_notice(conn, case.row.id)?.is_some(),
        Records::Notice => match kind {
            LetterKind::EscalationRefusal => {
                crate::letters::refusal::awaiting_letter(conn, case)?.is_some()
            }
            LetterKind::ActionCompleted => {
                !crate::letters::completed::unreported(conn, case.row.id)?.is_empty()
            }
            // An update may go early: it is owed whenever the resident is owed updates.
            _ => !crate::letters::progress::reasons(conn, case, today)?.is_empty(),
        },
    };
    if !owed {
        if let Some(why) = notice_not_owed(kind) {
            return Ok(Some(why));
        }
    }
    if !owed && kind.records() == Records::ExtensionNotified && open_stage {
        return Ok(Some(NotOwed {
            title: "No extension to tell the resident about".into(),
            message: "An extension letter tells the resident about an extension already decided. Extend the response date first: its letter is then drafted for you.".into(),
        }));
    }
    Ok((!owed).then(|| NotOwed {
        title: "This letter is not owed".into(),
        message: format!(
            "A {} letter cannot be written on this case as it stands ({}).",
            kind.label().to_lowercase(),
            state.status.label().to_lowercase()
        ),
    }))
}

/// Why a refusal, update or action-completed letter is not owed, saying what would owe one.
fn notice_not_owed(kind: LetterKind) -> Option<NotOwed> {
    let (title, message) = match kind {
        LetterKind::EscalationRefusal => (
            "No refused escalation to explain",
            "This letter explains a refused escalation. Each refusal recorded on the escalate form owes one letter, and every refusal on this case has had its letter.",
        ),
        LetterKind::ProgressUpdate => (
            "No progress update owed",
            "Progress updates are owed while a response date is extended or has passed, or while an action promised in a response is still to do. None of these applies to this case now.",
        ),
        LetterKind::ActionCompleted => (
            "No completed action to report",
            "This letter tells the resident that an action promised in a response is done. Mark the action done on the Actions page first; every action completed on this case has been reported.",
        ),
        _ => return None,
    };
    Some(NotOwed {
        title: title.into(),
        message: message.into(),
    })
}

/// A draft as the user saved it, edited from `seen_version` of the stored one (0: none).
pub struct DraftSave<'a> {
    pub kind: LetterKind,
    pub body: &'a str,
    pub details: &'a Details,
    pub seen_version: i32,
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// Someone else saved (or sent) the draft since the user opened it: nothing was saved.
    #[error("the draft was changed by someone else")]
    Stale,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Saves the draft of `draft.kind` on `case` and audits it, in one transaction. Gives back
/// the draft's new version.
pub fn save(
    conn: &mut DbConnection,
    case: &LoadedCase,
    draft: &DraftSave<'_>,
    actor: &ActingUser<'_>,
    now: NaiveDateTime,
) -> Result<i32, SaveError> {
    let key = stage_key(draft.kind, case.state.stage);
    let details = draft.details.to_json();
    conn.transaction(|conn| {
        let version = table::save_draft(
            conn,
            &DraftEdit {
                case_id: case.row.id,
                kind: draft.kind.as_str(),
                stage: &key,
                body: draft.body.trim(),
                details: &details,
                seen_version: draft.seen_version,
                by: actor.id,
                now,
            },
        )
        .map_err(|e| match e {
            LetterWriteError::Stale => SaveError::Stale,
            LetterWriteError::Database(e) => SaveError::Database(e),
        })?;
        audit::record(
            conn,
            &AuditEntry::new(
                Some(actor.id),
                actor.label.to_string(),
                SAVED,
                format!("case:{}", case.row.reference),
                format!("{} draft, version {version}", draft.kind.as_str()),
                actor.ip,
            ),
        )?;
        Ok(version)
    })
}

/// The draft of `kind` on `case` as saved, or the standard letter when none is saved: its
/// body, details and version (0 for the standard letter). What the letter's editor opens and
/// what the case page's one-button send posts.
pub fn stored_or_standard(
    conn: &mut DbConnection,
    case: &LoadedCase,
    kind: LetterKind,
) -> diesel::QueryResult<(String, Details, i32)> {
    let key = stage_key(kind, case.state.stage);
    Ok(
        match table::draft_of(conn, case.row.id, kind.as_str(), &key)? {
            Some(draft) => (draft.body, Details::parse(&draft.details), draft.version),
            None => (
                default_body(kind, ""),
                default_details(conn, case, kind)?,
                0,
            ),
        },
    )
}

/// The version of the stored draft of `kind` on `case` (0 when there is none).
pub fn stored_version(
    conn: &mut DbConnection,
    case: &LoadedCase,
    kind: LetterKind,
) -> diesel::QueryResult<i32> {
    let key = stage_key(kind, case.state.stage);
    Ok(table::draft_of(conn, case.row.id, kind.as_str(), &key)?
        .map(|d| d.version)
        .unwrap_or(0))
}

/// The saves of the draft of `kind` on `case` after `seen_version`, as the "what changed"
/// list shows them: by whom, by name.
pub fn saved_since(
    conn: &mut DbConnection,
    case: &LoadedCase,
    kind: LetterKind,
    seen_version: i32,
) -> diesel::QueryResult<Vec<String>> {
    let prefix = format!("{} draft, version ", kind.as_str());
    let mut changes = Vec::new();
    for entry in audit::for_target(conn, &format!("case:{}", case.row.reference))? {
        let version = (entry.action == SAVED)
            .then(|| entry.detail.strip_prefix(&prefix))
            .flatten()
            .and_then(|v| v.parse::<i32>().ok());
        if version.is_none_or(|v| v <= seen_version) {
            continue;
        }
        let who = match entry.actor_id {
            Some(id) => users::find(conn, id)?.map(|u| u.display_name),
            None => None,
        };
        changes.push(format!(
            "{} letter draft saved ({})",
            kind.label(),
            who.unwrap_or_else(|| "someone else".into()),
        ));
    }
    Ok(changes)
}
