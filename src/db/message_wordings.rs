//! The stored wording of automatic messages (the receipt today), one row per kind, with a
//! version so two people saving at once cannot overwrite each other.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::message_wordings;
use super::DbConnection;
use crate::db::literal_limit::FirstRow;
use crate::domain::UserId;

#[derive(Debug, Clone, Queryable)]
pub struct StoredWording {
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub version: i32,
    pub updated_by: i32,
    pub updated_at: NaiveDateTime,
}

pub fn find(conn: &mut DbConnection, kind: &str) -> QueryResult<Option<StoredWording>> {
    message_wordings::table
        .find(kind)
        .first_row(conn)
        .optional()
}

/// What a save needs: the version the editor saw (0 for the standard wording, never saved).
pub struct WordingSave<'a> {
    pub kind: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub seen_version: i32,
    pub by: UserId,
    pub now: NaiveDateTime,
}

/// Saves the wording if nobody saved since `seen_version`; gives back the new version, or
/// `None` when it was stale.
pub fn save(conn: &mut DbConnection, save: &WordingSave<'_>) -> QueryResult<Option<i32>> {
    conn.transaction(|conn| {
        let current = find(conn, save.kind)?.map(|row| row.version).unwrap_or(0);
        if current != save.seen_version {
            return Ok(None);
        }
        if current == 0 {
            let inserted = diesel::insert_into(message_wordings::table)
                .values((
                    message_wordings::kind.eq(save.kind),
                    message_wordings::subject.eq(save.subject),
                    message_wordings::body.eq(save.body),
                    message_wordings::version.eq(1),
                    message_wordings::updated_by.eq(save.by.0),
                    message_wordings::updated_at.eq(save.now),
                ))
                .execute(conn);
            return match inserted {
                Ok(_) => Ok(Some(1)),
                // Someone else saved the first version meanwhile.
                Err(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                )) => Ok(None),
                Err(other) => Err(other),
            };
        }
        let changed = diesel::update(
            message_wordings::table
                .find(save.kind)
                .filter(message_wordings::version.eq(save.seen_version)),
        )
        .set((
            message_wordings::subject.eq(save.subject),
            message_wordings::body.eq(save.body),
            message_wordings::version.eq(save.seen_version + 1),
            message_wordings::updated_by.eq(save.by.0),
            message_wordings::updated_at.eq(save.now),
        ))
        .execute(conn)?;
        Ok((changed == 1).then_some(save.seen_version + 1))
    })
}
