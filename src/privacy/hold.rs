//! Legal holds (issue 30): an officer keeps a case's personal data past its retention
//! period while litigation, a claim or an inquiry needs it, and lifts the hold when it
//! ends; each with a reason, on the timeline and in the audit log.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::cases::transition::ActingUser;
use crate::db::audit::{self, AuditEntry};
use crate::db::case_events::{self, Actor};
use crate::db::cases::CaseRow;
use crate::db::privacy;
use crate::db::DbConnection;
use crate::domain::CaseEvent;

#[derive(Debug, thiserror::Error)]
pub enum HoldError {
    /// Someone else placed or lifted the hold since the form was shown.
    #[error("changed by someone else")]
    Stale,
    /// Not with the case as it stands: why, in words.
    #[error("{0}")]
    NotNow(&'static str),
    #[error("database error: {0}")]
    Database(#[from] diesel::result::Error),
}

/// The hold as it stands: the reason when there is one, and the version a form carries.
pub struct Standing {
    pub reason: Option<String>,
    pub held_at: Option<NaiveDateTime>,
    pub anonymised_at: Option<NaiveDateTime>,
    pub version: i32,
}

pub fn standing(conn: &mut DbConnection, case: &CaseRow) -> QueryResult<Standing> {
    Ok(Standing::of(privacy::find(conn, case.id)?))
}

impl Standing {
    /// The standing of a case whose privacy row (if any) was read with it.
    pub fn of(row: Option<privacy::PrivacyRow>) -> Standing {
        match row {
            Some(row) => Standing {
                reason: row.legal_hold_reason,
                held_at: row.legal_hold_at,
                anonymised_at: row.anonymised_at,
                version: row.version,
            },
            None => Standing {
                reason: None,
                held_at: None,
                anonymised_at: None,
                version: 1,
            },
        }
    }
}

/// Places a hold on `case` (when `place`) or lifts it, for `reason`, if the hold is still at
/// `seen_version`.
pub fn set(
    conn: &mut DbConnection,
    case: &CaseRow,
    place: bool,
    reason: &str,
    seen_version: i32,
    actor: &ActingUser<'_>,
    now: NaiveDateTime,
) -> Result<(), HoldError> {
    conn.transaction(|conn| {
        let now_standing = standing(conn, case)?;
        if now_standing.version != seen_version {
            return Err(HoldError::Stale);
        }
        if now_standing.anonymised_at.is_some() {
            return Err(HoldError::NotNow(
                "This case's personal data has already been removed",
            ));
        }
        match (place, now_standing.reason.is_some()) {
            (true, true) => {
                return Err(HoldError::NotNow("This case is already under a legal hold"))
            }
            (false, false) => return Err(HoldError::NotNow("This case is not under a legal hold")),
            _ => {}
        }
        let written = privacy::set_hold(
            conn,
            case.id,
            place.then_some(reason),
            actor.id,
            now,
            seen_version,
        )?;
        if written == 0 {
            return Err(HoldError::Stale);
        }
        let summary = if place {
            "Legal hold placed: the personal data is kept past its retention period"
        } else {
            "Legal hold lifted"
        };
        case_events::append(
            conn,
            case.id,
            &CaseEvent::Privacy {
                summary: summary.to_string(),
                reason: reason.to_string(),
            },
            crate::clock::london_date_of(now),
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
                if place {
                    "legal_hold_placed"
                } else {
                    "legal_hold_lifted"
                },
                format!("case:{}", case.reference),
                "reason recorded on the timeline",
                actor.ip,
            ),
        )?;
        Ok(())
    })
}
