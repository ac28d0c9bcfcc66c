//! The subject access requests table (issue 30): who asked for a copy of their personal data,
//! what identifies them across cases, and when the answer is due (`rules::subject_access`).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::subject_access_requests;
use super::DbConnection;
use crate::db::literal_limit::FirstRow;
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

pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<RequestRow>> {
    subject_access_requests::table
        .find(id)
        .select(RequestRow::as_select())
        .first_row(conn)
        .optional()
}

/// The requests answered most recently, newest first.
pub fn answered(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<RequestRow>> {
    subject_access_requests::table
        .filter(subject_access_requests::answered_on.is_not_null())
        .order((
            subject_access_requests::answered_on.desc(),
            subject_access_requests::id.desc(),
        ))
        .limit(limit)
        .select(RequestRow::as_select())
        .load(conn)
}

/// Records an extension of `months` decided `on` for `reason`, due `due_on`, if the request
/// is still at `version`; gives whether it was.
pub fn extend(
    conn: &mut DbConnection,
    id: i32,
    version: i32,
    months: i32,
    reason: &str,
    on: NaiveDate,
    due_on: NaiveDate,
) -> QueryResult<bool> {
    diesel::update(
        subject_access_requests::table
            .find(id)
            .filter(subject_access_requests::version.eq(version)),
    )
    .set((
        subject_access_requests::extension_months.eq(months),
        subject_access_requests::extension_reason.eq(reason),
        subject_access_requests::extended_on.eq(on),
        subject_access_requests::due_on.eq(due_on),
        subject_access_requests::version.eq(version + 1),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Records the request answered `on`, if it is still at `version`; gives whether it was.
pub fn answer(conn: &mut DbConnection, id: i32, version: i32, on: NaiveDate) -> QueryResult<bool> {
    diesel::update(
        subject_access_requests::table
            .find(id)
            .filter(subject_access_requests::version.eq(version))
            .filter(subject_access_requests::answered_on.is_null()),
    )
    .set((
        subject_access_requests::answered_on.eq(on),
        subject_access_requests::version.eq(version + 1),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// A case whose complainant may be the person asking: what the match and the review need.
#[derive(Debug, Clone, Queryable)]
pub struct Candidate {
    pub case_id: crate::domain::CaseId,
    pub reference: String,
    pub received_on: NaiveDate,
    pub status: crate::domain::Status,
    pub confidential: bool,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub postcode: Option<String>,
}

/// The cases whose complainant has this email address, telephone number or postcode, or a
/// name containing `surname` (lower case); the caller decides which are the person.
pub fn candidates(
    conn: &mut DbConnection,
    email: Option<&str>,
    phone: Option<&str>,
    postcode: Option<&str>,
    surname: Option<&str>,
) -> QueryResult<Vec<Candidate>> {
    use super::schema::{cases, complainants};
    use diesel::dsl::sql;
    use diesel::sql_types::{Bool, Text};

    type Condition =
        Box<dyn BoxableExpression<complainants::table, super::conn::MultiBackend, SqlType = Bool>>;
    let mut any: Vec<Condition> = Vec::new();
    if let Some(email) = email {
        any.push(Box::new(
            sql::<Bool>("complainants.email = ").bind::<Text, _>(email.to_string()),
        ));
    }
    if let Some(phone) = phone {
        any.push(Box::new(
            sql::<Bool>("complainants.phone = ").bind::<Text, _>(phone.to_string()),
        ));
    }
    if let Some(postcode) = postcode {
        any.push(Box::new(
            sql::<Bool>("complainants.postcode = ").bind::<Text, _>(postcode.to_string()),
        ));
    }
    if let Some(surname) = surname {
        // lower() on both backends: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
        any.push(Box::new(
            sql::<Bool>("lower(complainants.name) LIKE ")
                .bind::<Text, _>(format!("%{}%", surname.replace(['%', '_'], ""))),
        ));
    }
    let Some(first) = any.pop() else {
        return Ok(Vec::new());
    };
    let matching: Condition = any
        .into_iter()
        .fold(first, |all, one| Box::new(all.or(one)));
    let people: Vec<crate::domain::ComplainantId> = complainants::table
        .filter(matching)
        .select(complainants::id)
        .load(conn)?;
    if people.is_empty() {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    for chunk in people.chunks(500) {
        found.extend(
            cases::table
                .inner_join(complainants::table)
                .filter(cases::complainant_id.eq_any(chunk))
                .select((
                    cases::id,
                    cases::reference,
                    cases::received_on,
                    cases::status,
                    cases::confidential,
                    complainants::name,
                    complainants::email,
                    complainants::phone,
                    complainants::postcode,
                ))
                .load::<Candidate>(conn)?,
        );
    }
    found.sort_by(|a, b| a.reference.cmp(&b.reference));
    Ok(found)
}
