//! Removing a case's personal data (issue 30): complainant and representative identity and
//! contact details, vulnerability notes, what the resident and staff wrote (notes, letters,
//! the description), email originals, evidence files, quarantined emails from the
//! complainant's address and outbox bodies. The reference, dates, stage, outcome, category,
//! area, timeliness facts and compensation amounts stay, so every report and the Tenant
//! Satisfaction Measures give the same figures before and after.

use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::audit::{self, AuditEntry};
use crate::db::case_events::{self, Actor};
use crate::db::privacy::{self, Removed};
use crate::db::DbConnection;
use crate::domain::{CaseEvent, CaseId, UserId};

/// Why the personal data goes.
#[derive(Debug, Clone)]
pub enum Why {
    /// The retention period ended on this day.
    Retention { ended_on: NaiveDate },
    /// The resident asked for erasure (UK GDPR Article 17), for the reason recorded.
    Request { reason: String },
}

/// Who removes it: the retention run, or a member of staff.
pub struct Remover<'a> {
    pub id: Option<UserId>,
    pub label: &'a str,
    pub ip: Option<&'a str>,
}

/// The label the retention run writes on the timeline and in the audit log.
pub const RETENTION_RUN: &str = "Retention run";

/// An event's stored JSON without personal data, and its new summary.
fn rewritten(detail: &str) -> Option<(String, String)> {
    let event: CaseEvent = serde_json::from_str(detail).ok()?;
    let clean = event.without_personal_data();
    Some((serde_json::to_string(&clean).ok()?, clean.summary()))
}

/// Removes the personal data of case `id` (reference `reference`) in one transaction,
/// writes the timeline line and one audit entry, then removes its files from `data_dir`.
pub fn anonymise(
    conn: &mut DbConnection,
    data_dir: &Path,
    id: CaseId,
    reference: &str,
    why: &Why,
    by: &Remover<'_>,
    now: NaiveDateTime,
) -> QueryResult<Removed> {
    let removed = conn.transaction(|conn| -> QueryResult<Removed> {
        let removed = privacy::remove_personal_data(conn, id, rewritten, now)?;
        let (summary, reason, detail) = match why {
            Why::Retention { ended_on } => (
                "Personal data removed: the retention period ended".to_string(),
                String::new(),
                format!("why=retention ended_on={ended_on}"),
            ),
            Why::Request { reason } => (
                "Personal data removed at the resident's request".to_string(),
                reason.clone(),
                "why=request (reason recorded on the timeline)".to_string(),
            ),
        };
        case_events::append(
            conn,
            id,
            &CaseEvent::Privacy { summary, reason },
            crate::clock::london_date_of(now),
            &Actor {
                id: by.id,
                label: by.label,
            },
            now,
        )?;
        audit::record(
            conn,
            &AuditEntry::new(
                by.id,
                by.label,
                "case_anonymised",
                format!("case:{reference}"),
                format!(
                    "{detail} notes={} letters={} files={} emails={} outbox={}",
                    removed.notes,
                    removed.letters,
                    removed.attachments,
                    removed.emails,
                    removed.outbox
                ),
                by.ip,
            ),
        )?;
        Ok(removed)
    })?;
    for key in &removed.storage_keys {
        if let Err(e) = crate::attachments::store::remove(data_dir, key) {
            if e.kind() != std::io::ErrorKind::NotFound {
                tracing::error!("anonymising {reference}: could not remove file {key}: {e}");
            }
        }
    }
    Ok(removed)
}
