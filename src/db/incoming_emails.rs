//! Messages read from the complaints mailbox and the files sent with them (issue 28).
//! Written by `intake::file` in the transaction that files a message; moved on by the
//! Emails page's actions, each write naming the state it expects so two officers cannot
//! both act on one message.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{incoming_email_files, incoming_emails};
use super::DbConnection;
use crate::db::literal_limit::FirstRow;
use crate::domain::{CaseId, EmailFileId, IncomingEmailId, UserId};

/// Added to an open case's timeline (by reference, or by an officer).
pub const FILED: &str = "filed";
/// On the Emails page, waiting for an officer.
pub const AWAITING: &str = "awaiting";
/// Sent by a machine: shown, never offered as a complaint.
pub const AUTOMATIC: &str = "automatic";
/// Unreadable or oversized: shown with the reason.
pub const QUARANTINED: &str = "quarantined";
/// An officer decided it needs nothing (with a reason, audited).
pub const DISCARDED: &str = "discarded";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = incoming_emails)]
pub struct EmailRow {
    pub id: IncomingEmailId,
    pub message_id: String,
    pub from_address: String,
    pub from_name: String,
    pub subject: String,
    pub sent_at: Option<NaiveDateTime>,
    pub received_at: NaiveDateTime,
    pub body_text: String,
    pub quoted_text: String,
    pub status: String,
    pub automatic: Option<String>,
    pub reason: Option<String>,
    pub case_id: Option<CaseId>,
    pub handled_by: Option<UserId>,
    pub handled_at: Option<NaiveDateTime>,
    pub eml_key: String,
    pub eml_sha256: String,
    pub eml_size: i64,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = incoming_emails)]
pub struct NewEmail<'a> {
    pub message_id: &'a str,
    pub from_address: &'a str,
    pub from_name: &'a str,
    pub subject: &'a str,
    pub sent_at: Option<NaiveDateTime>,
    pub received_at: NaiveDateTime,
    pub body_text: &'a str,
    pub quoted_text: &'a str,
    pub status: &'a str,
    pub automatic: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub case_id: Option<CaseId>,
    pub eml_key: &'a str,
    pub eml_sha256: &'a str,
    pub eml_size: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = incoming_email_files)]
pub struct EmailFileRow {
    pub id: EmailFileId,
    pub email_id: IncomingEmailId,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage_key: String,
    pub refused: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = incoming_email_files)]
pub struct NewEmailFile<'a> {
    pub email_id: IncomingEmailId,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub sha256: &'a str,
    pub storage_key: &'a str,
    pub refused: Option<&'a str>,
}

pub fn insert(conn: &mut DbConnection, new: &NewEmail<'_>) -> QueryResult<IncomingEmailId> {
    diesel::insert_into(incoming_emails::table)
        .values(new)
        .returning(incoming_emails::id)
        .get_result(conn)
}

pub fn insert_file(conn: &mut DbConnection, new: &NewEmailFile<'_>) -> QueryResult<EmailFileId> {
    diesel::insert_into(incoming_email_files::table)
        .values(new)
        .returning(incoming_email_files::id)
        .get_result(conn)
}

/// The status of the email stored under `message_id`, if it is stored.
pub fn status_of(conn: &mut DbConnection, message_id: &str) -> QueryResult<Option<String>> {
    incoming_emails::table
        .filter(incoming_emails::message_id.eq(message_id))
        .select(incoming_emails::status)
        .first_row(conn)
        .optional()
}

pub fn find(conn: &mut DbConnection, id: IncomingEmailId) -> QueryResult<Option<EmailRow>> {
    incoming_emails::table
        .find(id)
        .select(EmailRow::as_select())
        .first_row(conn)
        .optional()
}

pub fn count_with_message_id(conn: &mut DbConnection, message_id: &str) -> QueryResult<i64> {
    incoming_emails::table
        .filter(incoming_emails::message_id.eq(message_id))
        .count()
        .get_result(conn)
}

/// Emails in `statuses`, newest first, at most `limit`.
pub fn list(conn: &mut DbConnection, statuses: &[&str], limit: i64) -> QueryResult<Vec<EmailRow>> {
    incoming_emails::table
        .filter(incoming_emails::status.eq_any(statuses))
        .order((
            incoming_emails::received_at.desc(),
            incoming_emails::id.desc(),
        ))
        .limit(limit)
        .select(EmailRow::as_select())
        .load(conn)
}

pub fn count_by_status(conn: &mut DbConnection) -> QueryResult<Vec<(String, i64)>> {
    incoming_emails::table
        .group_by(incoming_emails::status)
        .select((incoming_emails::status, diesel::dsl::count_star()))
        .load(conn)
}

pub fn files(conn: &mut DbConnection, email: IncomingEmailId) -> QueryResult<Vec<EmailFileRow>> {
    incoming_email_files::table
        .filter(incoming_email_files::email_id.eq(email))
        .order(incoming_email_files::id.asc())
        .select(EmailFileRow::as_select())
        .load(conn)
}

pub fn find_file(
    conn: &mut DbConnection,
    email: IncomingEmailId,
    file: EmailFileId,
) -> QueryResult<Option<EmailFileRow>> {
    incoming_email_files::table
        .find(file)
        .filter(incoming_email_files::email_id.eq(email))
        .select(EmailFileRow::as_select())
        .first_row(conn)
        .optional()
}

/// What an officer did with an email on the Emails page.
pub struct Settlement<'a> {
    /// `FILED` or `DISCARDED`.
    pub status: &'a str,
    pub case_id: Option<CaseId>,
    pub reason: Option<&'a str>,
    pub by: UserId,
    pub at: NaiveDateTime,
}

/// Moves an email that is still `expected` on as `settlement` says; 0 rows when it was no
/// longer `expected` (another officer got there first).
pub fn settle(
    conn: &mut DbConnection,
    id: IncomingEmailId,
    expected: &str,
    settlement: &Settlement<'_>,
) -> QueryResult<usize> {
    diesel::update(
        incoming_emails::table
            .find(id)
            .filter(incoming_emails::status.eq(expected)),
    )
    .set((
        incoming_emails::status.eq(settlement.status),
        incoming_emails::case_id.eq(settlement.case_id),
        incoming_emails::reason.eq(settlement.reason),
        incoming_emails::handled_by.eq(Some(settlement.by)),
        incoming_emails::handled_at.eq(Some(settlement.at)),
    ))
    .execute(conn)
}

/// A worker's hold on one message in the mailbox while it fetches, stores and moves it, so
/// two workers do not both move it (a server may then copy it twice). PostgreSQL: a
/// session advisory lock, not waited for (`false`: another worker holds it, skip the
/// message). SQLite serves one instance, whose one worker needs no hold: always `true`.
pub fn try_hold(conn: &mut DbConnection, key: &str) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct Held {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        held: bool,
    }
    match conn {
        DbConnection::Pg(_) => {
            diesel::sql_query("SELECT pg_try_advisory_lock(hashtext($1)) AS held")
                .bind::<diesel::sql_types::Text, _>(key)
                .get_result::<Held>(conn)
                .map(|h| h.held)
        }
        DbConnection::Sqlite(_) => Ok(true),
    }
}

/// Lets go of [`try_hold`]'s hold.
pub fn release(conn: &mut DbConnection, key: &str) -> QueryResult<()> {
    if let DbConnection::Pg(_) = conn {
        diesel::sql_query("SELECT pg_advisory_unlock(hashtext($1))")
            .bind::<diesel::sql_types::Text, _>(key)
            .execute(conn)?;
    }
    Ok(())
}
