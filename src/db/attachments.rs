//! Evidence files kept with a case: one row per file; the bytes are in the data folder.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{attachments, users};
use super::DbConnection;
use crate::db::literal_limit::FirstRow;
use crate::domain::{AttachmentId, CaseId, UserId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = attachments)]
pub struct AttachmentRow {
    pub id: AttachmentId,
    pub case_id: CaseId,
    /// The uploaded name, sanitised (never used as a path).
    pub file_name: String,
    /// Detected from the content, not taken from the browser.
    pub content_type: String,
    pub size_bytes: i32,
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
    /// The file's random name under `{data_dir}/attachments/`.
    pub storage_key: String,
    pub uploaded_by: UserId,
    pub uploaded_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = attachments)]
pub struct NewAttachment<'a> {
    pub case_id: CaseId,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i32,
    pub sha256: &'a str,
    pub storage_key: &'a str,
    pub uploaded_by: UserId,
    pub uploaded_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, new: &NewAttachment<'_>) -> QueryResult<AttachmentRow> {
    diesel::insert_into(attachments::table)
        .values(new)
        .returning(attachments::all_columns)
        .get_result(conn)
}

/// The attachment `id` if it belongs to `case` (a file of another case is not found).
pub fn find_on_case(
    conn: &mut DbConnection,
    case: CaseId,
    id: AttachmentId,
) -> QueryResult<Option<AttachmentRow>> {
    attachments::table
        .find(id)
        .filter(attachments::case_id.eq(case))
        .select(AttachmentRow::as_select())
        .first_row(conn)
        .optional()
}

/// A case's files, oldest first, each with the name of who uploaded it.
pub fn for_case_with_uploader(
    conn: &mut DbConnection,
    case: CaseId,
) -> QueryResult<Vec<(AttachmentRow, String)>> {
    attachments::table
        .inner_join(users::table)
        .filter(attachments::case_id.eq(case))
        .order(attachments::id.asc())
        .select((AttachmentRow::as_select(), users::display_name))
        .load(conn)
}

pub fn count_for_case(conn: &mut DbConnection, case: CaseId) -> QueryResult<i64> {
    attachments::table
        .filter(attachments::case_id.eq(case))
        .count()
        .get_result(conn)
}
