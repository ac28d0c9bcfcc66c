//! PostgreSQL: a complainant's name as the search reads it, kept on each of their cases
//! (migration `2026-12-12-000001_case_search_name`), and "the complainant's name has a word
//! starting with each of these" as one lookup in the trigram index over the name's words.
//!
//! Each word is a `LIKE` bound on its own, all in one condition, so the index finds the
//! cases holding every word at once ("Wood Leo": 50 names in 0.5 ms at 100,000 cases, where
//! one lookup per word read some 1,500 names each). Diesel's `sql` literal changes type with
//! each bind, so a number of words known only at run time needs this node.

use diesel::expression::ValidGrouping;
use diesel::expression::{is_aggregate, AppearsOnTable, Expression, SelectableExpression};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Bool, Text};
use diesel::QueryResult;

use super::conn::MultiBackend;
use super::schema::cases;

/// The case's complainant's name in lower case, for "the name contains this".
pub const PG_SEARCH_NAME: &str = "cases.search_name";

/// The case's complainant's name as its words, each after a space: a word starts at the
/// start of the name or after anything but a letter or digit, as SQLite's `unicode61`
/// tokenizer splits words. For "a word of the name starts with this" (`LIKE '% wo%'`).
pub const PG_SEARCH_NAME_WORDS: &str = "cases.search_name_words";

/// The columns PostgreSQL has and SQLite does not: the two above, which its triggers keep
/// and the application only reads, through SQL text (not in `schema.rs`). SQLite's
/// counterpart is its full-text tables.
pub const POSTGRES_ONLY_COLUMNS: &[(&str, &str)] =
    &[("cases", "search_name"), ("cases", "search_name_words")];

/// The case's complainant's name has a word starting with each of `words` (already lower
/// case, split as the tokenizer splits, LIKE-escaped).
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
        out.push_sql("(TRUE");
        for pattern in &self.patterns {
            out.push_sql(&format!(" AND {PG_SEARCH_NAME_WORDS} LIKE "));
            out.push_bind_param::<Text, String>(pattern)?;
        }
        out.push_sql(")");
        Ok(())
    }
}
