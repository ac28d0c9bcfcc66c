//! Letters to residents: drafts (editable, versioned) and sent letters (frozen).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{cases, letters};
use super::DbConnection;
use crate::db::literal_limit::FirstRow;
use crate::domain::{CaseId, UserId};

pub const DRAFT: &str = "draft";
pub const SENT: &str = "sent";
pub const EMAIL: &str = "email";
pub const POST: &str = "post";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = letters)]
pub struct LetterRow {
    pub id: i32,
    pub case_id: CaseId,
    pub kind: String,
    pub stage: String,
    pub status: String,
    pub body: String,
    pub details: String,
    pub recipient_name: Option<String>,
    pub recipient_address: Option<String>,
    pub recipient_email: Option<String>,
    pub channel: Option<String>,
    pub large_print: bool,
    pub frozen_html: Option<String>,
    pub frozen_text: Option<String>,
    pub sent_on: Option<NaiveDate>,
    pub sent_by_id: Option<UserId>,
    pub sent_at: Option<NaiveDateTime>,
    pub posted_on: Option<NaiveDate>,
    pub posted_by_id: Option<UserId>,
    pub version: i32,
    pub created_by_id: Option<UserId>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Sent outside Redress and recorded here: how (`letter`, `email`, `phone`).
    pub elsewhere_method: Option<String>,
    /// The uploaded copy of a letter sent elsewhere (a typed copy is in `frozen_text`).
    pub copy_attachment_id: Option<i32>,
}

impl LetterRow {
    pub fn is_sent(&self) -> bool {
        self.status == SENT
    }

    /// The letter's name in words ("Stage 1 acknowledgement"), or "Letter".
    pub fn title(&self) -> String {
        self.kind
            .parse::<crate::domain::letter_kind::LetterKind>()
            .map(|k| k.label().to_string())
            .unwrap_or_else(|_| "Letter".to_string())
    }

    /// The page as sent (frozen when sent), or the body as preformatted text for a letter
    /// sent before pages were frozen. For exports that file letters as sent.
    pub fn html_as_sent(&self) -> String {
        self.frozen_html.clone().unwrap_or_else(|| {
            format!(
                "<pre>{}</pre>",
                askama::filters::escape(&self.body, askama::filters::Html)
                    .map(|e| e.to_string())
                    .unwrap_or_default()
            )
        })
    }

    /// The text as sent, or the body.
    pub fn text_as_sent(&self) -> String {
        self.frozen_text
            .clone()
            .unwrap_or_else(|| self.body.clone())
    }
}

/// A draft's editable parts as the user saw and changed them.
pub struct DraftEdit<'a> {
    pub case_id: CaseId,
    pub kind: &'a str,
    pub stage: &'a str,
    pub body: &'a str,
    pub details: &'a str,
    /// The draft version the user edited; 0 when there was no stored draft yet.
    pub seen_version: i32,
    pub by: UserId,
    pub now: NaiveDateTime,
}

/// Someone else saved or sent the letter since the user opened it.
#[derive(Debug, thiserror::Error)]
pub enum LetterWriteError {
    #[error("This letter was changed by someone else after you opened it")]
    Stale,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<LetterRow>> {
    letters::table
        .find(id)
        .select(LetterRow::as_select())
        .first_row(conn)
        .optional()
}

pub fn for_case(conn: &mut DbConnection, case: CaseId) -> QueryResult<Vec<LetterRow>> {
    letters::table
        .filter(letters::case_id.eq(case))
        .order(letters::id)
        .select(LetterRow::as_select())
        .load(conn)
}

pub fn draft_of(
    conn: &mut DbConnection,
    case: CaseId,
    kind: &str,
    stage: &str,
) -> QueryResult<Option<LetterRow>> {
    letters::table
        .filter(letters::case_id.eq(case))
        .filter(letters::kind.eq(kind))
        .filter(letters::stage.eq(stage))
        .filter(letters::status.eq(DRAFT))
        .select(LetterRow::as_select())
        .first_row(conn)
        .optional()
}

/// Saves a draft: inserts the first one, or updates the stored one only if it still has the
/// version the user edited (a stale edit changes nothing). Gives back the new version.
pub fn save_draft(conn: &mut DbConnection, edit: &DraftEdit<'_>) -> Result<i32, LetterWriteError> {
    conn.transaction(|conn| {
        let existing = draft_of(conn, edit.case_id, edit.kind, edit.stage)?;
        match existing {
            None if edit.seen_version == 0 => {
                diesel::insert_into(letters::table)
                    .values((
                        letters::case_id.eq(edit.case_id),
                        letters::kind.eq(edit.kind),
                        letters::stage.eq(edit.stage),
                        letters::status.eq(DRAFT),
                        letters::body.eq(edit.body),
                        letters::details.eq(edit.details),
                        letters::large_print.eq(false),
                        letters::version.eq(1),
                        letters::created_by_id.eq(Some(edit.by)),
                        letters::created_at.eq(edit.now),
                        letters::updated_at.eq(edit.now),
                    ))
                    .execute(conn)
                    // The one-draft index: someone else created it first.
                    .map_err(|e| match e {
                        diesel::result::Error::DatabaseError(
                            diesel::result::DatabaseErrorKind::UniqueViolation,
                            _,
                        ) => LetterWriteError::Stale,
                        other => other.into(),
                    })?;
                Ok(1)
            }
            Some(row) if row.version == edit.seen_version => {
                let changed = diesel::update(
                    letters::table
                        .find(row.id)
                        .filter(letters::version.eq(edit.seen_version))
                        .filter(letters::status.eq(DRAFT)),
                )
                .set((
                    letters::body.eq(edit.body),
                    letters::details.eq(edit.details),
                    letters::version.eq(letters::version + 1),
                    letters::updated_at.eq(edit.now),
                ))
                .execute(conn)?;
                if changed == 0 {
                    return Err(LetterWriteError::Stale);
                }
                Ok(row.version + 1)
            }
            _ => Err(LetterWriteError::Stale),
        }
    })
}

/// Everything fixed when a letter is sent.
pub struct Frozen<'a> {
    pub case_id: CaseId,
    pub kind: &'a str,
    pub stage: &'a str,
    pub body: &'a str,
    pub details: &'a str,
    pub recipient_name: &'a str,
    pub recipient_address: &'a str,
    pub recipient_email: Option<&'a str>,
    pub channel: &'a str,
    pub large_print: bool,
    pub html: &'a str,
    pub text: &'a str,
    pub sent_on: NaiveDate,
    pub by: UserId,
    pub seen_version: i32,
    pub now: NaiveDateTime,
}

/// Turns the draft the user saw into the sent letter (or stores a sent letter when there was
/// no draft), and gives back its id. Run inside the case transaction.
pub fn freeze(conn: &mut DbConnection, letter: &Frozen<'_>) -> Result<i32, LetterWriteError> {
    let existing = draft_of(conn, letter.case_id, letter.kind, letter.stage)?;
    let id = match existing {
        None if letter.seen_version == 0 => diesel::insert_into(letters::table)
            .values((
                letters::case_id.eq(letter.case_id),
                letters::kind.eq(letter.kind),
                letters::stage.eq(letter.stage),
                letters::status.eq(DRAFT),
                letters::body.eq(letter.body),
                letters::details.eq(letter.details),
                letters::large_print.eq(false),
                letters::version.eq(1),
                letters::created_by_id.eq(Some(letter.by)),
                letters::created_at.eq(letter.now),
                letters::updated_at.eq(letter.now),
            ))
            .returning(letters::id)
            .get_result::<i32>(conn)?,
        Some(row) if row.version == letter.seen_version => row.id,
        _ => return Err(LetterWriteError::Stale),
    };
    let changed = diesel::update(letters::table.find(id).filter(letters::status.eq(DRAFT)))
        .set((
            letters::status.eq(SENT),
            letters::body.eq(letter.body),
            letters::details.eq(letter.details),
            letters::recipient_name.eq(letter.recipient_name),
            letters::recipient_address.eq(letter.recipient_address),
            letters::recipient_email.eq(letter.recipient_email),
            letters::channel.eq(letter.channel),
            letters::large_print.eq(letter.large_print),
            letters::frozen_html.eq(letter.html),
            letters::frozen_text.eq(letter.text),
            letters::sent_on.eq(letter.sent_on),
            letters::sent_by_id.eq(letter.by),
            letters::sent_at.eq(letter.now),
            letters::version.eq(letters::version + 1),
            letters::updated_at.eq(letter.now),
        ))
        .execute(conn)?;
    if changed == 0 {
        return Err(LetterWriteError::Stale);
    }
    Ok(id)
}

/// A sent letter waiting to be printed and posted, with its case reference.
/// A sent letter waiting in the print queue, with its case's reference and whether the
/// complainant is confidential.
pub struct WaitingLetter {
    pub letter: LetterRow,
    pub reference: String,
    pub confidential: bool,
}

pub fn to_post(conn: &mut DbConnection) -> QueryResult<Vec<WaitingLetter>> {
    let rows: Vec<(LetterRow, String, bool)> = letters::table
        .inner_join(cases::table)
        .filter(letters::status.eq(SENT))
        .filter(letters::channel.eq(POST))
        .filter(letters::posted_on.is_null())
        .order(letters::sent_at)
        .select((
            LetterRow::as_select(),
            cases::reference,
            cases::confidential,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(letter, reference, confidential)| WaitingLetter {
            letter,
            reference,
            confidential,
        })
        .collect())
}

/// Marks a posted letter; `false` when it was not waiting to be posted.
pub fn mark_posted(
    conn: &mut DbConnection,
    id: i32,
    on: NaiveDate,
    by: UserId,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        letters::table
            .find(id)
            .filter(letters::status.eq(SENT))
            .filter(letters::channel.eq(POST))
            .filter(letters::posted_on.is_null()),
    )
    .set((
        letters::posted_on.eq(on),
        letters::posted_by_id.eq(by),
        letters::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// The newest sent letter of `kind` on a case.
pub fn latest_sent(conn: &mut DbConnection, case: CaseId, kind: &str) -> QueryResult<Option<i32>> {
    letters::table
        .filter(letters::case_id.eq(case))
        .filter(letters::kind.eq(kind))
        .filter(letters::status.eq(SENT))
        .order(letters::id.desc())
        .select(letters::id)
        .first_row(conn)
        .optional()
}

/// A case's letters not yet sent.
pub fn drafts_of(conn: &mut DbConnection, case: CaseId) -> QueryResult<Vec<LetterRow>> {
    letters::table
        .filter(letters::case_id.eq(case))
        .filter(letters::status.eq(DRAFT))
        .order(letters::id)
        .select(LetterRow::as_select())
        .load(conn)
}

/// A draft's details replaced (by a correction of what they were filled from); its version
/// moves on, so an editor open on the old details is told it changed.
pub fn replace_draft_details(
    conn: &mut DbConnection,
    id: i32,
    details: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(letters::table.find(id).filter(letters::status.eq(DRAFT)))
        .set((
            letters::details.eq(details),
            letters::version.eq(letters::version + 1),
            letters::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A letter sent outside Redress, as recorded: how, when, and the copy kept.
pub struct Elsewhere<'a> {
    pub case_id: CaseId,
    pub kind: &'a str,
    pub stage: &'a str,
    /// `letter`, `email` or `phone`.
    pub method: &'a str,
    /// The typed copy (or note of the call); empty when only a file was kept.
    pub text: &'a str,
    pub details: &'a str,
    pub attachment: Option<i32>,
    pub sent_on: NaiveDate,
    pub by: UserId,
    pub now: NaiveDateTime,
}

/// Records a letter sent elsewhere as a sent letter of its kind and stage; a draft of the
/// same letter becomes the record (it was not sent from Redress, and is not owed any more).
/// Gives back its id. Run inside the case transaction.
pub fn record_elsewhere(conn: &mut DbConnection, letter: &Elsewhere<'_>) -> QueryResult<i32> {
    let id = match draft_of(conn, letter.case_id, letter.kind, letter.stage)? {
        Some(row) => row.id,
        None => diesel::insert_into(letters::table)
            .values((
                letters::case_id.eq(letter.case_id),
                letters::kind.eq(letter.kind),
                letters::stage.eq(letter.stage),
                letters::status.eq(DRAFT),
                letters::body.eq(""),
                letters::details.eq(letter.details),
                letters::large_print.eq(false),
                letters::version.eq(1),
                letters::created_by_id.eq(Some(letter.by)),
                letters::created_at.eq(letter.now),
                letters::updated_at.eq(letter.now),
            ))
            .returning(letters::id)
            .get_result::<i32>(conn)?,
    };
    diesel::update(letters::table.find(id))
        .set((
            letters::status.eq(SENT),
            letters::body.eq(letter.text),
            letters::details.eq(letter.details),
            letters::frozen_text.eq(letter.text),
            letters::elsewhere_method.eq(letter.method),
            letters::copy_attachment_id.eq(letter.attachment),
            letters::sent_on.eq(letter.sent_on),
            letters::sent_by_id.eq(letter.by),
            letters::sent_at.eq(letter.now),
            letters::version.eq(letters::version + 1),
            letters::updated_at.eq(letter.now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// How many letters of `kind` were sent (from Redress or recorded as sent elsewhere) on a
/// case under the stage key `stage`.
pub fn sent_count(
    conn: &mut DbConnection,
    case: CaseId,
    kind: &str,
    stage: &str,
) -> QueryResult<i64> {
    letters::table
        .filter(letters::case_id.eq(case))
        .filter(letters::kind.eq(kind))
        .filter(letters::stage.eq(stage))
        .filter(letters::status.eq(SENT))
        .count()
        .get_result(conn)
}
