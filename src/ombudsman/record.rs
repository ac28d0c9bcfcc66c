//! The Ombudsman stage's use-cases. Each writes its rows, a line on the case's timeline and
//! an audit entry in one transaction; those that change a contact take the version the form
//! showed, so a second officer's stale form is refused (409) rather than overwriting.
//! Input arrives typed and checked by the web layer; what depends on the stored facts
//! (already determined, an order already complied with) is checked here.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::{ContactKind, Finding, OrderKind};
use crate::cases::transition::ActingUser;
use crate::db::audit::{self, AuditEntry};
use crate::db::case_events::{self, Actor};
use crate::db::cases::{self as case_rows, CaseRow};
use crate::db::literal_limit::FirstRow;
use crate::db::ombudsman::{self as table, ContactRow, NewContact, NewEvidenceRequest, NewOrder};
use crate::db::schema::{attachments, decisions, improvement_actions, lessons};
use crate::db::DbConnection;
use crate::domain::{CaseEvent, Money, UserId};
use crate::mail::links::Links;
use crate::rules::{Calendar, Unit};

#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("not found")]
    NotFound,
    /// Someone else changed the contact since the form was shown.
    #[error("changed by someone else")]
    Stale,
    /// Not with the contact as it stands: why, in words (shown beside the form).
    #[error("{1}")]
    NotNow(&'static str, &'static str),
    #[error("database error: {0}")]
    Database(#[from] diesel::result::Error),
}

/// What a use-case wrote, for the timeline and the audit log.
struct Written {
    /// The timeline's line after "Housing Ombudsman: ".
    summary: String,
    /// What was written (shown on the timeline like a note).
    text: String,
    audit_action: &'static str,
    /// Facts for the audit log: ids, dates and kinds, not the text.
    audit_detail: String,
}

fn long(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// Puts `written` on `case`'s timeline and in the audit log.
fn log(
    conn: &mut DbConnection,
    case: &CaseRow,
    contact: i32,
    written: Written,
    actor: &ActingUser<'_>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    case_events::append(
        conn,
        case.id,
        &CaseEvent::Ombudsman {
            summary: written.summary,
            text: written.text,
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
            written.audit_action,
            format!("case:{}", case.reference),
            format!("ombudsman_contact={contact}; {}", written.audit_detail),
            actor.ip,
        ),
    )?;
    Ok(())
}

/// Runs `work` on contact `id` at `seen_version` (moved on one version), then logs what it
/// wrote; all or nothing.
fn on_contact<T>(
    conn: &mut DbConnection,
    id: i32,
    seen_version: i32,
    actor: &ActingUser<'_>,
    now: NaiveDateTime,
    work: impl FnOnce(&mut DbConnection, &ContactRow, &CaseRow) -> Result<(T, Written), RecordError>,
) -> Result<T, RecordError> {
    conn.transaction(|conn| {
        let contact = table::find_contact(conn, id)?.ok_or(RecordError::NotFound)?;
        if table::bump(conn, id, seen_version, now)? == 0 {
            return Err(RecordError::Stale);
        }
        let case = case_rows::find(conn, contact.case_id)?.ok_or(RecordError::NotFound)?;
        let (value, written) = work(conn, &contact, &case)?;
        log(conn, &case, id, written, actor, now)?;
        Ok(value)
    })
}

/// A contact from the Ombudsman or a designated person.
pub struct ContactInput {
    pub kind: ContactKind,
    pub contacted_on: NaiveDate,
    pub reference: String,
    pub contact_name: String,
    pub notes: String,
}

/// Records a contact on `case`; gives its id.
pub fn record_contact(
    conn: &mut DbConnection,
    case: &CaseRow,
    input: &ContactInput,
    actor: &ActingUser<'_>,
    now: NaiveDateTime,
) -> Result<i32, RecordError> {
    conn.transaction(|conn| {
        let id = table::insert_contact(
            conn,
            &NewContact {
                case_id: case.id,
                kind: input.kind.as_str(),
                contacted_on: input.contacted_on,
                ombudsman_reference: &input.reference,
                contact_name: &input.contact_name,
                notes: &input.notes,
                recorded_by: Some(actor.id),
                created_at: now,
                updated_at: now,
            },
        )?;
        let reference = if input.reference.is_empty() {
            String::new()
        } else {
            format!(", reference {}", input.reference)
        };
        let written = Written {
            summary: format!(
                "{} on {}{reference}",
                input.kind.label().to_lowercase(),
                long(input.contacted_on)
            ),
            text: input.notes.clone(),
            audit_action: "ombudsman_contact_recorded",
            audit_detail: format!("kind={}; on={}", input.kind.as_str(), input.contacted_on),
        };
        log(conn, case, id, written, actor, now)?;
        Ok(id)
    })
}

/// How the Ombudsman set the evidence deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceDeadline {
    /// A date they gave.
    On(NaiveDate),
    /// A number of working days from receipt, counted by the rules engine's calendar.
    WorkingDays(u32),
}

pub struct EvidenceRequestInput {
    pub received_on: NaiveDate,
    pub deadline: EvidenceDeadline,
    pub asked: String,
}

/// The due date and how it was set, in words.
pub fn due_date(
    calendar: &Calendar,
    received_on: NaiveDate,
    deadline: EvidenceDeadline,
) -> Result<(NaiveDate, String), crate::rules::CalendarError> {
    Ok(match deadline {
        EvidenceDeadline::On(date) => (date, "date set by the Ombudsman".to_string()),
        EvidenceDeadline::WorkingDays(n) => (
            calendar.add(received_on, n, Unit::WorkingDays)?,
            format!("{n} working days from receipt"),
        ),
    })
}

/// Records an evidence request whose due date is already worked out (see [`due_date`]).
pub fn add_evidence_request(
    conn: &mut DbConnection,
    contact: i32,
    seen_version: i32,
    input: &EvidenceRequestInput,
    due: (NaiveDate, &str),
    actor: &ActingUser<'_>,
    now: NaiveDateTime,
) -> Result<i32, RecordError> {
    on_contact(conn, contact, seen_version, actor, now, |conn, c, _| {
        if c.closed_on.is_some() {
            return Err(RecordError::NotNow("asked", "This contact is closed"));
        }
        let id = table::insert_request(
            conn,
            &NewEvidenceRequest {
                contact_id: c.id,
                received_on: input.received_on,
                due_on: due.0,
                due_basis: due.1,
                asked: &input.asked,
                created_at: now,
            },
        )?;
        Ok((
            id,
            Written {
                summary: format!(
                    "evidence requested on {}, due {} ({})",
                    long(input.received_on),
                    long(due.0),
                    due.1
                ),
                text: input.asked.clone(),
                audit_action: "ombudsman_evidence_requested",
                audit_detail: format!("request={id}; due={}", due.0),
            },
        ))
    })
}

pub struct EvidenceSentInput {
    pub request: i32,
    pub sent_on: NaiveDate,
    pub summary: String,
    /// Ids of the case's own attachments sent with it.
    pub attachments: Vec<i32>,
}

/// Records what was sent for an evidence request, and when (it may be corrected later).
pub fn record_evidence_sent(
    conn: &mut DbConnection,
    contact: i32,
    seen_version: i32,
    input: &EvidenceSentInput,
    actor: &ActingUser<'_>,
    now: NaiveDateTime,
) -> Result<(), RecordError> {
    on_contact(conn, contact, seen_version, actor, now, |conn, c, case| {
        let request =
            table::find_request(conn, c.id, input.request)?.ok_or(RecordError::NotFound)?;
        let known: Vec<i32> = attachments::table
            .filter(attachments::case_id.eq(case.id))
            .filter(attachments::id.eq_any(&input.attachments))
            .select(attachments::id)
            .load(conn)?;
        if known.len() != input.attachments.len() {
            return Err(RecordError::NotNow(
                "attachments",
                "Choose files kept with this case",
            ));
        }
        let ids = known
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        table::set_sent(conn, request.id, input.sent_on, &input.summary, &ids)?;
        let files = match known.len() {
            0 => String::new(),
            1 => " with 1 file".to_string(),
            n => format!(" with {n} files"),
        };
        Ok((
            (),
            Written {
                summary: format!("evidence sent on {}{files}", long(input.sent_on)),
                text: input.summary.clone(),
                audit_action: "ombudsman_evidence_sent",
                audit_detail: format!(
                    "request={}; sent={}; attachments=[{ids}]",
                    request.id, input.sent_on
                ),
            },
        ))
    })
}

/// What an exported bundle held, recorded against its evidence request.
pub struct BundleRecord<'a> {
    pub request: i32,
    /// The SHA-256 of the bundle's index, which lists every file with its own SHA-256.
    pub index_sha256: &'a str,
    pub files: usize,
    pub today: NaiveDate,
}

/// Records an exported bundle against its request and, if nothing was recorded as sent
/// yet, records the bundle as what was sent today. No version check: exporting changes
/// nothing an open form shows.
pub fn record_bundle(
    conn: &mut DbConnection,
    contact: i32,
    bundle: &BundleRecord<'_>,
    actor: &ActingUser<'_>,
    now: NaiveDateTime,
) -> Result<(), RecordError> {
    conn.transaction(|conn| {
        let c = table::find_contact(conn, contact)?.ok_or(RecordError::NotFound)?;
        let request =
            table::find_request(conn, c.id, bundle.request)?.ok_or(RecordError::NotFound)?;
        let case = case_rows::find(conn, c.case_id)?.ok_or(RecordError::NotFound)?;
        table::set_bundle(conn, request.id, bundle.index_sha256, now)?;
        let sent = if request.sent_on.is_none() {
            let summary = format!("The evidence bundle ({} files)", bundle.files);
            table::set_sent(conn, request.id, bundle.today, &summary, "")?;
            " and recorded as sent"
        } else {
            ""
        };
        let written = Written {
            summary: format!("evidence bundle exported ({} files){sent}", bundle.files),
            text: String::new(),
            audit_action: "ombudsman_bundle_exported",
            audit_detail: format!(
                "request={}; files={}; index_sha256={}",
                request.id, bundle.files, bundle.index_sha256
            ),
        };
        log(conn, &case, c.id, written, actor, now).map_err(RecordError::from)
    })
}

pub struct FindingInput {
    pub element: String,
    pub finding: Finding,
    pub reasons: String,
}

pub struct OrderInput {
    pub kind: OrderKind,
    pub details: String,
    pub amount_pence: Option<i64>,
    pub due_on: Option<NaiveDate>,
}

pub struct RecommendationInput {
    pub details: String,
    pub accepted: bool,
    pub reason: String,
}

pub struct DeterminationInput {
    pub on: NaiveDate,
    pub summary: String,
    pub findings: Vec<FindingInput>,
    pub orders: Vec<OrderInput>,
    pub recommendations: Vec<RecommendationInput>,
}

/// Records the Ombudsman's determination on a contact, and emails the directors of the
/// case's service area.
pub fn record_determination(
    conn: &mut DbConnection,
    contact: i32,
    seen_version: i32,
    input: &DeterminationInput,
    links: &Links,
    actor: &ActingUser<'_>,
    now: NaiveDateTime,
) -> Result<(), RecordError> {
    on_contact(conn, contact, seen_version, actor, now, |conn, c, case| {
        if c.determined_on.is_some() {
            return Err(RecordError::NotNow(
                "determined",
                "The determination is already recorded",
            ));
        }
        table::set_determination(conn, c.id, input.on, &input.summary)?;
        for f in &input.findings {
            table::insert_finding(conn, c.id, &f.element, f.finding.as_str(), &f.reasons)?;
        }
        for o in &input.orders {
            table::insert_order(
                conn,
                &NewOrder {
                    contact_id: c.id,
                    kind: o.kind.as_str(),
                    details: &o.details,
                    amount_pence: o.amount_pence,
                    issued_on: input.on,
                    due_on: o.due_on,
                    accepted: None,
                    response_reason: None,
                    code_paragraph: None,
                },
            )?;
        }
        for r in &input.recommendations {
            table::insert_order(
                conn,
                &NewOrder {
                    contact_id: c.id,
                    kind: OrderKind::Recommendation.as_str(),
                    details: &r.details,
                    amount_pence: None,
                    issued_on: input.on,
                    due_on: None,
                    accepted: Some(r.accepted),
                    response_reason: Some(&r.reason),
                    code_paragraph: None,
                },
            )?;
        }
        let findings: Vec<String> = input
            .findings
            .iter()
            .map(|f| format!("{}: {}", f.element, f.finding.label().to_lowercase()))
            .collect();
        let orders: Vec<String> = input
            .orders
            .iter()
            .map(|o| {
                let amount = o
                    .amount_pence
                    .map(|p| format!(" of {}", Money::from_pence(p)))
                    .unwrap_or_default();
                let due = o
                    .due_on
                    .map(|d| format!(" by {}", long(d)))
                    .unwrap_or_default();
                format!("{}{amount}{due}", o.kind.label())
            })
            .collect();
        let mut text = format!("Findings: {}.", findings.join("; "));
        if !orders.is_empty() {
            text.push_str(&format!(" Orders: {}.", orders.join("; ")));
        }
        if !input.recommendations.is_empty() {
            text.push_str(&format!(
                " Recommendations: {}, {} accepted.",
                input.recommendations.len(),
                input.recommendations.iter().filter(|r| r.accepted).count()
            ));
        }
        if !input.summary.is_empty() {
            text = format!("{}\n\n{text}", input.summary);
        }
        super::notify::determination(conn, links, case, &text, now)?;
        Ok((
            (),
            Written {
                summary: format!("determination made on {}", long(input.on)),
                text,
                audit_action: "ombudsman_determination_recorded",
                audit_detail: format!(
                    "on={}; findings={}; orders={}; recommendations={}",
                    input.on,
                    input.findings.len(),
                    input.orders.len(),
                    input.recommendations.len()
                ),
            },
        ))
    })
}

pub struct ChfoInput {
    pub issued_on: NaiveDate,
    /// The Complaint Handling Code paragraph it concerns ("6.14").
    pub paragraph: String,
    pub details: String,
    pub due_on: Option<NaiveDate>,
}

/// Records a complaint handling failure order on a contact (the annual report's section
/// (c) lists them), and emails the directors of the case's service area.
pub fn record_chfo(
    conn: &mut DbConnection,
    contact: i32,
    seen_version: i32,
    input: &ChfoInput,
    links: &Links,
    actor: &ActingUser<'_>,
    now: NaiveDateTime,
) -> Result<i32, RecordError> {
    on_contact(conn, contact, seen_version, actor, now, |conn, c, case| {
        let id = table::insert_order(
            conn,
            &NewOrder {
                contact_id: c.id,
                kind: OrderKind::Chfo.as_str(),
                details: &input.details,
                amount_pence: None,
                issued_on: input.issued_on,
                due_on: input.due_on,
                accepted: None,
                response_reason: None,
                code_paragraph: Some(&input.paragraph),
            },
        )?;
        let text = format!(
            "Complaint handling failure order under paragraph {} of the Code: {}",
            input.paragraph, input.details
        );
        super::notify::determination(conn, links, case, &text, now)?;
        Ok((
            id,
            Written {
                summary: format!(
                    "complaint handling failure order issued on {} (Code paragraph {})",
                    long(input.issued_on),
                    input.paragraph
                ),
                text: input.details.clone(),
                audit_action: "ombudsman_chfo_recorded",
                audit_detail: format!("order={id}; paragraph={}", input.paragraph),
            },
        ))
    })
}

pub struct ComplianceInput {
    pub order: i32,
    pub completed_on: NaiveDate,
    pub evidence: String,
    /// When the compliance evidence went to the Ombudsman.
    pub evidence_sent_on: Option<NaiveDate>,
}

/// Records that an order (or CHFO) was complied with.
pub fn record_compliance(
    conn: &mut DbConnection,
    contact: i32,
    seen_version: i32,
    input: &ComplianceInput,
    actor: &ActingUser<'_>,
    now: NaiveDateTime,
) -> Result<(), RecordError> {
    on_contact(conn, contact, seen_version, actor, now, |conn, c, _| {
        let order = table::find_order(conn, c.id, input.order)?.ok_or(RecordError::NotFound)?;
        let kind = OrderKind::parse(&order.kind).ok_or(RecordError::NotFound)?;
        if !kind.must_comply() {
            return Err(RecordError::NotNow(
                "completed",
                "A recommendation is accepted or not, not complied with",
            ));
        }
        if order.completed_on.is_some() {
            return Err(RecordError::NotNow(
                "completed",
                "Compliance with this order is already recorded",
            ));
        }
        table::set_complied(
            conn,
            order.id,
            input.completed_on,
            &input.evidence,
            input.evidence_sent_on,
        )?;
        let late = match order.due_on {
            Some(due) if input.completed_on > due => " (late)",
            _ => "",
        };
        let sent = input
            .evidence_sent_on
            .map(|d| format!("; evidence sent to the Ombudsman on {}", long(d)))
            .unwrap_or_default();
        Ok((
            (),
            Written {
                summary: format!(
                    "{} complied with on {}{late}{sent}",
                    kind.label(),
                    long(input.completed_on)
                ),
                text: input.evidence.clone(),
                audit_action: "ombudsman_order_complied",
                audit_detail: format!("order={}; on={}", order.id, input.completed_on),
            },
        ))
    })
}

pub struct ReviewInput {
    pub requested_on: NaiveDate,
    pub outcome: String,
}

/// Records that we asked the Ombudsman to review its determination, and the outcome.
pub fn record_review(
    conn: &mut DbConnection,
    contact: i32,
    seen_version: i32,
    input: &ReviewInput,
    actor: &ActingUser<'_>,
    now: NaiveDateTime,
) -> Result<(), RecordError> {
    on_contact(conn, contact, seen_version, actor, now, |conn, c, _| {
        if c.determined_on.is_none() {
            return Err(RecordError::NotNow(
                "review",
                "Record the determination before a review request",
            ));
        }
        table::set_review(conn, c.id, input.requested_on, &input.outcome)?;
        Ok((
            (),
            Written {
                summary: format!("review requested on {}", long(input.requested_on)),
                text: input.outcome.clone(),
                audit_action: "ombudsman_review_recorded",
                audit_detail: format!("requested={}", input.requested_on),
            },
        ))
    })
}

/// Closes a contact once nothing is owed: all evidence sent, every order complied with.
pub fn close(
    conn: &mut DbConnection,
    contact: i32,
    seen_version: i32,
    on: NaiveDate,
    actor: &ActingUser<'_>,
    now: NaiveDateTime,
) -> Result<(), RecordError> {
    on_contact(conn, contact, seen_version, actor, now, |conn, c, _| {
        if c.closed_on.is_some() {
            return Err(RecordError::NotNow(
                "close",
                "This contact is already closed",
            ));
        }
        let requests = table::requests_of(conn, &[c.id])?;
        let orders = table::orders_of(conn, &[c.id])?;
        if requests.iter().any(|r| r.sent_on.is_none()) {
            return Err(RecordError::NotNow(
                "close",
                "Record the evidence sent for every request before closing",
            ));
        }
        if orders.iter().any(super::state::outstanding) {
            return Err(RecordError::NotNow(
                "close",
                "Record compliance with every order before closing",
            ));
        }
        table::set_closed(conn, c.id, on)?;
        Ok((
            (),
            Written {
                summary: format!("contact closed on {}", long(on)),
                text: String::new(),
                audit_action: "ombudsman_contact_closed",
                audit_detail: format!("on={on}"),
            },
        ))
    })
}

pub struct LessonInput {
    pub lesson: String,
    /// An improvement action: what, who owns it, by when.
    pub action: Option<(String, Option<UserId>, Option<NaiveDate>)>,
}

/// Puts a lesson (and an improvement action) from a determination into the learning
/// register. The register files lessons under a decision of ours, so the lesson goes with
/// the case's latest decision, its text naming the Ombudsman's determination.
pub fn raise_lesson(
    conn: &mut DbConnection,
    contact: i32,
    seen_version: i32,
    input: &LessonInput,
    actor: &ActingUser<'_>,
    now: NaiveDateTime,
) -> Result<(), RecordError> {
    on_contact(conn, contact, seen_version, actor, now, |conn, c, case| {
        let Some(determined_on) = c.determined_on else {
            return Err(RecordError::NotNow(
                "lesson",
                "Record the determination before raising lessons from it",
            ));
        };
        let decision: Option<i32> = decisions::table
            .filter(decisions::case_id.eq(case.id))
            .order(decisions::id.desc())
            .select(decisions::id)
            .first_row(conn)
            .optional()?;
        let Some(decision) = decision else {
            return Err(RecordError::NotNow(
                "lesson",
                "The case has no decision of ours to file the lesson under",
            ));
        };
        let text = format!(
            "Housing Ombudsman determination of {}: {}",
            long(determined_on),
            input.lesson
        );
        let lesson: i32 = diesel::insert_into(lessons::table)
            .values((
                lessons::case_id.eq(case.id),
                lessons::decision_id.eq(decision),
                lessons::lesson.eq(&text),
                lessons::created_at.eq(now),
            ))
            .returning(lessons::id)
            .get_result(conn)?;
        if let Some((description, owner, due_on)) = &input.action {
            diesel::insert_into(improvement_actions::table)
                .values((
                    improvement_actions::lesson_id.eq(lesson),
                    improvement_actions::case_id.eq(case.id),
                    improvement_actions::description.eq(description),
                    improvement_actions::owner_id.eq(owner),
                    improvement_actions::due_on.eq(due_on),
                    improvement_actions::status.eq("planned"),
                    improvement_actions::created_at.eq(now),
                    improvement_actions::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        let with_action = if input.action.is_some() {
            " with an improvement action"
        } else {
            ""
        };
        Ok((
            (),
            Written {
                summary: format!("lesson raised into the learning register{with_action}"),
                text: input.lesson.clone(),
                audit_action: "ombudsman_lesson_raised",
                audit_detail: format!("lesson={lesson}"),
            },
        ))
    })
}
