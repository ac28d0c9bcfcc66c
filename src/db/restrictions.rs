//! Contact restrictions on a case: proposed, then approved or declined by a director, and
//! ended when reviewed. A row is only ever written inside a case transition (so the case's
//! version orders every change); the row's own `version` lets a director's decision name the
//! exact proposal they read.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::contact_restrictions;
use super::DbConnection;
use crate::db::literal_limit::FirstRow;
use crate::db::one_of::one_of;
use crate::domain::{CaseId, UserId};

pub const PROPOSED: &str = "proposed";
pub const APPROVED: &str = "approved";
pub const DECLINED: &str = "declined";
pub const ENDED: &str = "ended";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = contact_restrictions)]
pub struct RestrictionRow {
    pub id: i32,
    pub case_id: CaseId,
    pub proposed_by_id: UserId,
    pub proposed_at: NaiveDateTime,
    pub what: String,
    pub reason: String,
    pub review_on: NaiveDate,
    pub status: String,
    pub decided_by_id: Option<UserId>,
    pub decided_at: Option<NaiveDateTime>,
    pub decline_reason: Option<String>,
    pub ended_by_id: Option<UserId>,
    pub ended_at: Option<NaiveDateTime>,
    pub end_reason: Option<String>,
    pub version: i32,
}

impl RestrictionRow {
    pub fn is_proposed(&self) -> bool {
        self.status == PROPOSED
    }

    pub fn is_approved(&self) -> bool {
        self.status == APPROVED
    }
}

/// A proposal as the officer or manager typed it.
pub struct NewRestriction {
    pub case_id: CaseId,
    pub proposed_by: UserId,
    pub what: String,
    pub reason: String,
    pub review_on: NaiveDate,
}

/// The case's proposed or approved restriction, if any (there is at most one: a partial
/// unique index says so).
pub fn live_for(conn: &mut DbConnection, case: CaseId) -> QueryResult<Option<RestrictionRow>> {
    contact_restrictions::table
        .filter(contact_restrictions::case_id.eq(case))
        .filter(one_of(contact_restrictions::status, [PROPOSED, APPROVED]))
        .select(RestrictionRow::as_select())
        .first_row(conn)
        .optional()
}

/// The approved restriction of the case, if any.
pub fn approved_for(conn: &mut DbConnection, case: CaseId) -> QueryResult<Option<RestrictionRow>> {
    Ok(live_for(conn, case)?.filter(RestrictionRow::is_approved))
}

pub fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<RestrictionRow>> {
    contact_restrictions::table
        .find(id)
        .select(RestrictionRow::as_select())
        .first_row(conn)
        .optional()
}

/// Every proposal waiting for a director, oldest first.
pub fn awaiting_approval(conn: &mut DbConnection) -> QueryResult<Vec<RestrictionRow>> {
    contact_restrictions::table
        .filter(contact_restrictions::status.eq(PROPOSED))
        .order((contact_restrictions::proposed_at, contact_restrictions::id))
        .select(RestrictionRow::as_select())
        .load(conn)
}

pub fn insert(
    conn: &mut DbConnection,
    new: &NewRestriction,
    now: NaiveDateTime,
) -> QueryResult<i32> {
    diesel::insert_into(contact_restrictions::table)
        .values((
            contact_restrictions::case_id.eq(new.case_id),
            contact_restrictions::proposed_by_id.eq(new.proposed_by),
            contact_restrictions::proposed_at.eq(now),
            contact_restrictions::what.eq(&new.what),
            contact_restrictions::reason.eq(&new.reason),
            contact_restrictions::review_on.eq(new.review_on),
            contact_restrictions::status.eq(PROPOSED),
            contact_restrictions::version.eq(1),
        ))
        .returning(contact_restrictions::id)
        .get_result(conn)
}

/// A director's decision on (or the end of) a restriction.
pub struct Decision<'a> {
    pub id: i32,
    /// The version the director read.
    pub seen_version: i32,
    pub from: &'a str,
    pub to: &'a str,
    pub by: UserId,
    /// Why it was declined or ended.
    pub reason: Option<&'a str>,
    pub now: NaiveDateTime,
}

/// Moves the restriction from `from` to `to` if it is still at the version read; the number
/// of rows changed (0 when someone else got there first).
pub fn decide(conn: &mut DbConnection, d: &Decision<'_>) -> QueryResult<usize> {
    let target = contact_restrictions::table
        .find(d.id)
        .filter(contact_restrictions::version.eq(d.seen_version))
        .filter(contact_restrictions::status.eq(d.from));
    let bump = contact_restrictions::version.eq(contact_restrictions::version + 1);
    if d.to == ENDED {
        // Ending keeps who approved it.
        diesel::update(target)
            .set((
                contact_restrictions::status.eq(d.to),
                contact_restrictions::ended_by_id.eq(d.by),
                contact_restrictions::ended_at.eq(d.now),
                contact_restrictions::end_reason.eq(d.reason),
                bump,
            ))
            .execute(conn)
    } else {
        diesel::update(target)
            .set((
                contact_restrictions::status.eq(d.to),
                contact_restrictions::decided_by_id.eq(d.by),
                contact_restrictions::decided_at.eq(d.now),
                contact_restrictions::decline_reason.eq(d.reason),
                bump,
            ))
            .execute(conn)
    }
}
