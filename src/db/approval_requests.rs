//! Requests for a director's approval (issue 22): compensation offered in a decision and
//! proposed contact restrictions. A row is only written inside a case transition, so the
//! case's version orders every change; the row's own `version` lets a director's answer
//! name the exact request they read. Directors of an area are found here too, since they
//! are who a waiting request goes to.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{approval_requests, user_service_areas, users};
use super::users::UserRow;
use super::DbConnection;
use crate::db::literal_limit::FirstRow;
use crate::domain::{CaseId, Money, Role, ServiceAreaId, UserId};
use crate::rules::Stage;

pub const COMPENSATION: &str = "compensation";
pub const RESTRICTION: &str = "restriction";

pub const WAITING: &str = "waiting";
pub const APPROVED: &str = "approved";
pub const DECLINED: &str = "declined";
pub const RETURNED: &str = "returned";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = approval_requests)]
pub struct RequestRow {
    pub id: i32,
    pub case_id: CaseId,
    pub kind: String,
    pub stage: Stage,
    pub decision_id: Option<i32>,
    pub restriction_id: Option<i32>,
    pub requested_by_id: UserId,
    pub requested_at: NaiveDateTime,
    pub amount_pence: Option<i32>,
    pub what: String,
    pub reason: String,
    pub state: String,
    pub decided_by_id: Option<UserId>,
    pub decided_at: Option<NaiveDateTime>,
    pub comment: Option<String>,
    pub version: i32,
}

impl RequestRow {
    pub fn is_waiting(&self) -> bool {
        self.state == WAITING
    }

    pub fn is_compensation(&self) -> bool {
        self.kind == COMPENSATION
    }

    /// "compensation of £75.50" or "the proposed contact restriction", for a sentence.
    pub fn subject(&self) -> String {
        match self.amount_pence {
            Some(pence) if self.is_compensation() => {
                format!("compensation of {}", Money::from_pence(pence.into()))
            }
            _ => "the proposed contact restriction".to_string(),
        }
    }
}

/// What is asked for, as the drafter left it.
pub struct NewRequest<'a> {
    pub case_id: CaseId,
    pub kind: &'static str,
    pub stage: Stage,
    pub decision_id: Option<i32>,
    pub restriction_id: Option<i32>,
    pub requested_by: UserId,
    pub amount_pence: Option<i32>,
    pub what: &'a str,
    pub reason: &'a str,
}

/// Opens a waiting request, or (when one of this kind already waits on the case, e.g. the
/// decision was saved again with a new amount) rewrites it and bumps its version, so a
/// director who read the old one must read it again. Gives the request's id.
pub fn open(conn: &mut DbConnection, new: &NewRequest<'_>, now: NaiveDateTime) -> QueryResult<i32> {
    if let Some(existing) = waiting_for(conn, new.case_id, new.kind)? {
        diesel::update(approval_requests::table.find(existing.id))
            .set((
                approval_requests::stage.eq(new.stage),
                approval_requests::decision_id.eq(new.decision_id),
                approval_requests::restriction_id.eq(new.restriction_id),
                approval_requests::requested_by_id.eq(new.requested_by),
                approval_requests::amount_pence.eq(new.amount_pence),
                approval_requests::what.eq(new.what),
                approval_requests::reason.eq(new.reason),
                approval_requests::version.eq(approval_requests::version + 1),
            ))
            .execute(conn)?;
        return Ok(existing.id);
    }
    diesel::insert_into(approval_requests::table)
        .values((
            approval_requests::case_id.eq(new.case_id),
            approval_requests::kind.eq(new.kind),
            approval_requests::stage.eq(new.stage),
            approval_requests::decision_id.eq(new.decision_id),
            approval_requests::restriction_id.eq(new.restriction_id),
            approval_requests::requested_by_id.eq(new.requested_by),
            approval_requests::requested_at.eq(now),
            approval_requests::amount_pence.eq(new.amount_pence),
            approval_requests::what.eq(new.what),
            approval_requests::reason.eq(new.reason),
            approval_requests::state.eq(WAITING),
            approval_requests::version.eq(1),
        ))
        .returning(approval_requests::id)
        .get_result(conn)
}

/// The request of `kind` waiting on `case`, if any (at most one: a partial unique index).
pub fn waiting_for(
    conn: &mut DbConnection,
    case: CaseId,
    kind: &str,
) -> QueryResult<Option<RequestRow>> {
    approval_requests::table
        .filter(approval_requests::case_id.eq(case))
        .filter(approval_requests::kind.eq(kind))
        .filter(approval_requests::state.eq(WAITING))
        .select(RequestRow::as_select())
        .first_row(conn)
        .optional()
}

pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<RequestRow>> {
    approval_requests::table
        .find(id)
        .select(RequestRow::as_select())
        .first_row(conn)
        .optional()
}

/// Every waiting request, oldest first.
pub fn waiting(conn: &mut DbConnection) -> QueryResult<Vec<RequestRow>> {
    approval_requests::table
        .filter(approval_requests::state.eq(WAITING))
        .order((approval_requests::requested_at, approval_requests::id))
        .select(RequestRow::as_select())
        .load(conn)
}

/// The case's requests, newest first (the case page shows the latest answer).
pub fn for_case(conn: &mut DbConnection, case: CaseId) -> QueryResult<Vec<RequestRow>> {
    approval_requests::table
        .filter(approval_requests::case_id.eq(case))
        .order((
            approval_requests::requested_at.desc(),
            approval_requests::id.desc(),
        ))
        .select(RequestRow::as_select())
        .load(conn)
}

/// Withdraws a waiting request whose offer no longer needs approving (the drafter took the
/// compensation out): it is no longer asked for, so it leaves the list.
pub fn withdraw(conn: &mut DbConnection, id: i32) -> QueryResult<usize> {
    diesel::delete(
        approval_requests::table
            .find(id)
            .filter(approval_requests::state.eq(WAITING)),
    )
    .execute(conn)
}

/// A director's answer to a request they read at `seen_version`.
pub struct Answer<'a> {
    pub id: i32,
    pub seen_version: i32,
    pub to: &'a str,
    pub by: UserId,
    pub comment: Option<&'a str>,
    pub now: NaiveDateTime,
}

/// Answers the request if it still waits at the version read; the rows changed (0 when
/// someone else got there first or it changed meanwhile).
pub fn answer(conn: &mut DbConnection, a: &Answer<'_>) -> QueryResult<usize> {
    diesel::update(
        approval_requests::table
            .find(a.id)
            .filter(approval_requests::version.eq(a.seen_version))
            .filter(approval_requests::state.eq(WAITING)),
    )
    .set((
        approval_requests::state.eq(a.to),
        approval_requests::decided_by_id.eq(a.by),
        approval_requests::decided_at.eq(a.now),
        approval_requests::comment.eq(a.comment),
        approval_requests::version.eq(approval_requests::version + 1),
    ))
    .execute(conn)
}

/// Closes whatever of `kind` waits on `case` as answered by `by` (used when a director
/// answers from the case page's own forms rather than from `/approvals`).
pub fn close_waiting(
    conn: &mut DbConnection,
    case: CaseId,
    kind: &str,
    to: &str,
    by: UserId,
    comment: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        approval_requests::table
            .filter(approval_requests::case_id.eq(case))
            .filter(approval_requests::kind.eq(kind))
            .filter(approval_requests::state.eq(WAITING)),
    )
    .set((
        approval_requests::state.eq(to),
        approval_requests::decided_by_id.eq(by),
        approval_requests::decided_at.eq(now),
        approval_requests::comment.eq(comment),
        approval_requests::version.eq(approval_requests::version + 1),
    ))
    .execute(conn)
}

/// Active directors who belong to `area`: who a request waiting on a case there goes to.
pub fn directors_of(conn: &mut DbConnection, area: ServiceAreaId) -> QueryResult<Vec<UserRow>> {
    users::table
        .inner_join(user_service_areas::table.on(user_service_areas::user_id.eq(users::id)))
        .filter(user_service_areas::service_area_id.eq(area))
        .filter(users::active.eq(true))
        .filter(users::role.eq(Role::Director.as_str()))
        .order(users::id)
        .select(UserRow::as_select())
        .load(conn)
}
