//! Loading a case: its row (the projection) and its state rebuilt from the timeline.

use diesel::QueryResult;

use crate::db::case_events::{self, CaseEventRow};
use crate::db::cases::{self, CaseRow};
use crate::db::DbConnection;
use crate::domain::CaseState;

pub struct LoadedCase {
    pub row: CaseRow,
    pub events: Vec<CaseEventRow>,
    pub state: CaseState,
}

/// `None` when no case has that reference (or its timeline cannot be read).
pub fn by_reference(conn: &mut DbConnection, reference: &str) -> QueryResult<Option<LoadedCase>> {
    let Some(row) = cases::find_by_reference(conn, reference)? else {
        return Ok(None);
    };
    let events = case_events::for_case(conn, row.id)?;
    let parsed: Vec<_> = events.iter().filter_map(CaseEventRow::event).collect();
    Ok(CaseState::replay(parsed.iter()).map(|state| LoadedCase { row, events, state }))
}
