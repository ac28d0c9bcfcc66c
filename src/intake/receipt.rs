//! The automatic receipt (issue 28): when a case is created from the public form or from
//! an email, the resident is emailed its reference, what happens next and when the
//! acknowledgement is due, queued through the outbox in the case's own transaction (so it
//! is sent at least once, always with the Message-ID fixed when it was queued). It is not
//! the Complaint Handling Code's acknowledgement, and the timeline says so.

use chrono::NaiveDateTime;

use crate::config::Settings;
use crate::db::case_events::{self, Actor};
use crate::db::{cases, complainants, message_wordings, DbConnection};
use crate::domain::{CaseEvent, CaseId, OutboxId};
use crate::intake::receipt_wording::{self, Values, Wording};
use crate::mail::{queue, Kind, NewMessage};

/// The receipt's wording in force: the complaints team's, or the standard one.
pub fn wording(conn: &mut DbConnection) -> diesel::QueryResult<Wording> {
    Ok(match message_wordings::find(conn, receipt_wording::KIND)? {
        Some(row) => Wording {
            subject: row.subject,
            body: row.body,
            version: row.version,
        },
        None => Wording::standard(),
    })
}

/// How the acknowledgement's due date reads in the receipt, for example "Friday 6 March
/// 2026"; without one, words that promise no date.
pub fn acknowledge_by_words(due: Option<chrono::NaiveDate>) -> String {
    due.map(|d| d.format("%A %-d %B %Y").to_string())
        .unwrap_or_else(|| "the date our complaints policy sets".into())
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
    let acknowledge_by = acknowledge_by_words(row.next_due_on);
    let values = Values {
        name: &person.name,
        reference: &row.reference,
        acknowledge_by: &acknowledge_by,
        landlord: &landlord.name,
        complaints_email: &landlord.complaints_email,
        complaints_phone: &landlord.complaints_phone,
    };
    let wording = wording(conn)?;
    let subject = receipt_wording::fill(&wording.subject, &values);
    let body = receipt_wording::fill(&wording.body, &values);
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
