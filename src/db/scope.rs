//! A viewer's [`Scope`] as a query filter on `cases`: the one place the rule "assigned to
//! them or in one of their areas" is written in SQL (work lists, reports, letters owed).

use diesel::expression::SelectableExpression;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable};

use crate::db::conn::MultiBackend;
use crate::db::one_of::one_of;
use crate::db::schema::cases;
use crate::domain::{Scope, ServiceAreaId};

/// A condition on a query that reads `cases` (alone or joined). (nullable: the columns are)
pub type Condition<QS> = Box<dyn BoxableExpression<QS, MultiBackend, SqlType = Nullable<Bool>>>;

/// What a scope asks of a query.
pub enum Visible<QS> {
    /// No filter: every case.
    Every,
    /// Only the cases this condition selects.
    Only(Condition<QS>),
    /// No case at all: answer empty without asking the database.
    Nothing,
}

/// Whether the filter may use the `assignee_id` / `service_area_id` indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Indexes {
    Use,
    /// Keep SQLite from starting at the scope's indexes when another condition (a search)
    /// finds far fewer rows: without ANALYZE statistics it would otherwise read every case
    /// assigned or in the areas and check each against the search (`db::work_lists`).
    Avoid,
}

/// The cases `scope` allows, as a condition on a query over `QS`.
pub fn visible<QS>(scope: &Scope, indexes: Indexes) -> Visible<QS>
where
    QS: 'static,
    cases::assignee_id: SelectableExpression<QS>,
    cases::service_area_id: SelectableExpression<QS>,
{
    match scope {
        Scope::All => Visible::Every,
        Scope::Nothing => Visible::Nothing,
        Scope::AssignedOrInAreas { user, areas } if indexes == Indexes::Avoid => {
            Visible::Only(Box::new(
                (cases::assignee_id + 0)
                    .eq(*user)
                    .or(one_of(cases::service_area_id + 0, areas.clone())),
            ))
        }
        Scope::AssignedOrInAreas { user, areas } => Visible::Only(Box::new(
            cases::assignee_id
                .eq(*user)
                .or(one_of(cases::service_area_id, areas.clone())),
        )),
    }
}

/// A scope of "assigned to them or in their areas" as two parts that do not overlap: the
/// cases in their areas, and those assigned to them outside those areas; `None` for any
/// other scope. Counting each part from its own narrow index and adding the two is cheaper
/// than one count of the whole, which SQLite answers by merging two index scans and
/// dropping the cases found twice (a manager's 19,246 cases at 100,000: 2.1 ms -> 0.9 ms,
/// on every list page for the count beside "All cases"; docs/performance.md, session 9).
pub fn disjoint_parts<QS>(scope: &Scope) -> Option<[Condition<QS>; 2]>
where
    QS: 'static,
    cases::assignee_id: SelectableExpression<QS>,
    cases::service_area_id: SelectableExpression<QS>,
{
    match scope {
        Scope::AssignedOrInAreas { user, areas } => Some([
            Box::new(one_of(cases::service_area_id, areas.clone())),
            Box::new(
                cases::assignee_id.eq(*user).and(
                    cases::service_area_id
                        .is_null()
                        .or(cases::service_area_id.ne_all(areas.clone())),
                ),
            ),
        ]),
        Scope::All | Scope::Nothing => None,
    }
}

/// How a statement writes a viewer's scope ([`visible`] or [`in_areas`]).
///
/// Why it matters: PostgreSQL cannot use an `OR` of two columns as an index condition, so a
/// text search walking a list's order index read every case row in turn to test "assigned
/// to them or in their areas" (a manager's "Wood" over all cases at 100,000: 8,833 rows for a
/// page of 50). When no case is assigned to them outside their areas, as is usual for a
/// manager, the areas alone are the same cases, the index answers them, and only the area's
/// cases are read (1,830). Whether any is assigned elsewhere is counted with the lists'
/// counts, kept until a case write (`db::work_lists::CountedLists`): counted on every search it
/// cost 0.5 ms at 100,000 cases and 150–200 ms at 1,000,000.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// As the scope is: "assigned to them or in their areas".
    AsGiven,
    /// As the cases in their areas alone, none being assigned to them anywhere else.
    AreasOnly,
}

/// The cases in `areas`, as a condition (none at all for no areas).
pub fn in_areas<QS>(areas: &[ServiceAreaId]) -> Visible<QS>
where
    QS: 'static,
    cases::service_area_id: SelectableExpression<QS>,
{
    if areas.is_empty() {
        return Visible::Nothing;
    }
    Visible::Only(Box::new(one_of(cases::service_area_id, areas.to_vec())))
}
