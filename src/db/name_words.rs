//! PostgreSQL: "the complainant's name has a word starting with each of these", as one
//! lookup in the trigram index over the name's words (migration
//! `2026-12-10-000021_name_words_index`).
//!
//! Each word is a `LIKE` bound on its own, all in one subquery, so the index finds the names
//! holding every word at once ("Wood Leo": 50 names in 0.5 ms at 100,000 cases, where one
//! subquery per word read some 1,500 names each). Diesel's `sql` literal changes type with
//! each bind, so a number of words known only at run time needs this node.

use diesel::expression::ValidGrouping;
use diesel::expression::{is_aggregate, AppearsOnTable, Expression, SelectableExpression};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Bool, Text};
use diesel::QueryResult;

use super::conn::MultiBackend;
use super::schema::cases;

/// A complainant's name as its words, each after a space: a word starts at the start of the
/// name or after anything but a letter or digit, as SQLite's `unicode61` tokenizer splits
/// words. The trigram index holds exactly this expression: change both together.
pub const PG_NAME_WORDS: &str =
    "' ' || regexp_replace(lower(complainants.name), '[^[:alnum:]]+', ' ', 'g')";

/// `cases.complainant_id` is one of the complainants whose name has a word starting with
/// each of `words` (already lower case, split as the tokenizer splits, LIKE-escaped).
#[derive(Debug, Clone)]
pub struct NameWordsStart {
    patterns: Vec<String>,
}

/// The cases whose complainant's name has a word starting with each of `words` (as
/// [`NameWordsStart`] says they are given).
pub fn name_words_start(words: &[String]) -> NameWordsStart {
    NameWordsStart {
        patterns: words.iter().map(|w| format!("% {w}%")).collect(),
    }
}

impl Expression for NameWordsStart {
    type SqlType = Bool;
}

impl AppearsOnTable<cases::table> for NameWordsStart {}

impl SelectableExpression<cases::table> for NameWordsStart {}

impl ValidGrouping<()> for NameWordsStart {
    type IsAggregate = is_aggregate::Never;
}

impl QueryId for NameWordsStart {
    type QueryId = ();
    /// No static id: the statement is cached under its SQL, which spells out the words.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl QueryFragment<MultiBackend> for NameWordsStart {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        // `= ANY(ARRAY(…))`, evaluated once, so it joins a search's other alternatives in a
        // BitmapOr (`db::work_lists::any_of_subquery`).
        out.push_sql(
            "(cases.complainant_id = ANY(ARRAY(SELECT complainants.id FROM complainants WHERE TRUE",
        );
        for pattern in &self.patterns {
            out.push_sql(&format!(" AND ({PG_NAME_WORDS}) LIKE "));
            out.push_bind_param::<Text, String>(pattern)?;
        }
        out.push_sql(")))");
        Ok(())
    }
}
