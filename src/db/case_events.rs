//! The case timeline: one row per event, the event itself stored as JSON.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::case_events;
use super::DbConnection;
use crate::domain::{CaseEvent, CaseEventId, CaseId, UserId};

/// Also insertable whole, ids included, for bulk imports ([`super::bulk`]).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = case_events, treat_none_as_default_value = false)]
pub struct CaseEventRow {
    pub id: CaseEventId,
    pub case_id: CaseId,
    pub kind: String,
    pub occurred_on: NaiveDate,
    pub actor_id: Option<UserId>,
    pub actor_label: String,
    pub summary: String,
    pub detail: String,
    pub recorded_at: NaiveDateTime,
}

impl CaseEventRow {
    /// The event as data; `None` if the stored JSON no longer parses.
    pub fn event(&self) -> Option<CaseEvent> {
        serde_json::from_str(&self.detail).ok()
    }
}

/// Who did it, for the timeline.
pub struct Actor<'a> {
    pub id: Option<UserId>,
    pub label: &'a str,
}

pub fn append(
    conn: &mut DbConnection,
    case: CaseId,
    event: &CaseEvent,
    occurred_on: NaiveDate,
    actor: &Actor<'_>,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    let detail = serde_json::to_string(event).expect("events serialise");
    diesel::insert_into(case_events::table)
        .values((
            case_events::case_id.eq(case),
            case_events::kind.eq(event.kind()),
            case_events::occurred_on.eq(occurred_on),
            case_events::actor_id.eq(actor.id),
            case_events::actor_label.eq(actor.label),
            case_events::summary.eq(event.summary()),
            case_events::detail.eq(detail),
            case_events::recorded_at.eq(at),
        ))
        .execute(conn)
}

pub fn for_case(conn: &mut DbConnection, case: CaseId) -> QueryResult<Vec<CaseEventRow>> {
    case_events::table
        .filter(case_events::case_id.eq(case))
        .order(case_events::id.asc())
        .select(CaseEventRow::as_select())
        .load(conn)
}
