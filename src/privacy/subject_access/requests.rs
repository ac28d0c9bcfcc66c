//! Recording a subject access request, extending its deadline and recording it answered:
//! each checked, version-checked where it changes a request, and audited.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::cases::transition::ActingUser;
use crate::db::audit::{self, AuditEntry};
use crate::db::subject_access::{self as table, NewRequest, RequestRow};
use crate::db::DbConnection;
use crate::domain::{Email, FieldErrors, PhoneNumber, Postcode};
use crate::rules::calendar::Calendar;
use crate::rules::subject_access::{self as rule, SubjectAccessError};

/// The longest name and reason.
pub const NAME_MAX: usize = 200;
pub const REASON_MAX: usize = 2_000;

/// A request as typed, checked.
#[derive(Debug, Clone)]
pub struct NewSubjectAccess {
    pub person_name: String,
    pub email: Option<Email>,
    pub postcode: Option<Postcode>,
    pub telephone: Option<PhoneNumber>,
    pub received_on: NaiveDate,
}

#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// Someone changed the request since the form was opened.
    #[error("stale")]
    Stale,
    /// The deadline could not be worked out or moved; the message is for the field.
    #[error("{0}")]
    Rule(#[from] SubjectAccessError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

fn audit_entry(
    conn: &mut DbConnection,
    by: &ActingUser<'_>,
    action: &str,
    id: i32,
    detail: String,
) -> QueryResult<()> {
    audit::record(
        conn,
        &AuditEntry::new(
            Some(by.id),
            by.label,
            action,
            format!("subject_access:{id}"),
            detail,
            by.ip,
        ),
    )
    .map(|_| ())
}

/// Checks that the person can be found: a name, and something more than a name is not
/// required (a resident may give only their name), but what is given must be well formed.
pub fn check_identifiers(
    errors: &mut FieldErrors,
    email: &str,
    postcode: &str,
    telephone: &str,
) -> (Option<Email>, Option<Postcode>, Option<PhoneNumber>) {
    let email = (!email.trim().is_empty())
        .then(|| Email::parse(email))
        .and_then(|r| r.map_err(|m| errors.add("email", m)).ok());
    let postcode = (!postcode.trim().is_empty())
        .then(|| Postcode::parse(postcode))
        .and_then(|r| r.map_err(|m| errors.add("postcode", m)).ok());
    let telephone = (!telephone.trim().is_empty())
        .then(|| PhoneNumber::parse(telephone))
        .and_then(|r| r.map_err(|m| errors.add("telephone", m)).ok());
    (email, postcode, telephone)
}

/// Records `new`; gives its id.
pub fn record(
    conn: &mut DbConnection,
    calendar: &Calendar,
    new: &NewSubjectAccess,
    by: &ActingUser<'_>,
    now: NaiveDateTime,
) -> Result<i32, RequestError> {
    let due_on = rule::due(calendar, new.received_on, None)?;
    conn.transaction(|conn| {
        let id = table::insert(
            conn,
            &NewRequest {
                person_name: &new.person_name,
                email: new.email.as_ref().map(Email::as_str),
                postcode: new.postcode.as_ref().map(Postcode::as_str),
                telephone: new.telephone.as_ref().map(PhoneNumber::as_str),
                received_on: new.received_on,
                due_on,
                recorded_by: by.id,
                created_at: now,
            },
        )?;
        // The person's details stay in the request, not in the audit log.
        audit_entry(
            conn,
            by,
            "subject_access_recorded",
            id,
            format!("received={} due={due_on}", new.received_on),
        )?;
        Ok(id)
    })
}

/// An extension as decided: how many more months, why, and on which day.
pub struct Extension<'a> {
    pub months: u32,
    pub reason: &'a str,
    pub decided_on: NaiveDate,
}

/// Extends `request` (as it stood at `version`) as `extension` says; gives the new due date.
pub fn extend(
    conn: &mut DbConnection,
    calendar: &Calendar,
    request: &RequestRow,
    version: i32,
    extension: &Extension<'_>,
    by: &ActingUser<'_>,
) -> Result<NaiveDate, RequestError> {
    let Extension {
        months,
        reason,
        decided_on: today,
    } = *extension;
    let due_on = rule::due(calendar, request.received_on, Some((months, today)))?;
    conn.transaction(|conn| {
        if !table::extend(
            conn,
            request.id,
            version,
            months as i32,
            reason,
            today,
            due_on,
        )? {
            return Err(RequestError::Stale);
        }
        audit_entry(
            conn,
            by,
            "subject_access_extended",
            request.id,
            format!("months={months} due={due_on} (reason recorded on the request)"),
        )?;
        Ok(due_on)
    })
}

/// Records `request` answered `today`.
pub fn answer(
    conn: &mut DbConnection,
    request: &RequestRow,
    version: i32,
    today: NaiveDate,
    by: &ActingUser<'_>,
) -> Result<(), RequestError> {
    conn.transaction(|conn| {
        if !table::answer(conn, request.id, version, today)? {
            return Err(RequestError::Stale);
        }
        let on_time = if today <= request.due_on {
            "within the deadline"
        } else {
            "after the deadline"
        };
        audit_entry(
            conn,
            by,
            "subject_access_answered",
            request.id,
            format!("answered={today} due={} {on_time}", request.due_on),
        )?;
        Ok(())
    })
}
