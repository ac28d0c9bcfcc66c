//! Turns a stored outbox row into the email lettre sends: From from configuration, the
//! stored Message-ID, and a plain-text body with an HTML alternative when there is one.

use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::Message;

use crate::db::outbox::OutboxRow;

/// Why a row cannot become an email at all (no attempt will ever fix it).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Unsendable(pub String);

pub fn build(from: &Mailbox, row: &OutboxRow) -> Result<Message, Unsendable> {
    let to: Mailbox = row.recipient.parse().map_err(|e| {
        Unsendable(format!(
            "the recipient `{}` is not an email address: {e}",
            row.recipient
        ))
    })?;
    let builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(row.subject.clone())
        .message_id(Some(row.message_id.clone()));
    let built = match &row.body_html {
        Some(html) => builder.multipart(MultiPart::alternative_plain_html(
            row.body_text.clone(),
            html.clone(),
        )),
        None => builder.singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(row.body_text.clone()),
        ),
    };
    built.map_err(|e| Unsendable(format!("the email could not be built: {e}")))
}
