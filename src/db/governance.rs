//! The self-assessment and the annual report, one row each per April–March year, and the
//! facts about the year the annual report reads that no other report needs (issue 26).
//! Saves are versioned: a save carrying a version someone else has moved on is refused.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{annual_reports, case_events, cases, decisions, improvement_actions, users};
use super::DbConnection;
use crate::db::literal_limit::FirstRow;
use crate::domain::UserId;

/// Someone saved since the version the form was filled in on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stale;

/// What a save came to.
pub type Saved = Result<i32, Stale>;

/// A first save that lost the race to another: nothing written (so refused as stale). The
/// insert runs in a savepoint, so PostgreSQL's transaction goes on after the refusal.
fn already_there(e: diesel::result::Error) -> QueryResult<usize> {
    match e {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => Ok(0),
        other => Err(other),
    }
}

#[derive(Debug, Clone, Queryable)]
pub struct SelfAssessmentRow {
    pub year: i32,
    pub answers: String,
    pub version: i32,
}

pub fn self_assessment(
    conn: &mut DbConnection,
    year: i32,
) -> QueryResult<Option<SelfAssessmentRow>> {
    use super::schema::self_assessments as sa;
    sa::table
        .filter(sa::year.eq(year))
        .select((sa::year, sa::answers, sa::version))
        .first_row(conn)
        .optional()
}

/// Saves a year's answers over `seen` (0: none saved yet); the new version.
pub fn save_self_assessment(
    conn: &mut DbConnection,
    year: i32,
    seen: i32,
    answers: &str,
    by: UserId,
    at: NaiveDateTime,
) -> QueryResult<Saved> {
    use super::schema::self_assessments as sa;
    let written = if seen == 0 {
        conn.transaction(|conn| {
            diesel::insert_into(sa::table)
                .values((
                    sa::year.eq(year),
                    sa::answers.eq(answers),
                    sa::version.eq(1),
                    sa::updated_by_id.eq(by),
                    sa::updated_at.eq(at),
                ))
                .execute(conn)
        })
        .or_else(already_there)?
    } else {
        diesel::update(
            sa::table
                .filter(sa::year.eq(year))
                .filter(sa::version.eq(seen)),
        )
        .set((
            sa::answers.eq(answers),
            sa::version.eq(seen + 1),
            sa::updated_by_id.eq(by),
            sa::updated_at.eq(at),
        ))
        .execute(conn)?
    };
    Ok(if written == 1 {
        Ok(seen + 1)
    } else {
        Err(Stale)
    })
}

#[derive(Debug, Clone)]
pub struct AnnualReportRow {
    pub year: i32,
    pub narrative: String,
    pub version: i32,
    pub snapshot: Option<String>,
    pub published_at: Option<NaiveDateTime>,
    pub published_by: Option<String>,
}

/// An `annual_reports` row: year, narrative, version, snapshot, published at and by.
type StoredReport = (
    i32,
    String,
    i32,
    Option<String>,
    Option<NaiveDateTime>,
    Option<UserId>,
);

pub fn annual_report(conn: &mut DbConnection, year: i32) -> QueryResult<Option<AnnualReportRow>> {
    let row: Option<StoredReport> = annual_reports::table
        .filter(annual_reports::year.eq(year))
        .select((
            annual_reports::year,
            annual_reports::narrative,
            annual_reports::version,
            annual_reports::snapshot,
            annual_reports::published_at,
            annual_reports::published_by_id,
        ))
        .first_row(conn)
        .optional()?;
    let Some((year, narrative, version, snapshot, published_at, by)) = row else {
        return Ok(None);
    };
    let published_by = match by {
        Some(id) => users::table
            .filter(users::id.eq(id))
            .select(users::display_name)
            .first_row(conn)
            .optional()?,
        None => None,
    };
    Ok(Some(AnnualReportRow {
        year,
        narrative,
        version,
        snapshot,
        published_at,
        published_by,
    }))
}

/// Saves the narrative over `seen` (0: none saved yet), unless the report is published.
pub fn save_narrative(
    conn: &mut DbConnection,
    year: i32,
    seen: i32,
    narrative: &str,
    by: UserId,
    at: NaiveDateTime,
) -> QueryResult<Saved> {
    let written = if seen == 0 {
        conn.transaction(|conn| {
            diesel::insert_into(annual_reports::table)
                .values((
                    annual_reports::year.eq(year),
                    annual_reports::narrative.eq(narrative),
                    annual_reports::version.eq(1),
                    annual_reports::updated_by_id.eq(by),
                    annual_reports::updated_at.eq(at),
                ))
                .execute(conn)
        })
        .or_else(already_there)?
    } else {
        diesel::update(
            annual_reports::table
                .filter(annual_reports::year.eq(year))
                .filter(annual_reports::version.eq(seen))
                .filter(annual_reports::published_at.is_null()),
        )
        .set((
            annual_reports::narrative.eq(narrative),
            annual_reports::version.eq(seen + 1),
            annual_reports::updated_by_id.eq(by),
            annual_reports::updated_at.eq(at),
        ))
        .execute(conn)?
    };
    Ok(if written == 1 {
        Ok(seen + 1)
    } else {
        Err(Stale)
    })
}

/// Freezes the report at `seen` with `snapshot`, the report as rendered now.
pub fn publish(
    conn: &mut DbConnection,
    year: i32,
    seen: i32,
    snapshot: &str,
    by: UserId,
    at: NaiveDateTime,
) -> QueryResult<Saved> {
    let written = diesel::update(
        annual_reports::table
            .filter(annual_reports::year.eq(year))
            .filter(annual_reports::version.eq(seen))
            .filter(annual_reports::published_at.is_null()),
    )
    .set((
        annual_reports::snapshot.eq(snapshot),
        annual_reports::version.eq(seen + 1),
        annual_reports::published_at.eq(at),
        annual_reports::published_by_id.eq(by),
        annual_reports::updated_at.eq(at),
    ))
    .execute(conn)?;
    Ok(if written == 1 {
        Ok(seen + 1)
    } else {
        Err(Stale)
    })
}

/// How cases received in the period were classified at triage: `(classification, count)`.
pub fn classified(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<(Option<String>, i64)>> {
    cases::table
        .filter(cases::received_on.between(from, to))
        .filter(cases::duplicate_of_id.is_null())
        .group_by(cases::classification)
        .select((cases::classification, diesel::dsl::count_star()))
        .load(conn)
}

/// The triage events of the period (stored JSON), for the refusals and their reasons.
pub fn triage_events(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<String>> {
    case_events::table
        .filter(case_events::kind.eq("triaged"))
        .filter(case_events::occurred_on.between(from, to))
        .select(case_events::detail)
        .load(conn)
}

/// Decisions sent in the period at stage 2, with who drafted the same case's stage 1 and 2
/// responses: `(stage 1 drafter, stage 2 drafter)`.
pub fn stage2_handlers(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<(Option<UserId>, Option<UserId>)>> {
    let stage2: Vec<(i32, Option<UserId>)> = decisions::table
        .filter(decisions::stage.eq("stage2"))
        .filter(decisions::sent_on.between(from, to))
        .select((decisions::case_id, decisions::drafted_by_id))
        .load(conn)?;
    let cases: Vec<i32> = stage2.iter().map(|(c, _)| *c).collect();
    let stage1: Vec<(i32, Option<UserId>)> = decisions::table
        .filter(decisions::stage.eq("stage1"))
        .filter(decisions::case_id.eq_any(cases))
        .select((decisions::case_id, decisions::drafted_by_id))
        .load(conn)?;
    Ok(stage2
        .into_iter()
        .map(|(case, second)| {
            let first = stage1
                .iter()
                .find(|(c, _)| *c == case)
                .and_then(|(_, d)| *d);
            (first, second)
        })
        .collect())
}

/// An improvement action as the annual report needs it: when it was raised and last changed.
#[derive(Debug, Clone, Queryable)]
pub struct ActionInYear {
    pub reference: String,
    pub description: String,
    pub owner: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub status: String,
    pub raised_at: NaiveDateTime,
    pub changed_at: NaiveDateTime,
}

/// Actions raised in the period, or changed in it (implemented in the year counts there).
pub fn actions_touching(
    conn: &mut DbConnection,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<Vec<ActionInYear>> {
    improvement_actions::table
        .inner_join(cases::table)
        .left_join(users::table)
        .filter(
            improvement_actions::created_at
                .ge(from)
                .and(improvement_actions::created_at.lt(until))
                .or(improvement_actions::updated_at
                    .ge(from)
                    .and(improvement_actions::updated_at.lt(until))),
        )
        .order((improvement_actions::due_on.asc(), improvement_actions::id))
        .select((
            cases::reference,
            improvement_actions::description,
            users::display_name.nullable(),
            improvement_actions::due_on,
            improvement_actions::status,
            improvement_actions::created_at,
            improvement_actions::updated_at,
        ))
        .load(conn)
}
