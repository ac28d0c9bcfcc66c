//! The counts beside the work lists' names (issue 31), kept in memory between pages.
//!
//! Counting the eight lists took nine statements on every work-list page (a manager's "All
//! cases" alone reads ~19,000 index entries at 100,000 cases). The counts change only when a
//! case is added or removed or a column the lists read changes, and the database numbers
//! those writes ([`crate::db::case_generation`]). So each page reads that number, one
//! primary-key lookup, and counts again only when it differs from the one the kept counts
//! were made at. Every instance on a shared database reads the same number, so a write
//! through one instance is counted on the next page any instance shows.

use std::collections::HashMap;
use std::sync::Mutex;

use diesel::QueryResult;

use crate::db::work_lists::{self, ListDates, ListKind};
use crate::db::DbConnection;
use crate::domain::{Role, ServiceAreaId, UserId, Viewer};

/// Entries kept at most: one per member of staff (and per day); a landlord has tens to
/// hundreds. Past this everything is dropped and counted again, so memory stays bounded.
const MOST_KEPT: usize = 4096;

/// Whose counts: the lists depend on the viewer (their own cases, their areas, their scope)
/// and on the dates (today and the end of "due soon").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    user: UserId,
    role: Role,
    areas: Vec<ServiceAreaId>,
    lists: Vec<ListKind>,
    dates: ListDates,
}

#[derive(Default)]
struct Kept {
    /// The generation every entry was counted at.
    generation: i64,
    counts: HashMap<Key, Vec<(ListKind, i64)>>,
}

/// The kept counts of one process (in [`crate::web::state::AppState`]).
#[derive(Default)]
pub struct ListCounts {
    kept: Mutex<Kept>,
}

impl ListCounts {
    /// How many cases each of `lists` holds for `viewer` (as [`work_lists::list_counts`]),
    /// counted again only when a case write has changed the generation since they were kept.
    ///
    /// `generation` is the case generation read before this call
    /// ([`crate::db::case_generation::current_with_directory`]): a write committed after it
    /// makes the counts newer than the generation they are kept at, never older, and the
    /// next page counts again.
    pub fn counts(
        &self,
        conn: &mut DbConnection,
        generation: i64,
        viewer: &Viewer<'_>,
        lists: &[ListKind],
        dates: &ListDates,
    ) -> QueryResult<Vec<(ListKind, i64)>> {
        let key = Key {
            user: viewer.id,
            role: viewer.role,
            areas: viewer.service_areas.to_vec(),
            lists: lists.to_vec(),
            dates: *dates,
        };
        {
            let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
            if kept.generation == generation {
                if let Some(counts) = kept.counts.get(&key) {
                    return Ok(counts.clone());
                }
            }
        }
        let counts = work_lists::list_counts(conn, viewer, lists, dates)?;
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        // Any other generation, newer or not (a database restored from a backup goes
        // back), makes everything kept out of date. A page finishing late with an older one
        // only costs the next page a count.
        if kept.generation != generation {
            kept.generation = generation;
            kept.counts.clear();
        }
        if kept.counts.len() >= MOST_KEPT {
            kept.counts.clear();
        }
        kept.counts.insert(key, counts.clone());
        Ok(counts)
    }
}
