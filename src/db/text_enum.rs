//! Vocabulary enums stored as their text values (`TEXT` columns, e.g. `cases.status`), so row
//! structs and queries hold the enum instead of a `String` parsed back where it is used.
//!
//! `text_enum!` (below) gives a type what `#[derive(AsExpression, FromSqlRow)]` with
//! `#[diesel(sql_type = Text)]` and hand-written `ToSql`/`FromSql` would, written once for
//! types defined elsewhere (the domain and the rules engine know nothing of Diesel). Each
//! impl is generic over the backend, so one covers SQLite, PostgreSQL and the
//! `MultiBackend` of [`super::DbConnection`] alike; the stored text is exactly the enum's
//! stored value, so no migration changes a column. Tested on both backends in
//! `tests/api/stored_values.rs`.

use diesel::sql_types::{Nullable, Text};

use crate::domain::case::{Channel, CompensationStatus, RemedyKind, Status, TenancyRelationship};
use crate::rules::Stage;

/// `text_enum!(Type => method)`: `Type` is stored as the `&'static str` that `method` gives
/// and read back with its `FromStr`, whose error becomes the deserialisation error (naming
/// the column, through Diesel) when a stored value is not one of the type's values.
macro_rules! text_enum {
    ($type:ty => $as_str:ident) => {
        text_enum!(@expression $type => $as_str, Text);
        text_enum!(@expression $type => $as_str, Nullable<Text>);

        // Used where Diesel binds the value itself: `Option<$type>` fields and `eq_any`.
        impl<DB> diesel::serialize::ToSql<Text, DB> for $type
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<Text, DB>>::to_sql(self.$as_str(), out)
            }
        }

        impl<DB> diesel::serialize::ToSql<Nullable<Text>, DB> for $type
        where
            DB: diesel::backend::Backend,
            Self: diesel::serialize::ToSql<Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                <Self as diesel::serialize::ToSql<Text, DB>>::to_sql(self, out)
            }
        }

        impl<DB> diesel::deserialize::FromSql<Text, DB> for $type
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let text = <String as diesel::deserialize::FromSql<Text, DB>>::from_sql(bytes)?;
                Ok(text.parse::<$type>()?)
            }
        }

        // What `#[derive(FromSqlRow)]` writes: the value is a whole row of one column.
        impl<DB, ST> diesel::deserialize::Queryable<ST, DB> for $type
        where
            DB: diesel::backend::Backend,
            ST: diesel::sql_types::SingleValue,
            Self: diesel::deserialize::FromSql<ST, DB>,
        {
            type Row = Self;
            fn build(row: Self) -> diesel::deserialize::Result<Self> {
                Ok(row)
            }
        }
    };

    // Expressions bind the stored text, so `column.eq(Status::Closed)` is the same query as
    // `column.eq("closed")`. Bound as an owned `String`: binding the `&'static str` instead
    // makes Diesel's derived `Insertable` demand `'static` of a struct's other borrowed
    // fields (`NewCase<'a>`), and Diesel's own `Bound` type is not public API.
    (@expression $type:ty => $as_str:ident, $sql_type:ty) => {
        impl diesel::expression::AsExpression<$sql_type> for $type {
            type Expression = diesel::dsl::AsExprOf<String, $sql_type>;
            fn as_expression(self) -> Self::Expression {
                diesel::expression::AsExpression::<$sql_type>::as_expression(
                    self.$as_str().to_string(),
                )
            }
        }

        impl diesel::expression::AsExpression<$sql_type> for &$type {
            type Expression = diesel::dsl::AsExprOf<String, $sql_type>;
            fn as_expression(self) -> Self::Expression {
                diesel::expression::AsExpression::<$sql_type>::as_expression(*self)
            }
        }
    };
}

text_enum!(Status => as_str);
text_enum!(Channel => as_str);
text_enum!(Stage => key);
text_enum!(CompensationStatus => as_str);
text_enum!(RemedyKind => as_str);
text_enum!(TenancyRelationship => as_str);
