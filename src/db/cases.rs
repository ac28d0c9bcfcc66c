//! Queries about cases: the row that work lists read, reference allocation, lookups.
//! The timeline (`case_events`) is the history; this row is its current projection.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{case_sequences, cases};
use super::DbConnection;
use crate::db::literal_limit::FirstRow;
use crate::domain::case::{Channel, Status, TenancyRelationship};
use crate::domain::{
    CaseId, CategoryId, ComplainantId, ContractorId, PropertyId, ServiceAreaId, UserId,
};
use crate::rules::Stage;

/// Also insertable whole, ids included, for bulk imports ([`super::bulk`]).
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = cases, treat_none_as_default_value = false)]
pub struct CaseRow {
    pub id: CaseId,
    pub reference: String,
    pub complainant_id: ComplainantId,
    pub property_id: Option<PropertyId>,
    pub channel: Channel,
    pub received_on: NaiveDate,
    pub logged_at: NaiveDateTime,
    pub occurred_on: Option<NaiveDate>,
    pub aware_on: Option<NaiveDate>,
    pub classification: Option<String>,
    pub stage: Option<Stage>,
    pub status: Status,
    pub health_and_safety: bool,
    pub safeguarding: bool,
    pub confidential: bool,
    pub service_area_id: Option<ServiceAreaId>,
    pub category_id: Option<CategoryId>,
    pub contractor_id: Option<ContractorId>,
    pub case_officer_id: Option<UserId>,
    pub assignee_id: Option<UserId>,
    pub description: String,
    pub outcome_sought: String,
    pub policy: String,
    pub stage_started_on: Option<NaiveDate>,
    pub acknowledged_on: Option<NaiveDate>,
    pub next_due_on: Option<NaiveDate>,
    pub closed_at: Option<NaiveDateTime>,
    pub duplicate_of_id: Option<CaseId>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The complainant's tenure, copied here so a work list filters by it from an index.
    pub tenure: TenancyRelationship,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = cases)]
pub struct NewCase<'a> {
    pub reference: &'a str,
    pub complainant_id: ComplainantId,
    pub property_id: Option<PropertyId>,
    pub channel: Channel,
    pub received_on: NaiveDate,
    pub logged_at: NaiveDateTime,
    pub occurred_on: Option<NaiveDate>,
    pub aware_on: Option<NaiveDate>,
    pub status: Status,
    pub health_and_safety: bool,
    pub safeguarding: bool,
    pub confidential: bool,
    pub category_id: Option<CategoryId>,
    pub contractor_id: Option<ContractorId>,
    pub description: &'a str,
    pub outcome_sought: &'a str,
    pub policy: &'a str,
    pub next_due_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The complainant's tenure (`complainants.tenancy_relationship`), kept equal to it.
    pub tenure: TenancyRelationship,
}

/// Makes sure the year's counter row exists. Run before the creating transaction, so the
/// transaction's first statement is the counter's UPDATE: on SQLite that takes the write
/// lock at once (no read-then-write upgrade deadlock); on PostgreSQL it locks the row, so
/// concurrent creates queue and the sequence has no gaps or duplicates.
pub fn ensure_sequence_year(conn: &mut DbConnection, year: i32) -> QueryResult<()> {
    let exists = case_sequences::table
        .find(year)
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if !exists {
        // In its own (nested: savepoint) transaction, so losing the race below leaves a
        // surrounding PostgreSQL transaction usable (the public form's rate-limit lock).
        let inserted = conn.transaction(|conn| {
            diesel::insert_into(case_sequences::table)
                .values((
                    case_sequences::year.eq(year),
                    case_sequences::last_sequence.eq(0),
                ))
                .execute(conn)
        });
        match inserted {
            Ok(_) => {}
            // Another request created it first: that is what we wanted.
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Takes the next sequence number of `year`. Call inside the creating transaction, first.
pub fn next_sequence(conn: &mut DbConnection, year: i32) -> QueryResult<i32> {
    diesel::update(case_sequences::table.find(year))
        .set(case_sequences::last_sequence.eq(case_sequences::last_sequence + 1))
        .execute(conn)?;
    case_sequences::table
        .find(year)
        .select(case_sequences::last_sequence)
        .first_row(conn)
}

pub fn insert(conn: &mut DbConnection, new: &NewCase<'_>) -> QueryResult<CaseId> {
    diesel::insert_into(cases::table)
        .values(new)
        .returning(cases::id)
        .get_result(conn)
}

pub fn find_by_reference(conn: &mut DbConnection, reference: &str) -> QueryResult<Option<CaseRow>> {
    cases::table
        .filter(cases::reference.eq(reference))
        .select(CaseRow::as_select())
        .first_row(conn)
        .optional()
}

pub fn find(conn: &mut DbConnection, id: CaseId) -> QueryResult<Option<CaseRow>> {
    cases::table
        .find(id)
        .select(CaseRow::as_select())
        .first_row(conn)
        .optional()
}

/// Which of `ids` are confidential cases, with their references.
pub fn confidential_among(
    conn: &mut DbConnection,
    ids: &[CaseId],
) -> QueryResult<Vec<(CaseId, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    cases::table
        .filter(cases::id.eq_any(ids))
        .filter(cases::confidential.eq(true))
        .select((cases::id, cases::reference))
        .load(conn)
}

pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    cases::table.count().get_result(conn)
}

pub fn references_of_year(conn: &mut DbConnection, year: i32) -> QueryResult<Vec<String>> {
    cases::table
        .filter(cases::reference.like(format!("CMP-{year}-%")))
        .order(cases::reference)
        .select(cases::reference)
        .load(conn)
}

/// Corrections to the case row's own fields (those the lifecycle state does not carry; the
/// runner re-projects the rest). Each runs inside the correction's transaction.
pub fn set_confidential(
    conn: &mut DbConnection,
    id: CaseId,
    confidential: bool,
) -> QueryResult<()> {
    diesel::update(cases::table.find(id))
        .set(cases::confidential.eq(confidential))
        .execute(conn)
        .map(|_| ())
}

pub fn set_problem_dates(
    conn: &mut DbConnection,
    id: CaseId,
    occurred: NaiveDate,
    aware: Option<NaiveDate>,
) -> QueryResult<()> {
    diesel::update(cases::table.find(id))
        .set((
            cases::occurred_on.eq(Some(occurred)),
            cases::aware_on.eq(aware),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn set_classification(
    conn: &mut DbConnection,
    id: CaseId,
    category: Option<CategoryId>,
    contractor: Option<ContractorId>,
    property: Option<PropertyId>,
) -> QueryResult<()> {
    diesel::update(cases::table.find(id))
        .set((
            cases::category_id.eq(category),
            cases::contractor_id.eq(contractor),
            cases::property_id.eq(property),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn set_description(
    conn: &mut DbConnection,
    id: CaseId,
    description: &str,
    outcome_sought: &str,
) -> QueryResult<()> {
    diesel::update(cases::table.find(id))
        .set((
            cases::description.eq(description),
            cases::outcome_sought.eq(outcome_sought),
        ))
        .execute(conn)
        .map(|_| ())
}
