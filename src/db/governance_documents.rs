//! Evidence files for a reporting year (issue 26): one row per file kept against a
//! requirement of the self-assessment or a part of the annual report; the bytes are kept as
//! case attachments are. A removed file keeps its row, marked with who removed it and when.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{governance_documents as docs, users};
use super::DbConnection;
use crate::db::literal_limit::FirstRow;
use crate::domain::UserId;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = docs)]
pub struct DocumentRow {
    pub id: i32,
    pub year: i32,
    /// `self_assessment`, or the annual report's part (`ombudsman_letter`...).
    pub part: String,
    /// The Code paragraph, for the self-assessment.
    pub requirement: Option<String>,
    /// The uploaded name, made safe (never used as a path).
    pub file_name: String,
    /// Told from the content, not taken from the browser.
    pub content_type: String,
    pub size_bytes: i32,
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
    pub storage_key: String,
    pub uploaded_by_id: UserId,
    pub uploaded_at: NaiveDateTime,
    pub removed_by_id: Option<UserId>,
    pub removed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = docs)]
pub struct NewDocument<'a> {
    pub year: i32,
    pub part: &'a str,
    pub requirement: Option<&'a str>,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i32,
    pub sha256: &'a str,
    pub storage_key: &'a str,
    pub uploaded_by_id: UserId,
    pub uploaded_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, new: &NewDocument<'_>) -> QueryResult<DocumentRow> {
    diesel::insert_into(docs::table)
        .values(new)
        .returning(docs::all_columns)
        .get_result(conn)
}

/// The year's files not removed, oldest first, each with the name of who uploaded it.
pub fn for_year(conn: &mut DbConnection, year: i32) -> QueryResult<Vec<(DocumentRow, String)>> {
    docs::table
        .inner_join(users::table.on(users::id.eq(docs::uploaded_by_id)))
        .filter(docs::year.eq(year))
        .filter(docs::removed_at.is_null())
        .order(docs::id.asc())
        .select((DocumentRow::as_select(), users::display_name))
        .load(conn)
}

/// The file `id`, removed or not.
pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<DocumentRow>> {
    docs::table
        .find(id)
        .select(DocumentRow::as_select())
        .first_row(conn)
        .optional()
}

/// Marks the file removed, if it is of `year` and not removed already; whether it was.
pub fn mark_removed(
    conn: &mut DbConnection,
    year: i32,
    id: i32,
    by: UserId,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let written = diesel::update(
        docs::table
            .find(id)
            .filter(docs::year.eq(year))
            .filter(docs::removed_at.is_null()),
    )
    .set((docs::removed_by_id.eq(by), docs::removed_at.eq(at)))
    .execute(conn)?;
    Ok(written == 1)
}
