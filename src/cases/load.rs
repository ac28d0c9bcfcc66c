//! Loading a case: its row (the projection) and its state rebuilt from the timeline.

use diesel::QueryResult;

use crate::db::case_events::{self, CaseEventRow};
use crate::db::cases::{self, CaseRow};
use crate::db::DbConnection;
use crate::domain::{CaseId, CaseState};

pub struct LoadedCase {
    pub row: CaseRow,
    pub events: Vec<CaseEventRow>,
    pub state: CaseState,
    /// Its legal hold and anonymisation, as read with it (the case page shows them).
    pub privacy: Option<crate::db::privacy::PrivacyRow>,
}

impl LoadedCase {
    /// Its personal data was removed (issue 30): nothing more is done on it.
    pub fn anonymised(&self) -> bool {
        self.privacy
            .as_ref()
            .is_some_and(|p| p.anonymised_at.is_some())
    }
}

/// `None` when no case has that reference (or its timeline cannot be read).
pub fn by_reference(conn: &mut DbConnection, reference: &str) -> QueryResult<Option<LoadedCase>> {
    match cases::find_by_reference(conn, reference)? {
        Some(row) => with_timeline(conn, row),
        None => Ok(None),
    }
}

pub fn by_id(conn: &mut DbConnection, id: CaseId) -> QueryResult<Option<LoadedCase>> {
    match cases::find(conn, id)? {
        Some(row) => with_timeline(conn, row),
        None => Ok(None),
    }
}

fn with_timeline(conn: &mut DbConnection, row: CaseRow) -> QueryResult<Option<LoadedCase>> {
    let events = case_events::for_case(conn, row.id)?;
    let parsed: Vec<_> = events.iter().filter_map(CaseEventRow::event).collect();
    let privacy = crate::db::privacy::find(conn, row.id)?;
    Ok(CaseState::replay(parsed.iter()).map(|state| LoadedCase {
        row,
        events,
        state,
        privacy,
    }))
}
