//! Queueing mail. [`queue`] is a plain insert meant to run inside the caller's transaction:
//! the message commits with the case change that sends it, or not at all (the transactional
//! outbox). Delivery is the worker's job.

use chrono::NaiveDateTime;
use diesel::QueryResult;
use rand::RngCore;

use crate::db::outbox::{self as table, NewOutboxRow};
use crate::db::DbConnection;
use crate::domain::{CaseId, OutboxId};

/// What a message is, for the officers' outbox page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A letter to a resident (stored on the case).
    Letter,
    /// A one-off notification to staff, e.g. "a case was assigned to you".
    Notification,
    /// A member of staff's daily digest.
    Digest,
    /// A missed deadline, to the complaints team.
    Alert,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Letter => "letter",
            Kind::Notification => "notification",
            Kind::Digest => "digest",
            Kind::Alert => "alert",
        }
    }
}

/// One email to one recipient.
#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    pub kind: Kind,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: Option<&'a str>,
    pub case_id: Option<CaseId>,
    pub letter_id: Option<i32>,
    /// When it was queued; the worker may send it from then on.
    pub now: NaiveDateTime,
}

impl<'a> NewMessage<'a> {
    /// A plain-text message about no case; set the other fields with struct update syntax.
    pub fn new(
        kind: Kind,
        recipient: &'a str,
        subject: &'a str,
        body_text: &'a str,
        now: NaiveDateTime,
    ) -> NewMessage<'a> {
        NewMessage {
            kind,
            recipient,
            subject,
            body_text,
            body_html: None,
            case_id: None,
            letter_id: None,
            now,
        }
    }
}

/// Queues `message` and gives back its id; read the row for the Message-ID to store with
/// a letter. Call it inside the transaction that makes the change the email reports.
pub fn queue(conn: &mut DbConnection, message: NewMessage<'_>) -> QueryResult<OutboxId> {
    let message_id = new_message_id();
    table::insert(
        conn,
        &NewOutboxRow {
            kind: message.kind.as_str(),
            recipient: message.recipient,
            subject: message.subject,
            body_text: message.body_text,
            body_html: message.body_html,
            message_id: &message_id,
            case_id: message.case_id,
            letter_id: message.letter_id,
            status: table::QUEUED,
            attempts: 0,
            next_attempt_at: message.now,
            created_at: message.now,
        },
    )
}

/// A globally unique `<random@host>` Message-ID (RFC 5322 section 3.6.4), fixed at queue
/// time so every attempt carries the same one and a receiver can spot a duplicate.
pub fn new_message_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let unique: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("<{unique}.redress@{}>", host_name())
}

fn host_name() -> String {
    hostname::get()
        .ok()
        .and_then(|h| h.into_string().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        })
        .unwrap_or_else(|| "localhost".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_are_bracketed_and_unique() {
        let (a, b) = (new_message_id(), new_message_id());
        assert!(
            a.starts_with('<') && a.ends_with('>') && a.contains('@'),
            "{a}"
        );
        assert_ne!(a, b);
    }
}
