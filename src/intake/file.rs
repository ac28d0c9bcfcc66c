//! Filing one message from the complaints mailbox, in one transaction: the original kept as
//! evidence, the files sent with it kept through the upload content checks, and then
//! - a reply whose subject carries an open case's reference goes on that case's timeline
//!   ("Email received from …") and its officer and assignee are emailed through the outbox;
//! - a message sent by a machine is marked and kept apart, never offered as a complaint;
//! - an unreadable or oversized message is quarantined with the reason;
//! - anything else waits on the officers' Emails page.
//!
//! A message already stored under its Message-ID is not stored again: the mailbox worker
//! only moves it (it was stored before a crash, or by another worker).

use std::path::Path;

use chrono::NaiveDateTime;

use super::message::{self, Parsed};
use crate::attachments::{self, store, Stored, UploadError};
use crate::config::Settings;
use crate::db::audit::{self, AuditEntry};
use crate::db::case_events::{self, Actor};
use crate::db::cases::{self, CaseRow};
use crate::db::conn::locked_transaction;
use crate::db::incoming_emails::{self as table, NewEmail, NewEmailFile};
use crate::db::DbConnection;
use crate::domain::{CaseEvent, IncomingEmailId};
use crate::mail::links::Links;
use crate::mail::notify;

/// Who the timeline and the audit log say did the filing.
pub const MAILBOX: &str = "complaints mailbox";

/// What became of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filed {
    /// Stored now with this status (`db::incoming_emails::FILED`, `AWAITING`, …).
    Stored {
        id: IncomingEmailId,
        status: &'static str,
    },
    /// Stored before (same Message-ID): nothing new is written.
    AlreadyStored { status: String },
}

impl Filed {
    /// Whether the message belongs in the mailbox's quarantine folder.
    pub fn quarantined(&self) -> bool {
        match self {
            Filed::Stored { status, .. } => *status == table::QUARANTINED,
            Filed::AlreadyStored { status } => status == table::QUARANTINED,
        }
    }
}

/// Files the message `raw` received at `now`.
pub fn file_message(
    conn: &mut DbConnection,
    settings: &Settings,
    raw: &[u8],
    now: NaiveDateTime,
) -> anyhow::Result<Filed> {
    let parsed = message::parse(raw, settings.intake.max_message_bytes);
    let message_id = parsed.message_id().to_string();
    if let Some(status) = table::status_of(conn, &message_id)? {
        return Ok(Filed::AlreadyStored { status });
    }
    let data_dir = settings.storage.data_dir.as_path();
    let original = store::keep_original_email(data_dir, raw)?;
    let files: Vec<(String, Result<Stored, UploadError>)> = match &parsed {
        Parsed::Email(email) => email
            .attachments
            .iter()
            .map(|a| {
                let kept = store::keep_bytes(data_dir, &a.bytes, settings.storage.max_upload_bytes);
                (a.name.clone(), kept)
            })
            .collect(),
        Parsed::Unreadable(_) => Vec::new(),
    };
    let links = Links::from_settings(settings);
    let lock = format!("incoming_email:{message_id}");
    let result = locked_transaction(conn, &[&lock], |conn| {
        // Checked again under the lock: another worker may have stored it meanwhile.
        if let Some(status) = table::status_of(conn, &message_id)? {
            return Ok(Filed::AlreadyStored { status });
        }
        store_row(conn, &parsed, &original, &files, &links, now)
    });
    if !matches!(result, Ok(Filed::Stored { .. })) {
        let kept = files.iter().filter_map(|(_, f)| f.as_ref().ok());
        remove_files(data_dir, std::iter::once(&original).chain(kept));
    }
    result
}

fn remove_files<'a>(data_dir: &Path, files: impl Iterator<Item = &'a Stored>) {
    for file in files {
        if let Err(e) = store::remove(data_dir, &file.storage_key) {
            tracing::warn!("intake: could not remove {}: {e}", file.storage_key);
        }
    }
}

/// Where a readable, person-written message goes: the open case its subject names.
fn open_case_named(
    conn: &mut DbConnection,
    email: &message::IncomingEmail,
) -> diesel::QueryResult<Option<CaseRow>> {
    let Some(reference) = email.subject_reference() else {
        return Ok(None);
    };
    Ok(cases::find_by_reference(conn, &reference.to_string())?.filter(|c| c.status.is_open()))
}

fn store_row(
    conn: &mut DbConnection,
    parsed: &Parsed,
    original: &Stored,
    files: &[(String, Result<Stored, UploadError>)],
    links: &Links,
    now: NaiveDateTime,
) -> anyhow::Result<Filed> {
    let (status, case, new) = match parsed {
        Parsed::Unreadable(u) => (
            table::QUARANTINED,
            None,
            NewEmail {
                message_id: &u.message_id,
                from_address: &u.from_address,
                from_name: "",
                subject: &u.subject,
                sent_at: None,
                received_at: now,
                body_text: "",
                quoted_text: "",
                status: table::QUARANTINED,
                automatic: None,
                reason: Some(&u.reason),
                case_id: None,
                eml_key: &original.storage_key,
                eml_sha256: &original.sha256,
                eml_size: original.size as i64,
            },
        ),
        Parsed::Email(email) => {
            let case = match email.automatic {
                Some(_) => None,
                None => open_case_named(conn, email)?,
            };
            let status = match (email.automatic, &case) {
                (Some(_), _) => table::AUTOMATIC,
                (None, Some(_)) => table::FILED,
                (None, None) => table::AWAITING,
            };
            (
                status,
                case.clone(),
                NewEmail {
                    message_id: &email.message_id,
                    from_address: &email.from_address,
                    from_name: &email.from_name,
                    subject: &email.subject,
                    sent_at: email.sent_at,
                    received_at: now,
                    body_text: &email.text,
                    quoted_text: &email.quoted,
                    status,
                    automatic: email.automatic.map(|a| a.as_str()),
                    reason: None,
                    case_id: case.as_ref().map(|c| c.id),
                    eml_key: &original.storage_key,
                    eml_sha256: &original.sha256,
                    eml_size: original.size as i64,
                },
            )
        }
    };
    let id = table::insert(conn, &new)?;
    for (name, kept) in files {
        let file = match kept {
            Ok(stored) => NewEmailFile {
                email_id: id,
                file_name: &attachments::safe_file_name(name, stored.kind),
                content_type: stored.kind.mime,
                size_bytes: stored.size as i64,
                sha256: &stored.sha256,
                storage_key: &stored.storage_key,
                refused: None,
            },
            Err(why) => NewEmailFile {
                email_id: id,
                file_name: &attachments::safe_name(name),
                content_type: "",
                size_bytes: 0,
                sha256: "",
                storage_key: "",
                refused: Some(&refusal(why)),
            },
        };
        table::insert_file(conn, &file)?;
    }
    if let (Some(case), Parsed::Email(email)) = (&case, parsed) {
        let on_case = EmailOnCase {
            id,
            from: email.sender(),
            subject: &email.subject,
            text: &email.text,
        };
        add_to_timeline(
            conn,
            case,
            &on_case,
            &Actor {
                id: None,
                label: MAILBOX,
            },
            now,
        )?;
        notify::email_received(conn, links, case, now)?;
    }
    audit::record(
        conn,
        &AuditEntry::new(
            None,
            MAILBOX,
            "email_stored",
            format!("incoming_email:{id}"),
            match &case {
                Some(case) => format!("status={status} case:{}", case.reference),
                None => format!("status={status}"),
            },
            None,
        ),
    )?;
    Ok(Filed::Stored { id, status })
}

/// What the timeline keeps of an email.
pub struct EmailOnCase<'a> {
    pub id: IncomingEmailId,
    pub from: String,
    pub subject: &'a str,
    pub text: &'a str,
}

/// Puts an email on a case's timeline, as the mailbox or as the officer who attached it.
pub fn add_to_timeline(
    conn: &mut DbConnection,
    case: &CaseRow,
    email: &EmailOnCase<'_>,
    actor: &Actor<'_>,
    now: NaiveDateTime,
) -> diesel::QueryResult<usize> {
    case_events::append(
        conn,
        case.id,
        &CaseEvent::EmailReceived {
            email: email.id,
            from: email.from.clone(),
            subject: email.subject.to_string(),
            text: email.text.to_string(),
        },
        crate::clock::london_date_of(now),
        actor,
        now,
    )
}

/// Why a file sent with an email was not kept, in words for the Emails page.
fn refusal(why: &UploadError) -> String {
    match why {
        UploadError::Empty => "Not kept: the file is empty".into(),
        UploadError::TooLarge { limit } => format!(
            "Not kept: the file is larger than {}",
            attachments::human_size(*limit)
        ),
        UploadError::NotAccepted => {
            "Not kept: not a kind of file Redress accepts as evidence".into()
        }
        UploadError::Io(_) => "Not kept: it could not be stored".into(),
    }
}
