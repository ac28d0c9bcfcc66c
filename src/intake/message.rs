//! One email as Redress reads it: the sender, the subject, the new text (the text part, or
//! the HTML part turned into text) with the quoted history below a reply separated off,
//! the attachments, and whether it was sent by a machine (RFC 3834 auto-replies, bounces,
//! list mail). Parsing is `mail-parser`'s; nothing here reads MIME by hand.

use std::borrow::Cow;

use chrono::NaiveDateTime;
use mail_parser::{MessageParser, MimeHeaders, PartType};
use sha2::{Digest, Sha256};

use crate::domain::CaseReference;

/// Why a message was sent by a machine rather than a person: it is kept and shown, never
/// offered as a complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Automatic {
    /// `Auto-Submitted` other than `no`, `Precedence: auto_reply`, or an `X-Autoreply`.
    AutoReply,
    /// A delivery failure: an empty `Return-Path` (`<>`) or a `multipart/report`.
    Bounce,
    /// `Precedence: bulk`, `list` or `junk`, or a `List-Id`.
    ListMail,
}

impl Automatic {
    pub fn as_str(self) -> &'static str {
        match self {
            Automatic::AutoReply => "auto_reply",
            Automatic::Bounce => "bounce",
            Automatic::ListMail => "list_mail",
        }
    }

    pub fn parse(stored: &str) -> Option<Automatic> {
        [Automatic::AutoReply, Automatic::Bounce, Automatic::ListMail]
            .into_iter()
            .find(|a| a.as_str() == stored)
    }

    pub fn label(self) -> &'static str {
        match self {
            Automatic::AutoReply => "Automatic reply",
            Automatic::Bounce => "Delivery failure",
            Automatic::ListMail => "Mailing list or bulk mail",
        }
    }
}

/// A file sent with the email, before the upload content checks.
#[derive(Debug, Clone)]
pub struct EmailAttachment {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A message read well enough to show and to file.
#[derive(Debug, Clone)]
pub struct IncomingEmail {
    pub message_id: String,
    pub from_address: String,
    pub from_name: String,
    pub subject: String,
    /// The `Date` header, in UTC.
    pub sent_at: Option<NaiveDateTime>,
    /// What the sender wrote this time.
    pub text: String,
    /// The history quoted below it (earlier messages), kept apart.
    pub quoted: String,
    pub automatic: Option<Automatic>,
    pub attachments: Vec<EmailAttachment>,
}

impl IncomingEmail {
    /// The open case this message is about, going by its subject only: a reference in the
    /// quoted history is someone else's words (a forwarded or old thread), not a reply.
    pub fn subject_reference(&self) -> Option<CaseReference> {
        reference_in(&self.subject)
    }

    /// "Jo Bloggs <jo@example.org>", or the address alone.
    pub fn sender(&self) -> String {
        sender_label(&self.from_name, &self.from_address)
    }
}

pub fn sender_label(name: &str, address: &str) -> String {
    match (name.trim(), address.trim()) {
        ("", address) => address.to_string(),
        (name, "") => name.to_string(),
        (name, address) => format!("{name} <{address}>"),
    }
}

/// A message that cannot be filed: it goes to quarantine with the reason.
#[derive(Debug, Clone)]
pub struct Unreadable {
    pub message_id: String,
    pub from_address: String,
    pub subject: String,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub enum Parsed {
    Email(IncomingEmail),
    Unreadable(Unreadable),
}

impl Parsed {
    pub fn message_id(&self) -> &str {
        match self {
            Parsed::Email(e) => &e.message_id,
            Parsed::Unreadable(u) => &u.message_id,
        }
    }
}

/// The Message-ID to de-duplicate on: the header's, or for a message without one a name
/// made from its bytes (the same message read twice gets the same one).
fn identity(header: Option<&str>, raw: &[u8]) -> String {
    match header.map(str::trim).filter(|id| !id.is_empty()) {
        Some(id) => format!("<{}>", id.trim_start_matches('<').trim_end_matches('>')),
        None => {
            let digest: String = Sha256::digest(raw)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            format!("<{digest}@no-message-id.redress>")
        }
    }
}

/// Reads `raw`, refusing anything over `max_bytes` or without a sender.
pub fn parse(raw: &[u8], max_bytes: u64) -> Parsed {
    let unreadable = |message_id: String, from: &str, subject: &str, reason: String| {
        Parsed::Unreadable(Unreadable {
            message_id,
            from_address: from.to_string(),
            subject: subject.to_string(),
            reason,
        })
    };
    if raw.len() as u64 > max_bytes {
        // Only the headers are read, to name the message on the Emails page.
        let head = MessageParser::default().parse_headers(raw);
        let header_id = head
            .as_ref()
            .and_then(|m| m.message_id().map(str::to_string));
        let from = head
            .as_ref()
            .and_then(|m| m.from()?.first()?.address().map(str::to_string))
            .unwrap_or_default();
        let subject = head
            .as_ref()
            .and_then(|m| m.subject().map(str::to_string))
            .unwrap_or_default();
        return unreadable(
            identity(header_id.as_deref(), raw),
            &from,
            &subject,
            format!(
                "It is larger than the limit of {}",
                crate::attachments::human_size(max_bytes)
            ),
        );
    }
    let Some(message) = MessageParser::default().parse(raw) else {
        return unreadable(
            identity(None, raw),
            "",
            "",
            "It could not be read as an email".into(),
        );
    };
    let message_id = identity(message.message_id(), raw);
    let subject = message.subject().unwrap_or_default().trim().to_string();
    let from = message.from().and_then(|f| f.first());
    let from_address = from
        .and_then(|a| a.address())
        .unwrap_or_default()
        .trim()
        .to_string();
    if message.headers().is_empty() || !from_address.contains('@') {
        return unreadable(
            message_id,
            &from_address,
            &subject,
            "It has no sender address (no From header), so it may not be a real email".into(),
        );
    }
    let from_name = from
        .and_then(|a| a.name())
        .unwrap_or_default()
        .trim()
        .to_string();
    let body = body_text(&message);
    let (text, quoted) = split_quoted(&body);
    let attachments = message
        .attachments()
        .filter_map(|part| {
            let bytes = match &part.body {
                PartType::Binary(b) | PartType::InlineBinary(b) => b.to_vec(),
                PartType::Text(t) | PartType::Html(t) => t.as_bytes().to_vec(),
                PartType::Message(m) => m.raw_message().to_vec(),
                PartType::Multipart(_) => return None,
            };
            let name = part
                .attachment_name()
                .map(str::to_string)
                .unwrap_or_else(|| "attachment".into());
            Some(EmailAttachment { name, bytes })
        })
        .collect();
    Parsed::Email(IncomingEmail {
        message_id,
        from_address,
        from_name,
        subject,
        sent_at: message
            .date()
            .and_then(|d| chrono::DateTime::from_timestamp(d.to_timestamp(), 0))
            .map(|d| d.naive_utc()),
        text,
        quoted,
        automatic: automatic(&message),
        attachments,
    })
}

/// The first text body; an HTML-only message is turned into text with `html2text`.
fn body_text(message: &mail_parser::Message<'_>) -> String {
    let text: Option<Cow<'_, str>> = message.text_bodies().find_map(|part| match &part.body {
        PartType::Text(t) => Some(t.clone()),
        _ => None,
    });
    if let Some(text) = text {
        return normalise(&text);
    }
    let html = message.html_bodies().find_map(|part| match &part.body {
        PartType::Html(h) => Some(h.clone()),
        _ => None,
    });
    match html {
        Some(html) => normalise(
            &html2text::from_read(html.as_bytes(), 100).unwrap_or_else(|_| html.to_string()),
        ),
        None => String::new(),
    }
}

fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n").trim().to_string()
}

/// The line where quoted history begins: Gmail's and Apple's "On … wrote:", Outlook's
/// "-----Original Message-----" and underscore rule, a forwarded message's marker, or the
/// first `>` line.
fn starts_quote(line: &str) -> bool {
    let line = line.trim();
    line.starts_with('>')
        || (line.starts_with("On ") && line.ends_with("wrote:"))
        || line.contains("-----Original Message-----")
        || line.starts_with("---------- Forwarded message")
        || line.starts_with("Begin forwarded message")
        || (line.len() >= 20 && line.chars().all(|c| c == '_'))
}

/// Splits a body into what was written now and the history quoted below it.
pub fn split_quoted(body: &str) -> (String, String) {
    let lines: Vec<&str> = body.lines().collect();
    match lines.iter().position(|l| starts_quote(l)) {
        Some(at) => (
            lines[..at].join("\n").trim().to_string(),
            lines[at..].join("\n").trim().to_string(),
        ),
        None => (body.trim().to_string(), String::new()),
    }
}

/// RFC 3834 and its neighbours: how a machine marks the mail it sends.
fn automatic(message: &mail_parser::Message<'_>) -> Option<Automatic> {
    let header = |name: &str| {
        message
            .header_raw(name)
            .map(|v| v.trim().to_ascii_lowercase())
    };
    let content_type = message
        .root_part()
        .content_type()
        .map(|c| format!("{}/{}", c.ctype(), c.subtype().unwrap_or_default()).to_ascii_lowercase())
        .unwrap_or_default();
    if header("Return-Path").is_some_and(|v| v == "<>") || content_type == "multipart/report" {
        return Some(Automatic::Bounce);
    }
    if header("Auto-Submitted").is_some_and(|v| !v.is_empty() && !v.starts_with("no"))
        || header("Precedence").is_some_and(|v| v == "auto_reply")
        || header("X-Autoreply").is_some()
        || header("X-Autorespond").is_some()
    {
        return Some(Automatic::AutoReply);
    }
    if header("Precedence").is_some_and(|v| matches!(v.as_str(), "bulk" | "list" | "junk"))
        || header("List-Id").is_some()
    {
        return Some(Automatic::ListMail);
    }
    None
}

/// The first case reference (`CMP-2026-000123`, any case) in `text`.
pub fn reference_in(text: &str) -> Option<CaseReference> {
    let upper = text.to_ascii_uppercase();
    let mut from = 0;
    while let Some(at) = upper[from..].find("CMP-") {
        let start = from + at;
        if let Some(candidate) = upper.get(start..start + 15) {
            if let Ok(reference) = CaseReference::parse(candidate) {
                // Not part of a longer number: CMP-2026-0001234 is no reference.
                let next = upper[start + 15..].chars().next();
                if !next.is_some_and(|c| c.is_ascii_digit()) {
                    return Some(reference);
                }
            }
        }
        from = start + 4;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: u64 = 1024 * 1024;

    fn email(raw: &str) -> IncomingEmail {
        match parse(raw.as_bytes(), LIMIT) {
            Parsed::Email(e) => e,
            Parsed::Unreadable(u) => panic!("unreadable: {}", u.reason),
        }
    }

    const REPLY: &str = "From: Jo Bloggs <jo@example.org>\r\n\
        To: complaints@example.org.uk\r\n\
        Subject: Re: Your complaint CMP-2026-000042\r\n\
        Message-ID: <reply-1@example.org>\r\n\
        Date: Tue, 1 Dec 2026 10:00:00 +0000\r\n\
        \r\n\
        The damp is back in the bedroom.\r\n\
        \r\n\
        On Mon, 30 Nov 2026, Complaints Team wrote:\r\n\
        > We have logged your complaint CMP-2026-000099.\r\n";

    #[test]
    fn a_reply_is_split_into_new_text_and_quoted_history() {
        let e = email(REPLY);
        assert_eq!(e.message_id, "<reply-1@example.org>");
        assert_eq!(e.from_address, "jo@example.org");
        assert_eq!(e.from_name, "Jo Bloggs");
        assert_eq!(e.sender(), "Jo Bloggs <jo@example.org>");
        assert_eq!(e.text, "The damp is back in the bedroom.");
        assert!(e.quoted.starts_with("On Mon, 30 Nov 2026"), "{}", e.quoted);
        assert!(e.quoted.contains("CMP-2026-000099"));
        assert_eq!(
            e.subject_reference().map(|r| r.to_string()).as_deref(),
            Some("CMP-2026-000042"),
            "the subject's reference, never the quoted one"
        );
        assert_eq!(e.automatic, None);
        assert_eq!(
            e.sent_at.map(|d| d.to_string()).as_deref(),
            Some("2026-12-01 10:00:00")
        );
    }

    #[test]
    fn a_reference_only_in_quoted_text_is_no_reference() {
        let raw = REPLY.replace("Re: Your complaint CMP-2026-000042", "Re: my complaint");
        let e = email(&raw);
        assert_eq!(e.subject_reference(), None);
    }

    #[test]
    fn references_are_found_in_any_case_and_not_inside_longer_numbers() {
        assert_eq!(
            reference_in("re: cmp-2026-000123 damp").map(|r| r.to_string()),
            Some("CMP-2026-000123".into())
        );
        assert_eq!(reference_in("CMP-2026-0001234"), None);
        assert_eq!(reference_in("CMP-26-000123 and CMP-2026-00012"), None);
        assert_eq!(
            reference_in("CMP-CMP-2026-000007").map(|r| r.to_string()),
            Some("CMP-2026-000007".into())
        );
    }

    #[test]
    fn html_only_mail_is_turned_into_text() {
        let e = email(
            "From: a@example.org\r\nSubject: Mould\r\nMessage-ID: <h@x>\r\n\
             Content-Type: text/html; charset=utf-8\r\n\r\n\
             <html><body><p>There is <b>mould</b> in the kitchen.</p>\
             <script>alert(1)</script></body></html>\r\n",
        );
        assert!(e.text.contains("There is"), "{}", e.text);
        assert!(e.text.contains("mould"), "{}", e.text);
        assert!(!e.text.contains("<p>"), "{}", e.text);
    }

    #[test]
    fn machines_are_told_apart_from_people() {
        let with = |header: &str| {
            email(&format!(
                "From: a@example.org\r\n{header}\r\nSubject: x\r\nMessage-ID: <m@x>\r\n\r\nhello\r\n"
            ))
            .automatic
        };
        assert_eq!(
            with("Auto-Submitted: auto-replied"),
            Some(Automatic::AutoReply)
        );
        assert_eq!(with("Auto-Submitted: no"), None);
        assert_eq!(with("Precedence: bulk"), Some(Automatic::ListMail));
        assert_eq!(
            with("List-Id: <tenants.example.org>"),
            Some(Automatic::ListMail)
        );
        assert_eq!(with("Return-Path: <>"), Some(Automatic::Bounce));
        assert_eq!(with("Return-Path: <a@example.org>"), None);
        assert_eq!(with("X-Mailer: Thunderbird"), None);
    }

    #[test]
    fn attachments_are_taken_out_with_their_names() {
        let raw = "From: a@example.org\r\nSubject: photos\r\nMessage-ID: <att@x>\r\n\
            MIME-Version: 1.0\r\n\
            Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
            --b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n\
            --b\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename=\"damp.png\"\r\n\
            Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b--\r\n";
        let e = email(raw);
        assert_eq!(e.text, "See attached.");
        assert_eq!(e.attachments.len(), 1);
        assert_eq!(e.attachments[0].name, "damp.png");
        assert_eq!(e.attachments[0].bytes, b"\x89PNG\r\n\x1a\n");
    }

    #[test]
    fn messages_without_a_sender_or_too_large_are_unreadable() {
        let Parsed::Unreadable(u) = parse(b"\x00\x01\x02 this is not an email", LIMIT) else {
            panic!("garbage was read as an email");
        };
        assert!(u.reason.contains("no sender"), "{}", u.reason);
        assert!(u.message_id.ends_with("@no-message-id.redress>"));
        let Parsed::Unreadable(big) = parse(REPLY.as_bytes(), 100) else {
            panic!("an oversized message was read");
        };
        assert_eq!(big.message_id, "<reply-1@example.org>");
        assert!(big.reason.contains("larger than"), "{}", big.reason);
        assert_eq!(big.from_address, "jo@example.org");
    }

    #[test]
    fn a_message_without_a_message_id_gets_a_stable_one() {
        let raw = "From: a@example.org\r\nSubject: x\r\n\r\nhello\r\n";
        assert_eq!(email(raw).message_id, email(raw).message_id);
        assert_ne!(
            email(raw).message_id,
            email(&raw.replace("hello", "bye")).message_id
        );
    }
}
