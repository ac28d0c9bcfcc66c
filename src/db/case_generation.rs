//! The case generation (issue 31): a number the database changes whenever a case write could
//! change how many cases a work list holds. Triggers on `cases` keep it (migration
//! `2026-12-09-000021_case_generation`), inside the writing transaction, so it changes for
//! every instance sharing the database at the moment the write is committed and never before.
//! What is worked out from those cases can be kept in memory for as long as it stays the same
//! ([`crate::cases::list_counts`]).

use diesel::prelude::*;

use super::schema::case_generation;
use super::DbConnection;

use crate::db::literal_limit::FirstRow;

/// The case generation and the directory generation, read together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generations {
    pub cases: i64,
    /// Changes with service areas, categories, contractors and staff names
    /// (migration `2026-12-10-000031_directory_generation`).
    pub directory: i64,
}

/// Both generations in one round trip (primary-key lookups of two one-row tables): a
/// work-list page keeps things by each.
pub fn current_with_directory(conn: &mut DbConnection) -> QueryResult<Generations> {
    use super::schema::directory_generation;
    let directory = directory_generation::table
        .find(1)
        .select(directory_generation::generation)
        .single_value();
    let (cases, directory) = case_generation::table
        .find(1)
        .select((case_generation::generation, directory))
        .first_row::<(i64, Option<i64>)>(conn)?;
    Ok(Generations {
        cases,
        // The row is made by its migration and never deleted.
        directory: directory.unwrap_or_default(),
    })
}

/// The trigger that moves the generation on for each case inserted; a bulk load sets it aside
/// and calls [`bump`] once instead.
pub const INSERT_TRIGGER: &str = "case_generation_on_insert";

/// Moves the generation on once, for a write whose own triggers were set aside (a bulk load
/// of many cases): what was kept in memory from the cases before it is stale after it.
pub fn bump(conn: &mut DbConnection) -> QueryResult<()> {
    diesel::update(case_generation::table.find(1))
        .set(case_generation::generation.eq(case_generation::generation + 1))
        .execute(conn)
        .map(|_| ())
}
