//! A condition that makes PostgreSQL plan its statement for the values of each run.
//!
//! Diesel keeps statements prepared, and after five runs PostgreSQL may plan a prepared
//! statement once for any values (a generic plan). For most statements (a row by its id,
//! the rows of a page's 50 ids) that plan is the only one there is, and planning again on
//! every run was 41% of the database's time in the work-list bench (28.6 of 69.8 s, session
//! 14). For the work lists' own statements it is not: the statuses are 87% closed and an
//! area holds a fifth of the cases, so a generic plan walked the order index filtering
//! 19,036 rows where the values' plan reads 238 (20.6 -> 2.6 ms; docs/performance.md,
//! session 11). A statement holding this condition is not kept prepared, so PostgreSQL
//! plans it with its values every time; the SQL is `TRUE`, which the planner drops.

use diesel::backend::Backend;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::Bool;
use diesel::QueryResult;

/// `TRUE`, in a statement that is planned for its values on every run.
#[derive(Debug, Clone, Copy)]
pub struct PlannedForValues;

impl Expression for PlannedForValues {
    type SqlType = Bool;
}

impl<QS> AppearsOnTable<QS> for PlannedForValues {}

impl<QS> SelectableExpression<QS> for PlannedForValues {}

impl<G> ValidGrouping<G> for PlannedForValues {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}

impl QueryId for PlannedForValues {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<DB: Backend> QueryFragment<DB> for PlannedForValues {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.unsafe_to_cache_prepared();
        out.push_sql("TRUE");
        Ok(())
    }
}
