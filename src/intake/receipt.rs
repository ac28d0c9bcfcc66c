//! The automatic receipt (issue 28): when a case is created from the public form or from
//! an email, the resident is emailed its reference, what happens next and when the
//! acknowledgement is due, queued through the outbox in the case's own transaction (so it
//! is sent at least once, always with the Message-ID fixed when it was queued). It is not
//! the Complaint Handling Code's acknowledgement, and the timeline says so.

use askama::Template;
use chrono::NaiveDateTime;

use crate::config::Settings;
use crate::db::case_events::{self, Actor};
use crate::db::{cases, complainants, DbConnection};
use crate::domain::{CaseEvent, CaseId, OutboxId};
use crate::mail::{queue, Kind, NewMessage};

#[derive(Template)]
#[template(path = "mail/receipt.txt")]
struct ReceiptText<'a> {
    name: &'a str,
    landlord: &'a str,
    reference: &'a str,
    acknowledge_by: Option<String>,
    email: &'a str,
    phone: &'a str,
}

/// Queues the receipt for `case` to its complainant, when receipts are on and the
/// complainant gave an email address; writes the timeline entry. Call it in the
/// transaction that logged the case.
pub fn queue_receipt(
    conn: &mut DbConnection,
    settings: &Settings,
    case: CaseId,
    now: NaiveDateTime,
) -> anyhow::Result<Option<OutboxId>> {
    if !settings.intake.receipt {
        return Ok(None);
    }
    let Some(row) = cases::find(conn, case)? else {
        return Ok(None);
    };
    let Some(person) = complainants::find(conn, row.complainant_id)? else {
        return Ok(None);
    };
    let Some(to) = person.email.as_deref().filter(|e| !e.trim().is_empty()) else {
        return Ok(None);
    };
    let landlord = &settings.landlord;
    let body = ReceiptText {
        name: &person.name,
        landlord: &landlord.name,
        reference: &row.reference,
        acknowledge_by: row
            .next_due_on
            .map(|d| d.format("%A %-d %B %Y").to_string()),
        email: &landlord.complaints_email,
        phone: &landlord.complaints_phone,
    }
    .render()?;
    let subject = format!("We have received your complaint: {}", row.reference);
    let id = queue(
        conn,
        NewMessage {
            case_id: Some(case),
            ..NewMessage::new(Kind::Notification, to, &subject, &body, now)
        },
    )?;
    case_events::append(
        conn,
        case,
        &CaseEvent::ReceiptQueued {
            to: "by email".into(),
        },
        crate::clock::london_date_of(now),
        &Actor {
            id: None,
            label: "automatic receipt",
        },
        now,
    )?;
    Ok(Some(id))
}
