//! The mail outbox table: queued messages, the claims workers hold on them, and what became
//! of each. Rows are written by `mail::outbox` inside the caller's transaction and moved on
//! by `mail::worker`; every state change after the claim names the lease owner, so a worker
//! whose claim was taken over changes nothing.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::outbox;
use super::DbConnection;
use crate::db::literal_limit::FirstRow;
use crate::domain::{CaseId, OutboxId};

pub const QUEUED: &str = "queued";
pub const SENDING: &str = "sending";
pub const SENT: &str = "sent";
pub const FAILED: &str = "failed";

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: OutboxId,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub message_id: String,
    pub case_id: Option<CaseId>,
    pub letter_id: Option<i32>,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub lease_owner: Option<String>,
    pub lease_expires_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = outbox)]
pub struct NewOutboxRow<'a> {
    pub kind: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: Option<&'a str>,
    pub message_id: &'a str,
    pub case_id: Option<CaseId>,
    pub letter_id: Option<i32>,
    pub status: &'a str,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, new: &NewOutboxRow<'_>) -> QueryResult<OutboxId> {
    diesel::insert_into(outbox::table)
        .values(new)
        .returning(outbox::id)
        .get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: OutboxId) -> QueryResult<Option<OutboxRow>> {
    outbox::table
        .find(id)
        .select(OutboxRow::as_select())
        .first_row(conn)
        .optional()
}

/// Rows a worker may claim at `now`: queued and due, or claimed by a worker whose lease has
/// run out (it crashed or hung).
#[diesel::dsl::auto_type(no_type_alias)]
fn claimable(now: NaiveDateTime) -> _ {
    // Literals: `auto_type` reads a constant here as a type.
    outbox::status
        .eq("queued")
        .or(outbox::status
            .eq("sending")
            .and(outbox::lease_expires_at.le(now).assume_not_null()))
        .and(outbox::next_attempt_at.le(now))
}

/// Claims up to `limit` due messages for `owner` until `lease_until`, atomically: on
/// PostgreSQL the rows are picked `FOR UPDATE SKIP LOCKED` and updated in one transaction,
/// so concurrent workers take different rows without waiting; on SQLite the pick and the
/// update run in an immediate transaction (it holds the one write lock throughout).
pub fn claim(
    conn: &mut DbConnection,
    owner: &str,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<OutboxRow>> {
    let changes = (
        outbox::status.eq(SENDING),
        outbox::lease_owner.eq(owner),
        outbox::lease_expires_at.eq(lease_until),
    );
    let picked = outbox::table
        .filter(claimable(now))
        .order((outbox::next_attempt_at.asc(), outbox::id.asc()))
        .limit(limit)
        .select(outbox::id);
    let take = |ids: Vec<OutboxId>| {
        diesel::update(outbox::table.filter(outbox::id.eq_any(ids))).set(changes)
    };
    let mut rows: Vec<OutboxRow> = match conn {
        DbConnection::Pg(pg) => pg.transaction(|pg| {
            let ids = picked.for_update().skip_locked().load(pg)?;
            take(ids)
                .returning(OutboxRow::as_returning())
                .get_results(pg)
        })?,
        DbConnection::Sqlite(sqlite) => sqlite.immediate_transaction(|sqlite| {
            let ids = picked.load(sqlite)?;
            take(ids)
                .returning(OutboxRow::as_returning())
                .get_results(sqlite)
        })?,
    };
    rows.sort_by_key(|r| (r.next_attempt_at, r.id));
    Ok(rows)
}

/// Extends `owner`'s lease just before sending. Zero rows means the claim was taken over
/// (or the message settled): the caller must not send.
pub fn renew_lease(
    conn: &mut DbConnection,
    id: OutboxId,
    owner: &str,
    lease_until: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(held_by(id, owner))
        .set(outbox::lease_expires_at.eq(lease_until))
        .execute(conn)
}

/// Hands back every message `owner` has claimed and not settled, due at once: a worker
/// stopping (SIGTERM) calls this so another instance sends them now, not when the lease
/// would have run out. Gives how many were released.
pub fn release_claims(conn: &mut DbConnection, owner: &str) -> QueryResult<usize> {
    diesel::update(
        outbox::table
            .filter(outbox::status.eq(SENDING))
            .filter(outbox::lease_owner.eq(owner)),
    )
    .set((
        outbox::status.eq(QUEUED),
        outbox::lease_owner.eq(None::<String>),
        outbox::lease_expires_at.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)
}

/// The row `id` while `owner` still holds its claim.
#[diesel::dsl::auto_type(no_type_alias)]
fn held_by<'a>(id: OutboxId, owner: &'a str) -> _ {
    outbox::table
        .filter(outbox::id.eq(id))
        .filter(outbox::status.eq("sending"))
        .filter(outbox::lease_owner.eq(owner))
}

/// Records delivery, in the same statement that checks the claim is still `owner`'s.
pub fn mark_sent(
    conn: &mut DbConnection,
    id: OutboxId,
    owner: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(held_by(id, owner))
        .set((
            outbox::status.eq(SENT),
            outbox::sent_at.eq(now),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::lease_owner.eq(None::<String>),
            outbox::lease_expires_at.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)
}

/// What to do after a failed attempt: try again at a time, or give up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    RetryAt(NaiveDateTime),
    GiveUp,
}

/// Records a failed attempt (releasing the claim), if `owner` still holds it.
pub fn mark_attempt_failed(
    conn: &mut DbConnection,
    id: OutboxId,
    owner: &str,
    error: &str,
    after: AfterFailure,
) -> QueryResult<usize> {
    let (status, next) = match after {
        AfterFailure::RetryAt(at) => (QUEUED, Some(at)),
        AfterFailure::GiveUp => (FAILED, None),
    };
    let release = (
        outbox::status.eq(status),
        outbox::attempts.eq(outbox::attempts + 1),
        outbox::last_error.eq(error),
        outbox::lease_owner.eq(None::<String>),
        outbox::lease_expires_at.eq(None::<NaiveDateTime>),
    );
    match next {
        Some(at) => diesel::update(held_by(id, owner))
            .set((release, outbox::next_attempt_at.eq(at)))
            .execute(conn),
        None => diesel::update(held_by(id, owner))
            .set(release)
            .execute(conn),
    }
}

/// Puts a failed message back in the queue for another full round of attempts.
pub fn requeue_failed(
    conn: &mut DbConnection,
    id: OutboxId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::status.eq(FAILED)),
    )
    .set((
        outbox::status.eq(QUEUED),
        outbox::attempts.eq(0),
        outbox::next_attempt_at.eq(now),
    ))
    .execute(conn)
}

/// Which messages a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// Waiting or being sent.
    Pending,
    Sent,
    Failed,
    All,
}

/// Newest first.
pub fn list(conn: &mut DbConnection, filter: Filter, limit: i64) -> QueryResult<Vec<OutboxRow>> {
    let mut query = outbox::table
        .select(OutboxRow::as_select())
        .order(outbox::id.desc())
        .limit(limit)
        .into_boxed();
    query = match filter {
        Filter::Pending => query.filter(outbox::status.eq_any([QUEUED, SENDING])),
        Filter::Sent => query.filter(outbox::status.eq(SENT)),
        Filter::Failed => query.filter(outbox::status.eq(FAILED)),
        Filter::All => query,
    };
    query.load(conn)
}

/// How many messages are in each status.
pub fn count_by_status(conn: &mut DbConnection) -> QueryResult<Vec<(String, i64)>> {
    outbox::table
        .group_by(outbox::status)
        .select((outbox::status, diesel::dsl::count_star()))
        .load(conn)
}

pub fn for_case(conn: &mut DbConnection, case: CaseId) -> QueryResult<Vec<OutboxRow>> {
    outbox::table
        .filter(outbox::case_id.eq(case))
        .order(outbox::id.asc())
        .select(OutboxRow::as_select())
        .load(conn)
}
