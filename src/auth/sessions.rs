//! Ending sessions (issue 17, finding 1). A session is valid only while the generation in
//! its cookie equals the user's `session_generation`; these use-cases bump the column and
//! audit why, in one transaction. Signing out therefore ends the user's sessions on every
//! device, not only the cookie in this browser: a copied cookie must stop working.

use diesel::Connection;

use crate::db::audit::{self, AuditEntry};
use crate::db::{users, DbConnection};
use crate::domain::UserId;

/// Who asked, for the audit entry.
pub struct Actor<'a> {
    pub id: UserId,
    pub label: String,
    pub ip: &'a str,
}

/// `POST /logout`: ends every session of the signed-in user.
pub fn sign_out(conn: &mut DbConnection, actor: &Actor<'_>) -> diesel::QueryResult<()> {
    end_and_audit(conn, actor, actor.id, "sign_out")
}

/// An administrator's "Sign out everywhere" for `target`.
pub fn sign_out_everywhere(
    conn: &mut DbConnection,
    actor: &Actor<'_>,
    target: UserId,
) -> diesel::QueryResult<()> {
    end_and_audit(conn, actor, target, "user_signed_out_everywhere")
}

fn end_and_audit(
    conn: &mut DbConnection,
    actor: &Actor<'_>,
    target: UserId,
    action: &str,
) -> diesel::QueryResult<()> {
    conn.transaction(|conn| {
        users::end_sessions(conn, target)?;
        audit::record(
            conn,
            &AuditEntry::new(
                Some(actor.id),
                actor.label.clone(),
                action,
                format!("user:{target}"),
                "",
                Some(actor.ip),
            ),
        )?;
        Ok(())
    })
}
