//! The logging form's first draft from an email (issue 28): channel email, received the
//! day it arrived, the subject and text as the description, and the sender *proposed* as
//! the complainant — their name and address as the email gave them, or an existing
//! complainant's details when the officer chooses one. Never assumed: forwarded mail and an
//! MP's letter come from someone other than the resident.

use crate::db::complainants::ComplainantRow;
use crate::db::incoming_emails::EmailRow;
use crate::domain::case::RawComplaint;

pub fn complaint_from(email: &EmailRow, chosen: Option<&ComplainantRow>) -> RawComplaint {
    let received = crate::clock::london_date_of(email.received_at);
    let description = match (email.subject.trim(), email.body_text.trim()) {
        ("", text) => text.to_string(),
        (subject, "") => subject.to_string(),
        (subject, text) => format!("{subject}\n\n{text}"),
    };
    let mut raw = RawComplaint {
        channel: "email".into(),
        received_day: received.format("%-d").to_string(),
        received_month: received.format("%-m").to_string(),
        received_year: received.format("%Y").to_string(),
        complainant_name: email.from_name.clone(),
        email: email.from_address.clone(),
        preferred_contact: "email".into(),
        description,
        ..RawComplaint::default()
    };
    if let Some(person) = chosen {
        raw.complainant_name = person.name.clone();
        raw.email = person.email.clone().unwrap_or_default();
        raw.phone = person.phone.clone().unwrap_or_default();
        let lines: Vec<&str> = person.address.as_deref().unwrap_or("").lines().collect();
        match lines.as_slice() {
            [line_1, town] => {
                raw.address_line_1 = line_1.to_string();
                raw.address_town = town.to_string();
            }
            [line_1, line_2, rest @ ..] if !rest.is_empty() => {
                raw.address_line_1 = line_1.to_string();
                raw.address_line_2 = line_2.to_string();
                raw.address_town = rest.join(", ");
            }
            [line_1] => raw.address_line_1 = line_1.to_string(),
            _ => {}
        }
        raw.address_postcode = person.postcode.clone().unwrap_or_default();
        raw.tenancy_relationship = person.tenancy_relationship.clone();
    }
    raw
}
