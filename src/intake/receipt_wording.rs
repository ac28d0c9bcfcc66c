//! The words of the automatic receipt (issue 28), which the complaints team may change like
//! a letter: a subject and a body with placeholders in braces, `{reference}` for example,
//! filled in for each case. The standard wording ships here; a saved wording replaces it.
//! Only the placeholders listed are allowed, so a typo shows as an error beside the box
//! instead of reaching a resident as "{refrence}".

use crate::domain::FieldErrors;

/// The kind under which the receipt's wording is stored.
pub const KIND: &str = "receipt";

/// Each placeholder and what it becomes, as the editing page explains them.
pub const PLACEHOLDERS: [(&str, &str); 6] = [
    ("name", "the complainant's name"),
    ("reference", "the case reference"),
    (
        "acknowledgement date",
        "the date the acknowledgement is due, for example Friday 6 March 2026",
    ),
    ("landlord", "your organisation's name"),
    ("complaints email", "the complaints team's email address"),
    ("complaints phone", "the complaints team's telephone number"),
];

pub const STANDARD_SUBJECT: &str = "We have received your complaint: {reference}";

pub const STANDARD_BODY: &str = "Dear {name},

Thank you for contacting {landlord}. We have received your complaint and recorded it under the reference {reference}. Please quote it if you get in touch with us about it.

What happens next: a member of our complaints team will look at what you have told us and write to you to acknowledge your complaint formally by {acknowledgement date}, explaining how we will deal with it.

This is an automatic receipt: it is not that acknowledgement.

If you need to contact us: {complaints email}, {complaints phone}.

{landlord} Complaints Team
";

/// A wording to send or edit; version 0 is the standard one, never saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wording {
    pub subject: String,
    pub body: String,
    pub version: i32,
}

impl Wording {
    pub fn standard() -> Wording {
        Wording {
            subject: STANDARD_SUBJECT.into(),
            body: STANDARD_BODY.into(),
            version: 0,
        }
    }
}

/// The values for one receipt, by placeholder name.
pub struct Values<'a> {
    pub name: &'a str,
    pub reference: &'a str,
    pub acknowledge_by: &'a str,
    pub landlord: &'a str,
    pub complaints_email: &'a str,
    pub complaints_phone: &'a str,
}

impl Values<'_> {
    fn get(&self, placeholder: &str) -> Option<&str> {
        Some(match placeholder {
            "name" => self.name,
            "reference" => self.reference,
            "acknowledgement date" => self.acknowledge_by,
            "landlord" => self.landlord,
            "complaints email" => self.complaints_email,
            "complaints phone" => self.complaints_phone,
            _ => return None,
        })
    }
}

/// A piece of a wording: plain text, or a placeholder's name.
#[derive(Debug, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Placeholder(&'a str),
}

/// Splits `text` into text and `{placeholder}`s; an unclosed `{` is an error naming what
/// follows it.
fn pieces(text: &str) -> Result<Vec<Piece<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push(Piece::Text(&rest[..open]));
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            let shown: String = after.chars().take(20).collect();
            return Err(format!("Close the brace after “{{{shown}”"));
        };
        out.push(Piece::Placeholder(after[..close].trim()));
        rest = &after[close + 1..];
    }
    out.push(Piece::Text(rest));
    Ok(out)
}

fn known(placeholder: &str) -> bool {
    PLACEHOLDERS.iter().any(|(name, _)| *name == placeholder)
}

/// The problems with an edited wording, beside the subject and body boxes.
pub fn check(subject: &str, body: &str) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let mut body_has_reference = false;
    for (field, label, text) in [("subject", "subject", subject), ("body", "message", body)] {
        if text.trim().is_empty() {
            errors.add(field, format!("Enter the {label}"));
            continue;
        }
        match pieces(text) {
            Err(message) => errors.add(field, message),
            Ok(pieces) => {
                for piece in pieces {
                    if let Piece::Placeholder(name) = piece {
                        body_has_reference |= field == "body" && name == "reference";
                        if !known(name) {
                            errors.add(
                                field,
                                format!(
                                    "“{{{name}}}” is not a placeholder you can use: see the list"
                                ),
                            );
                        }
                    }
                }
            }
        }
    }
    if !errors.has("body") && !body_has_reference {
        errors.add(
            "body",
            "The message must include {reference}, so the resident can quote it",
        );
    }
    errors
}

/// `text` with each placeholder replaced by its value. A wording that passed [`check`]
/// has only known placeholders; anything else is left as written.
pub fn fill(text: &str, values: &Values<'_>) -> String {
    let Ok(pieces) = pieces(text) else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len() + 64);
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Placeholder(name) => match values.get(name) {
                Some(value) => out.push_str(value),
                None => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            },
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Values<'static> {
        Values {
            name: "Jo Bloggs",
            reference: "CMP-2026-000123",
            acknowledge_by: "Friday 6 March 2026",
            landlord: "Riverside Homes",
            complaints_email: "complaints@example.org",
            complaints_phone: "0300 123 4567",
        }
    }

    #[test]
    fn the_standard_wording_passes_its_own_check_and_fills_every_placeholder() {
        assert!(check(STANDARD_SUBJECT, STANDARD_BODY).is_empty());
        let body = fill(STANDARD_BODY, &values());
        assert!(!body.contains('{'), "{body}");
        assert!(body.starts_with("Dear Jo Bloggs,"));
        assert!(body.contains("by Friday 6 March 2026"));
        assert_eq!(
            fill(STANDARD_SUBJECT, &values()),
            "We have received your complaint: CMP-2026-000123"
        );
    }

    #[test]
    fn unknown_and_unclosed_placeholders_are_refused_beside_their_box() {
        let errors = check("About {refrence}", "Your reference is {reference");
        assert_eq!(
            errors.get("subject"),
            Some("“{refrence}” is not a placeholder you can use: see the list")
        );
        assert_eq!(
            errors.get("body"),
            Some("Close the brace after “{reference”")
        );
    }

    #[test]
    fn the_body_must_carry_the_reference_and_neither_box_may_be_empty() {
        let errors = check(" ", "Thank you, {name}.");
        assert_eq!(errors.get("subject"), Some("Enter the subject"));
        assert_eq!(
            errors.get("body"),
            Some("The message must include {reference}, so the resident can quote it")
        );
        assert_eq!(check("x", "  ").get("body"), Some("Enter the message"));
    }

    #[test]
    fn spaces_inside_braces_are_forgiven() {
        assert!(check("Hi", "Ref { reference }").is_empty());
        assert_eq!(fill("Ref { reference }", &values()), "Ref CMP-2026-000123");
    }
}
