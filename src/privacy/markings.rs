//! Marking a note or an evidence file as third-party information or legally privileged, so a
//! subject access export withholds it (issue 30). The form posts the marking it showed; a
//! marking changed meanwhile by someone else is refused, never overwritten. Audited.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::cases::transition::ActingUser;
use crate::db::audit::{self, AuditEntry};
use crate::db::schema::{attachments, case_events};
use crate::db::{markings, DbConnection};
use crate::domain::marking::{MarkedItem, Marking};
use crate::domain::CaseId;

#[derive(Debug, thiserror::Error)]
pub enum MarkingError {
    #[error("not found")]
    NotFound,
    #[error("stale")]
    Stale,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Whether `item` belongs to `case`.
pub fn belongs(conn: &mut DbConnection, case: CaseId, item: MarkedItem) -> QueryResult<bool> {
    let found: i64 = match item {
        MarkedItem::Note(id) => case_events::table
            .filter(case_events::id.eq(id))
            .filter(case_events::case_id.eq(case))
            .count()
            .get_result(conn)?,
        MarkedItem::Attachment(id) => attachments::table
            .filter(attachments::id.eq(id))
            .filter(attachments::case_id.eq(case))
            .count()
            .get_result(conn)?,
    };
    Ok(found == 1)
}

/// Sets `item`'s marking to `to` (`None` clears it), if it is still `was`.
#[allow(clippy::too_many_arguments)]
pub fn change(
    conn: &mut DbConnection,
    case: CaseId,
    reference: &str,
    item: MarkedItem,
    was: Option<Marking>,
    to: Option<Marking>,
    reason: &str,
    by: &ActingUser<'_>,
    now: NaiveDateTime,
) -> Result<(), MarkingError> {
    conn.transaction(|conn| {
        if !belongs(conn, case, item)? {
            return Err(MarkingError::NotFound);
        }
        let current = markings::of_item(conn, item)?.and_then(|m| m.marking());
        if current != was {
            return Err(MarkingError::Stale);
        }
        let action = match to {
            Some(marking) => {
                markings::set(conn, case, item, marking, reason, by.id, now)?;
                "item_marked"
            }
            None => {
                markings::clear(conn, item)?;
                "item_marking_cleared"
            }
        };
        audit::record(
            conn,
            &AuditEntry::new(
                Some(by.id),
                by.label,
                action,
                format!("case:{reference}"),
                format!(
                    "item={}:{} marking={}",
                    item.kind(),
                    item.id(),
                    to.map(Marking::code).unwrap_or("none")
                ),
                by.ip,
            ),
        )?;
        Ok(())
    })
}
