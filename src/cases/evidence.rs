//! Evidence on a case: recording a kept file (its row, a timeline entry and an audit entry,
//! in one transaction) and auditing each download. Adding evidence is not a state
//! transition: it changes nothing the domain decides, so it does not bump the case's version
//! (a form someone else has open stays valid).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::attachments::Stored;
use crate::cases::transition::ActingUser;
use crate::db::attachments::{self, AttachmentRow, NewAttachment};
use crate::db::audit::{self, AuditEntry};
use crate::db::case_events::{self, Actor};
use crate::db::cases::CaseRow;
use crate::db::DbConnection;
use crate::domain::CaseEvent;

/// Records a file already kept in storage as evidence on `case`.
pub fn record_upload(
    conn: &mut DbConnection,
    case: &CaseRow,
    stored: &Stored,
    file_name: &str,
    actor: &ActingUser<'_>,
    now: NaiveDateTime,
) -> QueryResult<AttachmentRow> {
    let size_bytes = i32::try_from(stored.size)
        .map_err(|_| diesel::result::Error::SerializationError("file too large".into()))?;
    conn.transaction(|conn| {
        let row = attachments::insert(
            conn,
            &NewAttachment {
                case_id: case.id,
                file_name,
                content_type: stored.kind.mime,
                size_bytes,
                sha256: &stored.sha256,
                storage_key: &stored.storage_key,
                uploaded_by: actor.id,
                uploaded_at: now,
            },
        )?;
        let event = CaseEvent::EvidenceAdded {
            attachment: row.id,
            file_name: row.file_name.clone(),
        };
        case_events::append(
            conn,
            case.id,
            &event,
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
                "attachment_uploaded",
                format!("case:{}", case.reference),
                describe(&row),
                actor.ip,
            ),
        )?;
        Ok(row)
    })
}

/// Audits that `actor` downloaded `attachment` of `case`.
pub fn record_download(
    conn: &mut DbConnection,
    case: &CaseRow,
    attachment: &AttachmentRow,
    actor: &ActingUser<'_>,
) -> QueryResult<()> {
    audit::record(
        conn,
        &AuditEntry::new(
            Some(actor.id),
            actor.label,
            "attachment_downloaded",
            format!("case:{}", case.reference),
            describe(attachment),
            actor.ip,
        ),
    )
    .map(|_| ())
}

fn describe(row: &AttachmentRow) -> String {
    format!(
        "attachment {} ({}, {} bytes, sha256 {})",
        row.id, row.content_type, row.size_bytes, row.sha256
    )
}
