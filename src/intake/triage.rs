//! What an officer does with an email on the Emails page (issue 28): attach it to a case
//! by reference, discard it with a reason, or log a case from it. Each is one transaction
//! that moves the email on only from the state it was seen in (two officers cannot both
//! act on it) and is audited.

use chrono::NaiveDateTime;
use diesel::Connection;

use super::file::{add_to_timeline, EmailOnCase};
use super::message::sender_label;
use crate::cases::transition::ActingUser;
use crate::db::audit::{self, AuditEntry};
use crate::db::case_events::Actor;
use crate::db::cases;
use crate::db::incoming_emails::{self as table, EmailRow, Settlement};
use crate::db::DbConnection;
use crate::domain::{CaseId, CaseReference, IncomingEmailId};

#[derive(Debug, thiserror::Error)]
pub enum TriageError {
    #[error("There is no such email")]
    NotFound,
    /// Someone else filed or discarded it first.
    #[error("This email has already been dealt with")]
    AlreadyHandled,
    #[error("There is no case {0}")]
    NoSuchCase(String),
    #[error("Case {0} is closed: reopen it first, or log a new case from the email")]
    CaseClosed(String),
    #[error("database error: {0}")]
    Database(#[from] diesel::result::Error),
}

/// The states an officer may act from: waiting, and (as an officer's judgement) the ones a
/// machine sent or that were quarantined.
pub fn may_act_on(status: &str) -> bool {
    matches!(
        status,
        table::AWAITING | table::AUTOMATIC | table::QUARANTINED
    )
}

fn load(conn: &mut DbConnection, id: IncomingEmailId) -> Result<EmailRow, TriageError> {
    let email = table::find(conn, id)?.ok_or(TriageError::NotFound)?;
    if !may_act_on(&email.status) {
        return Err(TriageError::AlreadyHandled);
    }
    Ok(email)
}

fn settle(
    conn: &mut DbConnection,
    email: &EmailRow,
    settlement: &Settlement<'_>,
) -> Result<(), TriageError> {
    match table::settle(conn, email.id, &email.status, settlement)? {
        1 => Ok(()),
        _ => Err(TriageError::AlreadyHandled),
    }
}

fn on_case(email: &EmailRow) -> EmailOnCase<'_> {
    EmailOnCase {
        id: email.id,
        from: sender_label(&email.from_name, &email.from_address),
        subject: &email.subject,
        text: &email.body_text,
    }
}

/// Adds the email to the open case `reference`'s timeline.
pub fn attach(
    conn: &mut DbConnection,
    id: IncomingEmailId,
    reference: &CaseReference,
    actor: &ActingUser<'_>,
    now: NaiveDateTime,
) -> Result<(), TriageError> {
    conn.transaction(|conn| {
        let email = load(conn, id)?;
        let text = reference.to_string();
        let case = cases::find_by_reference(conn, &text)?
            .ok_or_else(|| TriageError::NoSuchCase(text.clone()))?;
        if !case.status.is_open() {
            return Err(TriageError::CaseClosed(text));
        }
        settle(
            conn,
            &email,
            &Settlement {
                status: table::FILED,
                case_id: Some(case.id),
                reason: None,
                by: actor.id,
                at: now,
            },
        )?;
        add_to_timeline(
            conn,
            &case,
            &on_case(&email),
            &Actor {
                id: Some(actor.id),
                label: actor.label,
            },
            now,
        )?;
        audit::record(
            conn,
            &AuditEntry::new(
                Some(actor.id),
                actor.label,
                "email_attached",
                format!("incoming_email:{id}"),
                format!("case:{text}"),
                actor.ip,
            ),
        )?;
        Ok(())
    })
}

/// Sets the email aside for `reason` (kept, with who and when).
pub fn discard(
    conn: &mut DbConnection,
    id: IncomingEmailId,
    reason: &str,
    actor: &ActingUser<'_>,
    now: NaiveDateTime,
) -> Result<(), TriageError> {
    conn.transaction(|conn| {
        let email = load(conn, id)?;
        settle(
            conn,
            &email,
            &Settlement {
                status: table::DISCARDED,
                case_id: None,
                reason: Some(reason),
                by: actor.id,
                at: now,
            },
        )?;
        audit::record(
            conn,
            &AuditEntry::new(
                Some(actor.id),
                actor.label,
                "email_discarded",
                format!("incoming_email:{id}"),
                "reason recorded",
                actor.ip,
            ),
        )?;
        Ok(())
    })
}

/// Records that the case `case` was logged from the email (call it in the logging
/// transaction): the email is filed on it and starts its timeline.
pub fn case_logged_from(
    conn: &mut DbConnection,
    id: IncomingEmailId,
    case: CaseId,
    actor: &ActingUser<'_>,
    now: NaiveDateTime,
) -> Result<(), TriageError> {
    let email = load(conn, id)?;
    let row = cases::find(conn, case)?.ok_or(TriageError::NotFound)?;
    settle(
        conn,
        &email,
        &Settlement {
            status: table::FILED,
            case_id: Some(case),
            reason: None,
            by: actor.id,
            at: now,
        },
    )?;
    add_to_timeline(
        conn,
        &row,
        &on_case(&email),
        &Actor {
            id: Some(actor.id),
            label: actor.label,
        },
        now,
    )?;
    audit::record(
        conn,
        &AuditEntry::new(
            Some(actor.id),
            actor.label,
            "email_case_created",
            format!("incoming_email:{id}"),
            format!("case:{}", row.reference),
            actor.ip,
        ),
    )?;
    Ok(())
}
