//! Sending a letter: the content check, then — in ONE transaction through the case's
//! existing transition — the clock-stopping event the letter stands for (acknowledgement,
//! extension notified, decision/response sent, decline sent at triage) dated the send day
//! with its method, a "letter sent" timeline entry, the frozen letter (exact HTML and text,
//! recipient, channel) and, for email, its outbox row; a posted letter waits in the print
//! queue instead. Nothing is written when any part is refused.

use chrono::{NaiveDate, NaiveDateTime};

use super::checks::{self, Gap};
use super::clock_stop::{self, Sending};
use super::kind::{LetterKind, Records};
use super::owed::stage_key;
use super::recipient::Channel;
use super::render::{email_document, render, Rendered};
use super::view::{self, Details, LetterView};
use crate::cases::acknowledge::{MAX_POINTS, POINT_MAX};
use crate::cases::decide;
use crate::cases::load::LoadedCase;
use crate::cases::transition::{self, ActingUser, CaseError, Decided, Rules};
use crate::cases::triage::{self, TriageCommand};
use crate::db::audit::{self, AuditEntry};
use crate::db::letters::{self as table, Frozen, LetterWriteError};
use crate::db::{decisions, DbConnection};
use crate::domain::case::TriageDecision;
use crate::domain::{CaseEvent, Role};
use crate::mail::{self, Kind, NewMessage};

/// What the user asks to send.
pub struct SendCommand {
    pub kind: LetterKind,
    pub body: String,
    pub details: Details,
    /// The draft version the user edited (0: no stored draft).
    pub seen_letter_version: i32,
    /// The case version the user saw.
    pub seen_case_version: i32,
    /// The sender's role (only the complaints team sends to a confidential complainant).
    pub role: Role,
}

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The content check failed: what is missing (blocking gaps only).
    #[error("The letter is missing required content")]
    Missing(Vec<Gap>),
    /// The draft was saved or sent by someone else since the user opened it.
    #[error("This letter was changed by someone else after you opened it")]
    StaleLetter,
    /// The complainant is confidential: only the complaints team may see, and so fill in,
    /// where the letter goes.
    #[error("The complainant is confidential, so an officer adds the address and sends this letter. Save the draft and ask the complaints team to send it")]
    OfficerSends,
    #[error(transparent)]
    Case(#[from] CaseError),
    #[error("rendering: {0}")]
    Render(#[from] askama::Error),
}

impl From<diesel::result::Error> for SendError {
    fn from(e: diesel::result::Error) -> SendError {
        SendError::Case(CaseError::Database(e))
    }
}

/// The letter as it would go now: its view, what the content check found, and the rendering.
pub struct Prepared {
    pub view: LetterView,
    pub gaps: Vec<Gap>,
    pub rendered: Rendered,
}

pub fn prepare(
    conn: &mut DbConnection,
    case: &LoadedCase,
    kind: LetterKind,
    body: &str,
    details: &Details,
    cx: &view::Context<'_>,
) -> Result<Prepared, SendError> {
    let view = view::build(conn, case, kind, body, details, cx)?;
    let mut gaps = checks::gaps(&view);
    if kind.records() == Records::Acknowledgement {
        let points = details.point_lines();
        let mut points_gap = |text: String| {
            gaps.push(Gap {
                text,
                field: Some("points"),
                blocks: true,
            })
        };
        if points.len() > MAX_POINTS {
            points_gap(format!("No more than {MAX_POINTS} complaint points"));
        }
        if points.iter().any(|p| p.chars().count() > POINT_MAX) {
            points_gap("Complaint points of 1,000 characters or fewer".into());
        }
    }
    let rendered = render(&view)?;
    Ok(Prepared {
        view,
        gaps,
        rendered,
    })
}

/// The actions an action-completed letter reports, kept with it when it goes (empty for
/// the other kinds): those completed and not yet reported.
pub fn reports(
    conn: &mut DbConnection,
    case: &LoadedCase,
    kind: LetterKind,
) -> diesel::QueryResult<Vec<i32>> {
    if kind != LetterKind::ActionCompleted {
        return Ok(Vec::new());
    }
    Ok(super::completed::unreported(conn, case.row.id)?
        .into_iter()
        .map(|c| c.id)
        .collect())
}

/// Sends the letter; gives back the sent letter's id.
#[allow(clippy::too_many_arguments)]
pub fn send(
    conn: &mut DbConnection,
    case: &LoadedCase,
    command: SendCommand,
    actor: &ActingUser<'_>,
    rules: &Rules<'_>,
    cx: &view::Context<'_>,
    now: NaiveDateTime,
) -> Result<i32, SendError> {
    let kind = command.kind;
    if !crate::cases::identity::may_see(command.role, case.row.confidential) {
        return Err(SendError::OfficerSends);
    }
    let on: NaiveDate = cx.date;
    let mut command = command;
    command.details.completed_actions = reports(conn, case, kind)?;
    let prepared = prepare(conn, case, kind, &command.body, &command.details, cx)?;
    let blocking: Vec<Gap> = prepared.gaps.iter().filter(|g| g.blocks).cloned().collect();
    if !blocking.is_empty() {
        return Err(SendError::Missing(blocking));
    }
    let key = stage_key(kind, case.state.stage);
    // The draft the user edited must still be the stored one.
    let stored = table::draft_of(conn, case.row.id, kind.as_str(), &key)?;
    match (&stored, command.seen_letter_version) {
        (None, 0) => {}
        (Some(d), v) if d.version == v => {}
        _ => return Err(SendError::StaleLetter),
    }
    // The decision a response letter sends, as it stands now.
    let decision = match kind.records() {
        Records::Response => {
            let stage = decide::current_stage(case)?;
            let problems = decide::send_problems(conn, case, stage)?;
            if !problems.is_empty() {
                // The decision's gaps are put right in the decision, not in the letter.
                return Err(SendError::Missing(
                    problems
                        .into_iter()
                        .map(|text| Gap {
                            text,
                            field: None,
                            blocks: true,
                        })
                        .collect(),
                ));
            }
            decisions::find(conn, case.row.id, stage)?
        }
        _ => None,
    };

    let recipient = prepared.view.recipient.clone();
    let channel = recipient.channel;
    let method = channel.method();
    let Rendered {
        subject,
        html,
        text,
    } = prepared.rendered;
    let details_json = command.details.to_json();
    let body = command.body;
    let seen_letter_version = command.seen_letter_version;
    let (actor_id, actor_label, actor_ip) = (
        actor.id,
        actor.label.to_string(),
        actor.ip.map(str::to_string),
    );
    let reference = case.row.reference.clone();
    let details = command.details;

    let result = transition::apply(
        conn,
        case.row.id,
        command.seen_case_version,
        actor,
        rules,
        now,
        move |loaded| {
            let mut decided: Decided = match kind.records() {
                Records::Acknowledgement | Records::Response | Records::ExtensionNotified => {
                    let sending = Sending {
                        on,
                        method,
                        elsewhere: false,
                    };
                    clock_stop::decide(loaded, kind, sending, &details, decision, rules, now)
                        .unwrap_or_else(|| {
                            Err(CaseError::Invalid(
                                "Not a letter that completes a step".into(),
                            ))
                        })?
                }
                // The notice changes nothing on the case: its sending is the event.
                Records::RestrictionNotice | Records::Notice => Decided::new(
                    loaded.state.clone(),
                    CaseEvent::LetterSent {
                        letter: kind.as_str().to_string(),
                        on,
                        method,
                        elsewhere: false,
                    },
                    on,
                ),
                // Triage records the decline letter's sending itself.
                Records::Decline => triage::decide(
                    loaded,
                    actor_id,
                    rules,
                    TriageCommand {
                        decision: TriageDecision::Excluded {
                            reasons: details.exclusion_reasons(),
                            explanation: details.exclusion_explanation.trim().to_string(),
                        },
                        category: None,
                        contractor: None,
                        decline_sent: Some((on, method)),
                    },
                )?,
            };
            let previous = decided.also.take();
            decided.audit_detail = format!(
                "{} letter {}",
                kind.label(),
                match channel {
                    Channel::Email => "emailed",
                    Channel::Post => "queued for posting",
                }
            );
            decided.also = Some(Box::new(move |conn, case_id| {
                if let Some(previous) = previous {
                    previous(conn, case_id)?;
                }
                let address = recipient.address.join("\n");
                let id = table::freeze(
                    conn,
                    &Frozen {
                        case_id,
                        kind: kind.as_str(),
                        stage: &key,
                        body: &body,
                        details: &details_json,
                        recipient_name: &recipient.name,
                        recipient_address: &address,
                        recipient_email: recipient.email.as_deref(),
                        channel: channel.as_str(),
                        large_print: recipient.large_print,
                        html: &html,
                        text: &text,
                        sent_on: on,
                        by: actor_id,
                        seen_version: seen_letter_version,
                        now,
                    },
                )
                .map_err(|e| match e {
                    // Rolls the whole send back; reported as a stale letter below.
                    LetterWriteError::Stale => diesel::result::Error::RollbackTransaction,
                    LetterWriteError::Database(e) => e,
                })?;
                if let (Channel::Email, Some(email)) = (channel, recipient.email.as_deref()) {
                    let document = email_document(&html);
                    mail::queue(
                        conn,
                        NewMessage {
                            kind: Kind::Letter,
                            recipient: email,
                            subject: &subject,
                            body_text: &text,
                            body_html: Some(&document),
                            case_id: Some(case_id),
                            letter_id: Some(id),
                            now,
                        },
                    )?;
                }
                audit::record(
                    conn,
                    &AuditEntry::new(
                        Some(actor_id),
                        actor_label,
                        "letter_sent",
                        format!("case:{reference}"),
                        format!(
                            "letter {id}: {} to {} by {}",
                            kind.as_str(),
                            if recipient.representative {
                                "the representative"
                            } else {
                                "the complainant"
                            },
                            channel.as_str()
                        ),
                        actor_ip.as_deref(),
                    ),
                )?;
                Ok(())
            }));
            Ok(decided)
        },
    );
    match result {
        Ok(_) => Ok(table::latest_sent(conn, case.row.id, kind.as_str())?.unwrap_or(0)),
        Err(CaseError::Database(diesel::result::Error::RollbackTransaction)) => {
            Err(SendError::StaleLetter)
        }
        Err(e) => Err(SendError::Case(e)),
    }
}
