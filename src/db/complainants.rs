//! Queries about complainants (residents and other people who complain) and properties.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{cases, complainants, properties, representatives};
use super::DbConnection;
use crate::db::literal_limit::FirstRow;
use crate::domain::case::TenancyRelationship;
use crate::domain::{CaseId, ComplainantId, PropertyId};

/// Also insertable whole, ids included, for bulk imports ([`super::bulk`]).
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = complainants, treat_none_as_default_value = false)]
pub struct ComplainantRow {
    pub id: ComplainantId,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub preferred_channel: String,
    pub tenancy_relationship: String,
    /// Comma-separated adjustment codes.
    pub adjustments: String,
    pub interpreter_language: Option<String>,
    pub vulnerability_notes: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = complainants)]
pub struct NewComplainant<'a> {
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub address: Option<&'a str>,
    pub postcode: Option<&'a str>,
    pub preferred_channel: &'a str,
    pub tenancy_relationship: &'a str,
    pub adjustments: &'a str,
    pub interpreter_language: Option<&'a str>,
    pub vulnerability_notes: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, new: &NewComplainant<'_>) -> QueryResult<ComplainantId> {
    diesel::insert_into(complainants::table)
        .values(new)
        .returning(complainants::id)
        .get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: ComplainantId) -> QueryResult<Option<ComplainantRow>> {
    complainants::table
        .find(id)
        .select(ComplainantRow::as_select())
        .first_row(conn)
        .optional()
}

/// An existing complainant with the same name and the same email or phone: the same person
/// complaining again, so their history stays together.
pub fn find_same_person(
    conn: &mut DbConnection,
    name: &str,
    email: Option<&str>,
    phone: Option<&str>,
) -> QueryResult<Option<ComplainantId>> {
    if email.is_none() && phone.is_none() {
        return Ok(None);
    }
    let mut query = complainants::table
        .filter(complainants::name.eq(name))
        .select(complainants::id)
        .into_boxed();
    query = match (email, phone) {
        (Some(e), Some(p)) => query.filter(complainants::email.eq(e).or(complainants::phone.eq(p))),
        (Some(e), None) => query.filter(complainants::email.eq(e)),
        (None, Some(p)) => query.filter(complainants::phone.eq(p)),
        (None, None) => query,
    };
    query.first_row(conn).optional()
}

/// Also insertable whole, ids included, for bulk imports ([`super::bulk`]).
#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = properties, treat_none_as_default_value = false)]
pub struct PropertyRow {
    pub id: PropertyId,
    pub address: String,
    pub postcode: String,
    pub property_reference: Option<String>,
    pub created_at: NaiveDateTime,
}

/// The property at this address, created the first time it is named.
pub fn find_or_create_property(
    conn: &mut DbConnection,
    address: &str,
    postcode: &str,
    now: NaiveDateTime,
) -> QueryResult<PropertyId> {
    let existing = properties::table
        .filter(properties::postcode.eq(postcode))
        .filter(properties::address.eq(address))
        .select(properties::id)
        .first_row(conn)
        .optional()?;
    match existing {
        Some(id) => Ok(id),
        None => diesel::insert_into(properties::table)
            .values((
                properties::address.eq(address),
                properties::postcode.eq(postcode),
                properties::created_at.eq(now),
            ))
            .returning(properties::id)
            .get_result(conn),
    }
}

pub fn find_property(conn: &mut DbConnection, id: PropertyId) -> QueryResult<Option<PropertyRow>> {
    properties::table
        .find(id)
        .select(PropertyRow::as_select())
        .first_row(conn)
        .optional()
}

/// Also insertable whole, ids included, for bulk imports ([`super::bulk`]).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = representatives, treat_none_as_default_value = false)]
pub struct RepresentativeRow {
    pub id: crate::domain::RepresentativeId,
    pub case_id: CaseId,
    pub name: String,
    pub relationship: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub consent_received_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = representatives)]
pub struct NewRepresentative<'a> {
    pub case_id: CaseId,
    pub name: &'a str,
    pub relationship: &'a str,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub address: Option<&'a str>,
    pub consent_received_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
}

pub fn insert_representative(
    conn: &mut DbConnection,
    new: &NewRepresentative<'_>,
) -> QueryResult<usize> {
    diesel::insert_into(representatives::table)
        .values(new)
        .execute(conn)
}

pub fn representative_of(
    conn: &mut DbConnection,
    case: CaseId,
) -> QueryResult<Option<RepresentativeRow>> {
    representatives::table
        .filter(representatives::case_id.eq(case))
        .select(RepresentativeRow::as_select())
        .first_row(conn)
        .optional()
}

/// Records the case's representative: replaces the one on file (a case has at most one) or
/// adds one. Returns whether there was one before.
pub fn save_representative(
    conn: &mut DbConnection,
    new: &NewRepresentative<'_>,
) -> QueryResult<bool> {
    let updated =
        diesel::update(representatives::table.filter(representatives::case_id.eq(new.case_id)))
            .set((
                representatives::name.eq(new.name),
                representatives::relationship.eq(new.relationship),
                representatives::email.eq(new.email),
                representatives::phone.eq(new.phone),
                representatives::address.eq(new.address),
                representatives::consent_received_on.eq(new.consent_received_on),
            ))
            .execute(conn)?;
    if updated > 0 {
        return Ok(true);
    }
    insert_representative(conn, new)?;
    Ok(false)
}

/// A complainant's name and contact details as corrected after logging.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = complainants, treat_none_as_null = true)]
pub struct ContactUpdate<'a> {
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub address: Option<&'a str>,
    pub postcode: Option<&'a str>,
    pub preferred_channel: &'a str,
    pub tenancy_relationship: &'a str,
    pub updated_at: NaiveDateTime,
}

/// Also copies the tenure to each of the complainant's cases (`cases.tenure`, which work
/// lists filter by). Gives each of their cases with the tenure it had before, for the
/// reports' summary (read once the complainant's row is held, so a concurrent correction of
/// the same person cannot come between).
pub fn update_contact(
    conn: &mut DbConnection,
    id: ComplainantId,
    update: &ContactUpdate<'_>,
) -> QueryResult<Vec<(CaseId, String)>> {
    diesel::update(complainants::table.find(id))
        .set(update)
        .execute(conn)?;
    let before: Vec<(CaseId, String)> = cases::table
        .filter(cases::complainant_id.eq(id))
        .select((cases::id, cases::tenure))
        .load(conn)?;
    diesel::update(cases::table.filter(cases::complainant_id.eq(id)))
        .set(cases::tenure.eq(update.tenancy_relationship))
        .execute(conn)?;
    Ok(before)
}

/// A complainant's tenure, as their new case copies it.
pub fn tenure_of(conn: &mut DbConnection, id: ComplainantId) -> QueryResult<TenancyRelationship> {
    complainants::table
        .find(id)
        .select(complainants::tenancy_relationship)
        .first_row::<String>(conn)
        .map(|stored| stored.parse().unwrap_or(TenancyRelationship::Other))
}

/// A complainant's adjustments (comma-separated codes), interpreter language and
/// vulnerability notes as corrected after logging.
pub fn update_needs(
    conn: &mut DbConnection,
    id: ComplainantId,
    adjustments: &str,
    interpreter_language: Option<&str>,
    vulnerability_notes: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(complainants::table.find(id))
        .set((
            complainants::adjustments.eq(adjustments),
            complainants::interpreter_language.eq(interpreter_language),
            complainants::vulnerability_notes.eq(vulnerability_notes),
            complainants::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The property at exactly this address, if it has been named before.
pub fn find_property_by_address(
    conn: &mut DbConnection,
    address: &str,
    postcode: &str,
) -> QueryResult<Option<PropertyId>> {
    properties::table
        .filter(properties::postcode.eq(postcode))
        .filter(properties::address.eq(address))
        .select(properties::id)
        .first_row(conn)
        .optional()
}

/// Complainants recorded with the email address `email` (any case), for the logging form to
/// offer when a case is logged from an email (issue 28). Those on a confidential case are
/// left out: the offer would name them to whoever logs the case.
pub fn with_email(conn: &mut DbConnection, email: &str) -> QueryResult<Vec<ComplainantRow>> {
    let confidential = cases::table
        .filter(cases::confidential.eq(true))
        .select(cases::complainant_id);
    complainants::table
        .filter(complainants::email.eq(email))
        .filter(complainants::id.ne_all(confidential))
        .order(complainants::id.asc())
        .limit(5)
        .select(ComplainantRow::as_select())
        .load(conn)
}
