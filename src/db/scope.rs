//! A viewer's [`Scope`] as a query filter on `cases`: the one place the rule "assigned to
//! them or in one of their areas" is written in SQL (work lists, reports, letters owed).

use diesel::expression::SelectableExpression;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable};

use crate::db::conn::MultiBackend;
use crate::db::one_of::one_of;
use crate::db::schema::cases;
use crate::domain::Scope;

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
