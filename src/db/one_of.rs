//! `column IN (?, ?, …)` whose statement the connection keeps prepared (issue 31).
//!
//! Diesel's `eq_any` marks every statement holding it as not to be cached on SQLite, since
//! the number of values can change between runs of a statement its type names. Almost every
//! work-list statement holds one (the open statuses, a manager's areas, the page's case
//! ids), so each was parsed and planned again on every page. This node says the same thing
//! and has no static query id, so the statement is cached under its SQL text, which spells
//! out how many values there are: the same statement with as many values is found again.

use diesel::backend::Backend;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::is_nullable::{IsSqlTypeNullable, MaybeNullable};
use diesel::sql_types::{Bool, HasSqlType, MaybeNullableType, SqlType};
use diesel::QueryResult;

/// `column IN (values)`; no values is false, as with `eq_any`.
#[derive(Debug, Clone)]
pub struct OneOf<C, T> {
    column: C,
    values: Vec<T>,
}

/// `column` is one of `values`.
pub fn one_of<C, T>(column: C, values: impl IntoIterator<Item = T>) -> OneOf<C, T> {
    OneOf {
        column,
        values: values.into_iter().collect(),
    }
}

impl<C, T> Expression for OneOf<C, T>
where
    C: Expression,
    C::SqlType: SqlType,
    IsSqlTypeNullable<C::SqlType>: MaybeNullableType<Bool>,
{
    type SqlType = MaybeNullable<IsSqlTypeNullable<C::SqlType>, Bool>;
}

impl<C, T, QS> AppearsOnTable<QS> for OneOf<C, T>
where
    Self: Expression,
    C: AppearsOnTable<QS>,
{
}

impl<C, T, QS> SelectableExpression<QS> for OneOf<C, T>
where
    Self: AppearsOnTable<QS>,
    C: SelectableExpression<QS>,
{
}

impl<C, T, G> ValidGrouping<G> for OneOf<C, T>
where
    C: ValidGrouping<G>,
{
    type IsAggregate = C::IsAggregate;
}

impl<C, T> QueryId for OneOf<C, T> {
    type QueryId = ();
    /// No static id: the statement cache keys the statement by its SQL instead.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<C, T, DB> QueryFragment<DB> for OneOf<C, T>
where
    DB: Backend + HasSqlType<C::SqlType>,
    C: Expression + QueryFragment<DB>,
    T: ToSql<C::SqlType, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        if self.values.is_empty() {
            out.push_sql("1=0");
            return Ok(());
        }
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (");
        for (i, value) in self.values.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            out.push_bind_param::<C::SqlType, T>(value)?;
        }
        out.push_sql(")");
        Ok(())
    }
}
