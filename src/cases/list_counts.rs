//! The counts beside the work lists' names (issue 31), kept in memory between pages.
//!
//! Counting the eight lists took nine statements on every work-list page (a manager's "All
//! cases" alone reads ~19,000 index entries at 100,000 cases). The counts change only when a
//! case is added or removed or a column the lists read changes, and the database numbers
//! those writes ([`crate::db::case_generation`]). So each page reads that number, one
//! primary-key lookup, and counts again only when it differs from the one the kept counts
//! were made at. Every instance on a shared database reads the same number, so a write
//! through one instance is counted on the next page any instance shows. A filtered or
//! searched list's total is kept the same way ([`FilteredTotals`]).

use diesel::QueryResult;

use crate::cases::kept_by_generation::ByGeneration;
use crate::db::work_lists::{self, CaseFilter, ListDates, ListKind, Sort};
use crate::db::DbConnection;
use crate::domain::{Role, ServiceAreaId, UserId, Viewer};

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

/// The kept counts of one process (in [`crate::web::state::AppState`]).
#[derive(Default)]
pub struct ListCounts {
    kept: ByGeneration<Key, work_lists::CountedLists>,
}

impl ListCounts {
    /// How many cases each of `lists` holds for `viewer`, and how their scope may be written
    /// (as [`work_lists::list_counts`]), counted again only when a case write has changed
    /// the generation since they were kept.
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
    ) -> QueryResult<work_lists::CountedLists> {
        let key = Key {
            user: viewer.id,
            role: viewer.role,
            areas: viewer.service_areas.to_vec(),
            lists: lists.to_vec(),
            dates: *dates,
        };
        if let Some(counts) = self.kept.get(generation, &key) {
            return Ok(counts);
        }
        let counts = work_lists::list_counts(conn, viewer, lists, dates)?;
        self.kept.keep(generation, key, counts.clone());
        Ok(counts)
    }
}

/// Which list's total: its search and every filter (not the page or the order, which do not
/// change how many match), whose view it is (their scope, and whether they may search
/// confidential names), and the dates the lists are made from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct FilteredKey {
    user: UserId,
    role: Role,
    areas: Vec<ServiceAreaId>,
    filter: CaseFilter,
    dates: ListDates,
}

/// How many cases a search or a list's filters match, kept by the case generation (issue
/// 31): counting the matches was most of a broad search's page (about 2,000 for "Wilson" at
/// 100,000 cases) and of a filtered list's (a manager's cases of one case officer: 4,832),
/// and the next page or another order of the same list has the same total. The case
/// generation moves with every write that changes what a search or filter finds (migration
/// `2026-12-11-000001_search_generation`: the columns filtered and searched, and the
/// complainant's name and contact details). Staff and area names are not searched, so the
/// directory generation does not matter.
#[derive(Default)]
pub struct FilteredTotals {
    kept: ByGeneration<FilteredKey, i64>,
}

impl FilteredTotals {
    fn key(viewer: &Viewer<'_>, filter: &CaseFilter, dates: &ListDates) -> FilteredKey {
        FilteredKey {
            user: viewer.id,
            role: viewer.role,
            areas: viewer.service_areas.to_vec(),
            filter: CaseFilter {
                sort: Sort::default(),
                page: 1,
                search: filter.search.trim().to_string(),
                ..filter.clone()
            },
            dates: *dates,
        }
    }

    /// The total kept for this search at `generation` (read before the search), if any.
    pub fn total(
        &self,
        generation: i64,
        viewer: &Viewer<'_>,
        filter: &CaseFilter,
        dates: &ListDates,
    ) -> Option<i64> {
        self.kept
            .get(generation, &FilteredTotals::key(viewer, filter, dates))
    }

    /// Keeps `total`, counted after `generation` was read.
    pub fn keep(
        &self,
        generation: i64,
        viewer: &Viewer<'_>,
        filter: &CaseFilter,
        dates: &ListDates,
        total: i64,
    ) {
        self.kept.keep(
            generation,
            FilteredTotals::key(viewer, filter, dates),
            total,
        );
    }
}
