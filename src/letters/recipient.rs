//! Who a letter goes to and how: the complainant, or their representative once consent is
//! recorded; by email, or on paper through the print queue when there is no email address,
//! the complainant asked for letters, or their adjustments need paper (large print, braille,
//! coloured paper). Large print follows the complainant's adjustments.

use crate::db::complainants::{ComplainantRow, RepresentativeRow};
use crate::domain::case::{Adjustment, ContactMethod};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Post,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => crate::db::letters::EMAIL,
            Channel::Post => crate::db::letters::POST,
        }
    }

    /// How the clock-stopping event records the letter's sending.
    pub fn method(self) -> ContactMethod {
        match self {
            Channel::Email => ContactMethod::Email,
            Channel::Post => ContactMethod::Letter,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub name: String,
    pub address: Vec<String>,
    pub email: Option<String>,
    pub channel: Channel,
    pub large_print: bool,
    /// Addressed to the representative (consent recorded), not the complainant.
    pub representative: bool,
    /// Why the letter goes by post, for staff.
    pub post_reason: Option<String>,
    /// Paper needs the print room must meet besides large print (braille, coloured paper).
    pub paper_needs: Vec<String>,
}

/// Lines the DL envelope window shows (90 x 35 mm) at the print view's address sizes
/// (static/letters-print.css: 11 pt at 1.45 spacing, large print 13 pt at 1.15).
pub const WINDOW_LINES: usize = 6;

/// Why the name and address would not fit the envelope window on paper, if they would not:
/// a long line wraps (about 42 characters fit across, 35 in large print).
pub fn window_problem(recipient: &Recipient) -> Option<String> {
    let across = if recipient.large_print { 35 } else { 42 };
    let lines: usize = std::iter::once(&recipient.name)
        .chain(&recipient.address)
        .map(|line| line.chars().count().max(1).div_ceil(across))
        .sum();
    (lines > WINDOW_LINES).then(|| {
        format!(
            "The name and address take {lines} lines{} but the envelope window shows {WINDOW_LINES}: shorten the address on the case (for example, put the town and postcode on one line) before sending by post",
            if recipient.large_print { " in large print" } else { "" }
        )
    })
}

impl Recipient {
    /// The recipient as shown to someone who may not know a confidential complainant: how
    /// the letter will go, without who or where (an officer fills those in by sending it).
    pub fn withheld(&self) -> Recipient {
        Recipient {
            name: if self.representative {
                crate::cases::identity::WITHHELD_REPRESENTATIVE
            } else {
                crate::cases::identity::WITHHELD_NAME
            }
            .to_string(),
            address: vec![ADDRESS_ADDED_BY_OFFICER.to_string()],
            email: None,
            ..self.clone()
        }
    }
}

/// Stands in for a confidential recipient's address in a preview.
pub const ADDRESS_ADDED_BY_OFFICER: &str =
    "[The address is added when an officer sends the letter]";

/// The complainant's adjustments, from the stored comma-separated codes.
pub fn adjustments_of(complainant: &ComplainantRow) -> Vec<Adjustment> {
    complainant
        .adjustments
        .split(',')
        .filter_map(|code| code.trim().parse::<Adjustment>().ok())
        .collect()
}

fn address_lines(address: Option<&str>, postcode: Option<&str>) -> Vec<String> {
    address
        .unwrap_or_default()
        .split(['\n', ','])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .chain(
            postcode
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string),
        )
        .collect()
}

/// Routes the case's letters: to its complainant (or their representative), with the
/// complaint's property as the address when they have none of their own.
pub fn for_case(
    conn: &mut crate::db::DbConnection,
    case: &crate::cases::load::LoadedCase,
) -> diesel::QueryResult<Recipient> {
    let complainant = crate::db::complainants::find(conn, case.row.complainant_id)?
        .ok_or(diesel::result::Error::NotFound)?;
    for_complainant(conn, case, &complainant)
}

/// [`for_case`], the complainant already read.
pub fn for_complainant(
    conn: &mut crate::db::DbConnection,
    case: &crate::cases::load::LoadedCase,
    complainant: &ComplainantRow,
) -> diesel::QueryResult<Recipient> {
    use crate::db::complainants;
    let representative = complainants::representative_of(conn, case.row.id)?;
    let property = match case.row.property_id {
        Some(id) => complainants::find_property(conn, id)?,
        None => None,
    };
    Ok(route(
        complainant,
        representative.as_ref(),
        property
            .as_ref()
            .map(|p| (p.address.as_str(), p.postcode.as_str())),
    ))
}

/// Routes a letter. `property` is the complaint's property address, used when the
/// complainant has no correspondence address of their own.
pub fn route(
    complainant: &ComplainantRow,
    representative: Option<&RepresentativeRow>,
    property: Option<(&str, &str)>,
) -> Recipient {
    let adjustments = adjustments_of(complainant);
    if let Some(rep) = representative.filter(|r| r.consent_received_on.is_some()) {
        let email = rep.email.clone().filter(|e| !e.trim().is_empty());
        return Recipient {
            name: rep.name.clone(),
            address: address_lines(rep.address.as_deref(), None),
            channel: if email.is_some() {
                Channel::Email
            } else {
                Channel::Post
            },
            post_reason: email
                .is_none()
                .then(|| "The representative has no email address".to_string()),
            email,
            // Large print is the complainant's need, not their representative's.
            large_print: false,
            representative: true,
            paper_needs: Vec::new(),
        };
    }
    let mut address = address_lines(
        complainant.address.as_deref(),
        complainant.postcode.as_deref(),
    );
    if address.is_empty() {
        if let Some((line, postcode)) = property {
            address = address_lines(Some(line), Some(postcode));
        }
    }
    let email = complainant.email.clone().filter(|e| !e.trim().is_empty());
    let large_print = adjustments.contains(&Adjustment::LargePrint);
    let paper_needs: Vec<String> = adjustments
        .iter()
        .filter(|a| matches!(a, Adjustment::Braille | Adjustment::ColouredPaper))
        .map(|a| a.label().to_string())
        .collect();
    let post_reason = if email.is_none() {
        Some("No email address".to_string())
    } else if complainant.preferred_channel == ContactMethod::Letter.as_str() {
        Some("Asked for letters by post".to_string())
    } else if large_print {
        Some("Needs large print".to_string())
    } else if !paper_needs.is_empty() {
        Some(format!(
            "Needs {}",
            paper_needs.join(" and ").to_lowercase()
        ))
    } else {
        None
    };
    Recipient {
        name: complainant.name.clone(),
        address,
        channel: if post_reason.is_some() {
            Channel::Post
        } else {
            Channel::Email
        },
        email,
        large_print,
        representative: false,
        post_reason,
        paper_needs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CaseId, ComplainantId, RepresentativeId};
    use chrono::NaiveDate;

    fn complainant(email: Option<&str>, preferred: &str, adjustments: &str) -> ComplainantRow {
        let at = NaiveDate::from_ymd_opt(2026, 11, 2)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        ComplainantRow {
            id: ComplainantId(1),
            name: "Ada Lovelace".into(),
            email: email.map(str::to_string),
            phone: None,
            address: Some("12 Mill Lane\nAnytown".into()),
            postcode: Some("AN1 2BB".into()),
            preferred_channel: preferred.into(),
            tenancy_relationship: "tenant".into(),
            adjustments: adjustments.into(),
            interpreter_language: None,
            vulnerability_notes: None,
            created_at: at,
            updated_at: at,
        }
    }

    fn representative(consent: bool, email: Option<&str>) -> RepresentativeRow {
        RepresentativeRow {
            id: RepresentativeId(1),
            case_id: CaseId(1),
            name: "Cllr Grace Hopper".into(),
            relationship: "councillor".into(),
            email: email.map(str::to_string),
            phone: None,
            address: Some("Town Hall, Anytown, AN1 1TH".into()),
            consent_received_on: consent.then(|| NaiveDate::from_ymd_opt(2026, 11, 3).unwrap()),
            created_at: NaiveDate::from_ymd_opt(2026, 11, 2)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
        }
    }

    #[test]
    fn email_to_the_complainant_by_default() {
        let r = route(
            &complainant(Some("ada@example.org"), "email", ""),
            None,
            None,
        );
        assert_eq!(r.channel, Channel::Email);
        assert_eq!(r.email.as_deref(), Some("ada@example.org"));
        assert_eq!(r.address, ["12 Mill Lane", "Anytown", "AN1 2BB"]);
        assert!(!r.large_print && !r.representative);
    }

    #[test]
    fn no_email_or_asked_for_post_goes_to_the_print_queue() {
        assert_eq!(
            route(&complainant(None, "email", ""), None, None).channel,
            Channel::Post
        );
        let asked = route(&complainant(Some("a@b.org"), "letter", ""), None, None);
        assert_eq!(asked.channel, Channel::Post);
        assert_eq!(
            asked.post_reason.as_deref(),
            Some("Asked for letters by post")
        );
    }

    #[test]
    fn large_print_is_automatic_and_posted() {
        let r = route(
            &complainant(Some("a@b.org"), "email", "advocate,large_print"),
            None,
            None,
        );
        assert!(r.large_print);
        assert_eq!(r.channel, Channel::Post);
        let braille = route(
            &complainant(Some("a@b.org"), "email", "braille"),
            None,
            None,
        );
        assert_eq!(braille.channel, Channel::Post);
        assert_eq!(braille.paper_needs, ["Braille"]);
    }

    #[test]
    fn the_representative_only_once_consent_is_recorded() {
        let c = complainant(Some("ada@example.org"), "email", "large_print");
        let without = route(
            &c,
            Some(&representative(false, Some("gh@council.gov.uk"))),
            None,
        );
        assert_eq!(without.name, "Ada Lovelace");
        let with = route(
            &c,
            Some(&representative(true, Some("gh@council.gov.uk"))),
            None,
        );
        assert!(with.representative);
        assert_eq!(with.name, "Cllr Grace Hopper");
        assert_eq!(with.email.as_deref(), Some("gh@council.gov.uk"));
        assert_eq!(with.channel, Channel::Email);
        assert!(!with.large_print);
        let posted = route(&c, Some(&representative(true, None)), None);
        assert_eq!(posted.channel, Channel::Post);
        assert_eq!(posted.address, ["Town Hall", "Anytown", "AN1 1TH"]);
    }

    #[test]
    fn the_property_address_when_the_complainant_has_none() {
        let mut c = complainant(None, "letter", "");
        c.address = None;
        c.postcode = None;
        let r = route(&c, None, Some(("3 Oak Road", "AN3 3CC")));
        assert_eq!(r.address, ["3 Oak Road", "AN3 3CC"]);
    }
}
