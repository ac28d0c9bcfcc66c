//! What the staff notifications read (whose cases are due, which deadlines were missed) and
//! the markers that make each scheduled email go once: one digest per user per day, one
//! alert per case per missed deadline.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{cases, digests_sent, missed_deadline_alerts, users};
use super::users::UserRow;
use super::DbConnection;
use crate::db::one_of::one_of;
use crate::domain::{CaseId, Status, UserId};

/// A case as a notification lists it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct DueCase {
    pub id: CaseId,
    pub reference: String,
    pub status: Status,
    pub due_on: NaiveDate,
}

fn open_statuses() -> Vec<Status> {
    Status::ALL
        .iter()
        .copied()
        .filter(|s| s.is_open())
        .collect()
}

/// Open cases `user` is assigned to or is case officer for, with a deadline on or before
/// `until`, soonest first.
pub fn due_for(
    conn: &mut DbConnection,
    user: UserId,
    until: NaiveDate,
) -> QueryResult<Vec<DueCase>> {
    cases::table
        .filter(one_of(cases::status, open_statuses()))
        .filter(cases::next_due_on.le(until))
        .filter(
            cases::assignee_id
                .eq(user)
                .or(cases::case_officer_id.eq(user)),
        )
        .order((cases::next_due_on.asc(), cases::reference.asc()))
        .select((
            cases::id,
            cases::reference,
            cases::status,
            cases::next_due_on.assume_not_null(),
        ))
        .load(conn)
}

/// Open cases whose next deadline is before `today`.
pub fn past_due(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<Vec<DueCase>> {
    cases::table
        .filter(one_of(cases::status, open_statuses()))
        .filter(cases::next_due_on.lt(today))
        .order((cases::next_due_on.asc(), cases::reference.asc()))
        .select((
            cases::id,
            cases::reference,
            cases::status,
            cases::next_due_on.assume_not_null(),
        ))
        .load(conn)
}

/// Active staff who want the daily digest.
pub fn digest_recipients(conn: &mut DbConnection) -> QueryResult<Vec<UserRow>> {
    users::table
        .filter(users::active.eq(true))
        .filter(users::notify_digest.eq(true))
        .order(users::id.asc())
        .select(UserRow::as_select())
        .load(conn)
}

/// Active officers (the complaints team) who want missed-deadline alerts.
pub fn missed_deadline_recipients(conn: &mut DbConnection) -> QueryResult<Vec<UserRow>> {
    users::table
        .filter(users::active.eq(true))
        .filter(users::notify_missed.eq(true))
        .filter(users::role.eq(crate::domain::Role::Officer.as_str()))
        .order(users::id.asc())
        .select(UserRow::as_select())
        .load(conn)
}

pub fn digest_sent(conn: &mut DbConnection, user: UserId, day: NaiveDate) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        digests_sent::table
            .filter(digests_sent::user_id.eq(user))
            .filter(digests_sent::day.eq(day)),
    ))
    .get_result(conn)
}

/// Marks `user`'s digest for `day` queued; a unique violation means another round got there.
pub fn mark_digest_sent(
    conn: &mut DbConnection,
    user: UserId,
    day: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(digests_sent::table)
        .values((
            digests_sent::user_id.eq(user),
            digests_sent::day.eq(day),
            digests_sent::queued_at.eq(now),
        ))
        .execute(conn)
}

pub fn alert_sent(conn: &mut DbConnection, case: CaseId, due_on: NaiveDate) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        missed_deadline_alerts::table
            .filter(missed_deadline_alerts::case_id.eq(case))
            .filter(missed_deadline_alerts::due_on.eq(due_on)),
    ))
    .get_result(conn)
}

pub fn mark_alert_sent(
    conn: &mut DbConnection,
    case: CaseId,
    due_on: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(missed_deadline_alerts::table)
        .values((
            missed_deadline_alerts::case_id.eq(case),
            missed_deadline_alerts::due_on.eq(due_on),
            missed_deadline_alerts::queued_at.eq(now),
        ))
        .execute(conn)
}
