//! The subject access requests table (issue 30): who asked for a copy of their personal data,
//! what identifies them across cases, and when the answer is due (`rules::subject_access`).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::subject_access_requests;
use super::DbConnection;
use crate::domain::UserId;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = subject_access_requests)]
pub struct RequestRow {
    pub id: i32,
    pub person_name: String,
    pub email: Option<String>,
    pub postcode: Option<String>,
    pub telephone: Option<String>,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
    pub extension_months: i32,
    pub extension_reason: Option<String>,
    pub extended_on: Option<NaiveDate>,
    pub answered_on: Option<NaiveDate>,
    pub recorded_by: UserId,
    pub created_at: NaiveDateTime,
    pub version: i32,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = subject_access_requests)]
pub struct NewRequest<'a> {
    pub person_name: &'a str,
    pub email: Option<&'a str>,
    pub postcode: Option<&'a str>,
    pub telephone: Option<&'a str>,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
    pub recorded_by: UserId,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, new: &NewRequest<'_>) -> QueryResult<i32> {
    diesel::insert_into(subject_access_requests::table)
        .values(new)
        .returning(subject_access_requests::id)
        .get_result(conn)
}

/// The requests not yet answered, soonest due first.
pub fn open(conn: &mut DbConnection) -> QueryResult<Vec<RequestRow>> {
    subject_access_requests::table
        .filter(subject_access_requests::answered_on.is_null())
        .order((
            subject_access_requests::due_on.asc(),
            subject_access_requests::id.asc(),
        ))
        .select(RequestRow::as_select())
        .load(conn)
}
