//! The audit log: who did what to which record, and when. Append-only.

use chrono::NaiveDateTime;
use diesel::prelude::*;

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
