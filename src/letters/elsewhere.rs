//! "Record a letter sent elsewhere": a clock-stopping letter (acknowledgement, response)
//! that went outside Redress — typed and posted by hand, emailed from a mailbox, or, where
//! the policy allows, said on the telephone — recorded with the date, how it went and a
//! copy kept (the typed text or note of the call, an uploaded file, or both). It records the
//! same transition as sending the letter from Redress, in one transaction with the copy.
//! Which methods complete which step is the policy profile's (`rules::methods`).

use chrono::{NaiveDate, NaiveDateTime};

use super::clock_stop::{self, Sending};
use super::kind::{LetterKind, Records};
use super::owed::stage_key;
use super::view::Details;
use crate::attachments::Stored;
use crate::cases::load::LoadedCase;
use crate::cases::transition::{self, ActingUser, CaseError, Rules};
use crate::cases::{decide, sent_methods};
use crate::db::attachments::{self, NewAttachment};
use crate::db::audit::{self, AuditEntry};
use crate::db::case_events::{self, Actor};
use crate::db::letters::{self as table, Elsewhere};
use crate::db::{decisions, DbConnection};
use crate::domain::case::ContactMethod;
use crate::domain::CaseEvent;
use crate::rules::methods::{SendMethod, SentStep};
use crate::rules::{PolicySet, Stage};

/// The longest typed copy kept, in characters.
pub const COPY_MAX: usize = 20_000;

/// An uploaded copy already kept in storage (through the upload's content checks).
pub struct KeptFile {
    pub stored: Stored,
    /// The uploaded name, made safe.
    pub file_name: String,
}

/// What the user records.
pub struct ElsewhereCommand {
    pub kind: LetterKind,
    pub on: NaiveDate,
    pub method: ContactMethod,
    /// The text sent, or the note of the call; may be empty when a file is kept.
    pub copy_text: String,
    pub copy_file: Option<KeptFile>,
    /// An acknowledgement's complaint definition (points and outcome sought).
    pub details: Details,
    pub seen_case_version: i32,
}

#[derive(Debug, thiserror::Error)]
pub enum ElsewhereError {
    /// Something given is not acceptable: the message goes beside the field.
    #[error("{1}")]
    Field(&'static str, String),
    #[error(transparent)]
    Case(#[from] CaseError),
}

impl From<diesel::result::Error> for ElsewhereError {
    fn from(e: diesel::result::Error) -> ElsewhereError {
        ElsewhereError::Case(CaseError::Database(e))
    }
}

/// The step a letter of `kind` completes, if it completes one this way.
pub fn step_of(kind: LetterKind) -> Option<SentStep> {
    match kind.records() {
        Records::Acknowledgement => Some(SentStep::Acknowledge),
        Records::Response => Some(SentStep::Respond),
        Records::ExtensionNotified => Some(SentStep::NotifyExtension),
        Records::Decline | Records::RestrictionNotice | Records::Notice => None,
    }
}

/// Whether a letter of `kind` may be recorded as sent elsewhere: the clock-stopping letters,
/// and the refusal, progress update and action completed letters, which record only that
/// the resident was told.
pub fn recordable(kind: LetterKind) -> bool {
    step_of(kind).is_some() || kind.records() == Records::Notice
}

/// How a refusal, update or action-completed letter may reach the resident outside Redress:
/// a refusal is explained in writing (Code 2.4); an update may also be given by telephone,
/// with a note of the call.
fn notice_methods(kind: LetterKind) -> Vec<ContactMethod> {
    match kind {
        LetterKind::ProgressUpdate => vec![
            ContactMethod::Letter,
            ContactMethod::Email,
            ContactMethod::Phone,
        ],
        _ => vec![ContactMethod::Letter, ContactMethod::Email],
    }
}

fn contact_method(method: SendMethod) -> ContactMethod {
    match method {
        SendMethod::Letter => ContactMethod::Letter,
        SendMethod::Email => ContactMethod::Email,
        SendMethod::Phone => ContactMethod::Phone,
    }
}

/// The ways the case's policy lets a letter of `kind` reach the resident at `stage`.
pub fn methods(
    policies: &PolicySet,
    policy: &str,
    stage: Option<Stage>,
    kind: LetterKind,
) -> Vec<ContactMethod> {
    if kind.records() == Records::Notice {
        return notice_methods(kind);
    }
    let (Some(profile), Some(stage), Some(step)) = (policies.get(policy), stage, step_of(kind))
    else {
        return Vec::new();
    };
    profile
        .methods(stage, step)
        .into_iter()
        .map(contact_method)
        .collect()
}

/// Records the letter as sent elsewhere; gives back the letter's id. Nothing is written
/// when any part is refused.
pub fn record(
    conn: &mut DbConnection,
    case: &LoadedCase,
    command: ElsewhereCommand,
    actor: &ActingUser<'_>,
    rules: &Rules<'_>,
    now: NaiveDateTime,
) -> Result<i32, ElsewhereError> {
    let kind = command.kind;
    if !recordable(kind) {
        return Err(CaseError::Invalid(format!(
            "A {} letter cannot be recorded as sent elsewhere",
            kind.label().to_lowercase()
        ))
        .into());
    }
    if let Some(step) = step_of(kind) {
        if let Some(why) = sent_methods::refused(case, rules, step, command.method) {
            return Err(ElsewhereError::Field("method", why));
        }
    }
    if kind.records() == Records::Notice && !notice_methods(kind).contains(&command.method) {
        return Err(ElsewhereError::Field(
            "method",
            format!(
                "A {} is in writing: select letter or email",
                kind.label().to_lowercase()
            ),
        ));
    }
    let text = command.copy_text.trim().to_string();
    if command.method == ContactMethod::Phone && text.is_empty() {
        return Err(ElsewhereError::Field(
            "copy-text",
            "Enter a note of the call: what the resident was told".into(),
        ));
    }
    if text.is_empty() && command.copy_file.is_none() {
        return Err(ElsewhereError::Field(
            "copy-text",
            "Enter the text of what was sent, or upload a copy".into(),
        ));
    }
    let decision = match kind.records() {
        Records::Response => {
            let stage = decide::current_stage(case)?;
            if let Some(first) = decide::send_problems(conn, case, stage)?.into_iter().next() {
                return Err(CaseError::Invalid(first).into());
            }
            decisions::find(conn, case.row.id, stage)?
        }
        _ => None,
    };
    let key = stage_key(kind, case.state.stage);
    let sending = Sending {
        on: command.on,
        method: command.method,
        elsewhere: true,
    };
    let mut details = command.details;
    details.completed_actions = super::send::reports(conn, case, kind)?;
    let details_json = details.to_json();
    let file = command.copy_file;
    let (actor_id, actor_label, actor_ip) = (
        actor.id,
        actor.label.to_string(),
        actor.ip.map(str::to_string),
    );
    let reference = case.row.reference.clone();
    transition::apply(
        conn,
        case.row.id,
        command.seen_case_version,
        actor,
        rules,
        now,
        move |loaded| {
            let mut decided = if kind.records() == Records::Notice {
                // Only that the resident was told: nothing else on the case changes.
                transition::Decided::new(
                    loaded.state.clone(),
                    clock_stop::sent_event(kind, sending),
                    sending.on,
                )
            } else {
                clock_stop::decide(loaded, kind, sending, &details, decision, rules, now)
                    .unwrap_or_else(|| {
                        Err(CaseError::Invalid("Not a clock-stopping letter".into()))
                    })?
            };
            decided.audit_detail = format!(
                "{} recorded as sent elsewhere by {}",
                kind.label(),
                sending.method.label().to_lowercase()
            );
            let previous = decided.also.take();
            decided.also = Some(Box::new(move |conn, case_id| {
                if let Some(previous) = previous {
                    previous(conn, case_id)?;
                }
                let actor = Actor {
                    id: Some(actor_id),
                    label: &actor_label,
                };
                let attachment = match &file {
                    Some(file) => {
                        let size_bytes = i32::try_from(file.stored.size).map_err(|_| {
                            diesel::result::Error::SerializationError("file too large".into())
                        })?;
                        let row = attachments::insert(
                            conn,
                            &NewAttachment {
                                case_id,
                                file_name: &file.file_name,
                                content_type: file.stored.kind.mime,
                                size_bytes,
                                sha256: &file.stored.sha256,
                                storage_key: &file.stored.storage_key,
                                uploaded_by: actor_id,
                                uploaded_at: now,
                            },
                        )?;
                        case_events::append(
                            conn,
                            case_id,
                            &CaseEvent::EvidenceAdded {
                                attachment: row.id,
                                file_name: row.file_name.clone(),
                            },
                            sending.on,
                            &actor,
                            now,
                        )?;
                        Some(row.id.0)
                    }
                    None => None,
                };
                let id = table::record_elsewhere(
                    conn,
                    &Elsewhere {
                        case_id,
                        kind: kind.as_str(),
                        stage: &key,
                        method: sending.method.as_str(),
                        text: &text,
                        details: &details_json,
                        attachment,
                        sent_on: sending.on,
                        by: actor_id,
                        now,
                    },
                )?;
                audit::record(
                    conn,
                    &AuditEntry::new(
                        Some(actor_id),
                        actor_label.clone(),
                        "letter_sent_elsewhere",
                        format!("case:{reference}"),
                        format!(
                            "letter {id}: {} by {}, copy kept{}",
                            kind.as_str(),
                            sending.method.as_str(),
                            attachment
                                .map(|a| format!(" as attachment {a}"))
                                .unwrap_or_default()
                        ),
                        actor_ip.as_deref(),
                    ),
                )?;
                Ok(())
            }));
            Ok(decided)
        },
    )?;
    Ok(table::latest_sent(conn, case.row.id, kind.as_str())?.unwrap_or(0))
}
