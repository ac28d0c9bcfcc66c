//! The audit log: who did what to which record, and when. Append-only: nothing here (or
//! anywhere) updates or deletes a row, and triggers on both backends refuse it (issue 29).
//! The detail names records and fields (ids, references, field names), never what a
//! resident told us, so the log can be kept when cases are anonymised.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::conn::MultiBackend;
use super::schema::audit_log;
use super::DbConnection;
use crate::domain::UserId;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: i32,
    pub actor_id: Option<UserId>,
    pub actor_label: String,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub ip: Option<String>,
    pub at: NaiveDateTime,
}

/// One audited action. `target` names the record (`user:12`, `case:CMP-2026-000001`).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    pub actor_id: Option<UserId>,
    pub actor_label: String,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub ip: Option<String>,
    pub at: NaiveDateTime,
}

pub fn record(conn: &mut DbConnection, entry: &AuditEntry) -> QueryResult<usize> {
    diesel::insert_into(audit_log::table)
        .values(entry)
        .execute(conn)
}

pub fn for_target(conn: &mut DbConnection, target: &str) -> QueryResult<Vec<AuditRow>> {
    audit_log::table
        .filter(audit_log::target.eq(target))
        .order(audit_log::id.asc())
        .select(AuditRow::as_select())
        .load(conn)
}

pub fn latest(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<AuditRow>> {
    audit_log::table
        .order(audit_log::id.desc())
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)
}

/// Views of what only some may see: a confidential complainant's identity or property,
/// and vulnerability notes.
pub const RESTRICTED_VIEWS: [&str; 3] =
    [IDENTITY_VIEWED, PROPERTY_VIEWED, VULNERABILITY_NOTES_VIEWED];
/// The actions the identity gate (`cases::identity`) writes.
pub const IDENTITY_VIEWED: &str = "confidential_identity_viewed";
pub const PROPERTY_VIEWED: &str = "confidential_property_viewed";
pub const VULNERABILITY_NOTES_VIEWED: &str = "vulnerability_notes_viewed";
/// A page the governing body's read-only member opened (every view of theirs is audited).
pub const MEMBER_PAGE_VIEWED: &str = "member_page_viewed";

/// What the audit viewer asks for; every part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub actor: Option<UserId>,
    /// Any of these actions (none: any action).
    pub actions: Vec<String>,
    /// Exactly this target, e.g. `case:CMP-2026-000001`.
    pub target: Option<String>,
    /// At or after (UTC).
    pub from: Option<NaiveDateTime>,
    /// Before (UTC).
    pub before: Option<NaiveDateTime>,
}

type Filtered = audit_log::BoxedQuery<'static, MultiBackend>;

fn filtered(filter: &AuditFilter) -> Filtered {
    let mut query = audit_log::table.into_boxed();
    if let Some(actor) = filter.actor {
        query = query.filter(audit_log::actor_id.eq(actor));
    }
    if !filter.actions.is_empty() {
        query = query.filter(audit_log::action.eq_any(filter.actions.clone()));
    }
    if let Some(target) = &filter.target {
        query = query.filter(audit_log::target.eq(target.clone()));
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_log::at.ge(from));
    }
    if let Some(before) = filter.before {
        query = query.filter(audit_log::at.lt(before));
    }
    query
}

/// One page of matching entries, newest first, and how many match in all.
pub fn search(
    conn: &mut DbConnection,
    filter: &AuditFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<AuditRow>, i64)> {
    let total = filtered(filter).count().get_result(conn)?;
    let rows = filtered(filter)
        .order(audit_log::id.desc())
        .offset(offset)
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// The actions that appear in the log, for the viewer's choice of action.
pub fn distinct_actions(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    audit_log::table
        .select(audit_log::action)
        .distinct()
        .order(audit_log::action.asc())
        .load(conn)
}

pub fn count_action(conn: &mut DbConnection, action: &str) -> QueryResult<i64> {
    audit_log::table
        .filter(audit_log::action.eq(action))
        .count()
        .get_result(conn)
}

impl AuditEntry {
    /// An action by a known member of staff (or a sign-in attempt naming one).
    pub fn new(
        actor: Option<UserId>,
        actor_label: impl Into<String>,
        action: &str,
        target: impl Into<String>,
        detail: impl Into<String>,
        ip: Option<&str>,
    ) -> AuditEntry {
        AuditEntry {
            actor_id: actor,
            actor_label: actor_label.into(),
            action: action.to_string(),
            target: target.into(),
            detail: detail.into(),
            ip: ip.map(str::to_string),
            at: chrono::Utc::now().naive_utc(),
        }
    }
}
