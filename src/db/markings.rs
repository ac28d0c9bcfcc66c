//! The `personal_data_markings` table (issue 30): which notes and evidence files a subject
//! access export withholds, and why.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::personal_data_markings as markings;
use super::DbConnection;
use crate::db::literal_limit::FirstRow;
use crate::domain::marking::{MarkedItem, Marking};
use crate::domain::{CaseId, UserId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = markings)]
pub struct MarkingRow {
    pub id: i32,
    pub case_id: CaseId,
    pub item_kind: String,
    pub item_id: i32,
    pub marking: String,
    pub reason: String,
    pub marked_by: UserId,
    pub marked_at: NaiveDateTime,
}

impl MarkingRow {
    pub fn item(&self) -> Option<MarkedItem> {
        MarkedItem::from_parts(&self.item_kind, self.item_id)
    }

    pub fn marking(&self) -> Option<Marking> {
        self.marking.parse().ok()
    }
}

/// The markings on `case`'s items.
pub fn of_case(conn: &mut DbConnection, case: CaseId) -> QueryResult<Vec<MarkingRow>> {
    markings::table
        .filter(markings::case_id.eq(case))
        .order(markings::id.asc())
        .select(MarkingRow::as_select())
        .load(conn)
}

/// The marking on `item`, if any.
pub fn of_item(conn: &mut DbConnection, item: MarkedItem) -> QueryResult<Option<MarkingRow>> {
    markings::table
        .filter(markings::item_kind.eq(item.kind()))
        .filter(markings::item_id.eq(item.id()))
        .select(MarkingRow::as_select())
        .first_row(conn)
        .optional()
}

/// Marks `item` of `case` (replacing any marking it had).
pub fn set(
    conn: &mut DbConnection,
    case: CaseId,
    item: MarkedItem,
    marking: Marking,
    reason: &str,
    by: UserId,
    at: NaiveDateTime,
) -> QueryResult<()> {
    clear(conn, item)?;
    diesel::insert_into(markings::table)
        .values((
            markings::case_id.eq(case),
            markings::item_kind.eq(item.kind()),
            markings::item_id.eq(item.id()),
            markings::marking.eq(marking.code()),
            markings::reason.eq(reason),
            markings::marked_by.eq(by),
            markings::marked_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Removes `item`'s marking; gives whether it had one.
pub fn clear(conn: &mut DbConnection, item: MarkedItem) -> QueryResult<bool> {
    diesel::delete(
        markings::table
            .filter(markings::item_kind.eq(item.kind()))
            .filter(markings::item_id.eq(item.id())),
    )
    .execute(conn)
    .map(|n| n > 0)
}
