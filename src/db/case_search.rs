//! The search tables of cases (SQLite only): `case_search` (trigram) and `case_search_words`
//! (words and their short prefixes), kept in step with `cases` by the triggers of migration
//! `2026-11-25-000001_search_by_role`. A bulk load sets the insert trigger aside and
//! fills them here instead, in one statement each ([`crate::db::bulk::sqlite_bulk_load`]).

use diesel::prelude::*;
use diesel::sql_types::Integer;

use super::DbConnection;

/// The trigger that fills both search tables for each case inserted, which [`index_cases_from`]
/// stands in for.
pub const INSERT_TRIGGER: &str = "case_search_case_inserted";

/// Writes the search rows of every case with an id from `first_id` on, as the insert trigger
/// would have written them one case at a time: a confidential case's name goes in
/// `secret_name`, and a case whose complainant is missing gets no row. In id order, so FTS5
/// appends to its index rather than interleaving.
pub fn index_cases_from(conn: &mut DbConnection, first_id: i32) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO case_search (rowid, name, secret_name, description) \
         SELECT cases.id, \
                CASE WHEN cases.confidential THEN '' ELSE complainants.name END, \
                CASE WHEN cases.confidential THEN complainants.name ELSE '' END, \
                cases.description \
         FROM cases JOIN complainants ON complainants.id = cases.complainant_id \
         WHERE cases.id >= ? ORDER BY cases.id",
    )
    .bind::<Integer, _>(first_id)
    .execute(conn)?;
    diesel::sql_query(
        "INSERT INTO case_search_words (rowid, name, secret_name) \
         SELECT rowid, name, secret_name FROM case_search WHERE rowid >= ? ORDER BY rowid",
    )
    .bind::<Integer, _>(first_id)
    .execute(conn)?;
    Ok(())
}
