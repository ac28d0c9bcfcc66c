//! The agreed complaint definition: numbered points per stage, and related-case links.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{case_links, cases, complaint_points};
use super::DbConnection;
use crate::domain::CaseId;

/// Replaces the points of `stage` (the definition is agreed at acknowledgement and may be
/// revised then).
pub fn replace(
    conn: &mut DbConnection,
    case: CaseId,
    stage: &str,
    points: &[String],
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(
        complaint_points::table
            .filter(complaint_points::case_id.eq(case))
            .filter(complaint_points::stage.eq(stage)),
    )
    .execute(conn)?;
    for (i, text) in points.iter().enumerate() {
        diesel::insert_into(complaint_points::table)
            .values((
                complaint_points::case_id.eq(case),
                complaint_points::stage.eq(stage),
                complaint_points::number.eq(i as i32 + 1),
                complaint_points::text.eq(text),
                complaint_points::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// `(stage, number, text)` in order.
pub fn for_case(conn: &mut DbConnection, case: CaseId) -> QueryResult<Vec<(String, i32, String)>> {
    complaint_points::table
        .filter(complaint_points::case_id.eq(case))
        .order((complaint_points::stage, complaint_points::number))
        .select((
            complaint_points::stage,
            complaint_points::number,
            complaint_points::text,
        ))
        .load(conn)
}

pub fn link(
    conn: &mut DbConnection,
    case: CaseId,
    related: CaseId,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let exists = case_links::table
        .filter(case_links::case_id.eq(case))
        .filter(case_links::related_case_id.eq(related))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if !exists {
        diesel::insert_into(case_links::table)
            .values((
                case_links::case_id.eq(case),
                case_links::related_case_id.eq(related),
                case_links::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// References of cases linked to `case`, either way round.
pub fn related_references(conn: &mut DbConnection, case: CaseId) -> QueryResult<Vec<String>> {
    // One statement, the links read as subqueries: the case page runs this on every view.
    let forward = case_links::table
        .filter(case_links::case_id.eq(case))
        .select(case_links::related_case_id);
    let backward = case_links::table
        .filter(case_links::related_case_id.eq(case))
        .select(case_links::case_id);
    // One IN over both directions (UNION ALL): with an OR of two subqueries PostgreSQL read
    // every case to test each (366 ms at 1,000,000 cases); this way it looks the few ids up.
    cases::table
        .filter(cases::id.eq_any(forward.union_all(backward)))
        .order(cases::reference)
        .select(cases::reference)
        .load(conn)
}
