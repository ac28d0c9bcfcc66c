//! Demo complainants and their representatives, made up from the built-in word lists.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::words::{FIRST_NAMES, INTERPRETER_LANGUAGES, SURNAMES, VULNERABILITY_NOTES};
use super::{pick, weighted};
use crate::cases::log::ANONYMOUS;
use crate::db::complainants::{ComplainantRow, PropertyRow, RepresentativeRow};
use crate::domain::case::{
    Adjustment, Channel, ContactMethod, RepresentativeRelationship, TenancyRelationship,
};
use crate::domain::{CaseId, ComplainantId, RepresentativeId};

/// Columns per row, for sizing multi-row INSERTs.
pub const COMPLAINANT_COLUMNS: usize = 13;

pub const REPRESENTATIVE_COLUMNS: usize = 9;

/// A made-up full name.
pub fn full_name(rng: &mut ChaCha8Rng) -> String {
    format!("{} {}", pick(rng, FIRST_NAMES), pick(rng, SURNAMES))
}

/// A number in Ofcom's range reserved for drama (07700 900000 to 900999): never a real phone.
fn phone(rng: &mut ChaCha8Rng) -> String {
    format!("07700900{:03}", rng.random_range(0..1000))
}

fn email(rng: &mut ChaCha8Rng, name: &str) -> String {
    let local: String = name
        .to_lowercase()
        .replace(' ', ".")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    let domain = pick(rng, &["example.com", "example.org", "example.net"]);
    format!("{local}{}@{domain}", rng.random_range(1..1000))
}

const TENANCIES: &[(TenancyRelationship, u32)] = &[
    (TenancyRelationship::Tenant, 70),
    (TenancyRelationship::Leaseholder, 10),
    (TenancyRelationship::SharedOwner, 6),
    (TenancyRelationship::Licensee, 3),
    (TenancyRelationship::Homeowner, 3),
    (TenancyRelationship::PrivateTenant, 3),
    (TenancyRelationship::Other, 5),
];

/// A new complainant living at `home`; `anonymous` ones leave no name or contact details.
pub fn complainant(
    rng: &mut ChaCha8Rng,
    id: ComplainantId,
    home: &PropertyRow,
    anonymous: bool,
    at: NaiveDateTime,
) -> ComplainantRow {
    if anonymous {
        return ComplainantRow {
            id,
            name: ANONYMOUS.to_string(),
            email: None,
            phone: None,
            address: None,
            postcode: None,
            preferred_channel: ContactMethod::Letter.as_str().to_string(),
            tenancy_relationship: TenancyRelationship::Other.as_str().to_string(),
            adjustments: String::new(),
            interpreter_language: None,
            vulnerability_notes: None,
            created_at: at,
            updated_at: at,
        };
    }
    let name = full_name(rng);
    let email = rng.random_bool(0.7).then(|| email(rng, &name));
    let phone = rng.random_bool(0.8).then(|| phone(rng));
    let preferred = match (&email, &phone) {
        (Some(_), _) if rng.random_bool(0.5) => ContactMethod::Email,
        (_, Some(_)) if rng.random_bool(0.6) => ContactMethod::Phone,
        _ => ContactMethod::Letter,
    };
    let mut adjustments = Vec::new();
    if rng.random_bool(0.1) {
        adjustments.push(pick(rng, Adjustment::ALL));
        if rng.random_bool(0.2) {
            let second = pick(rng, Adjustment::ALL);
            if !adjustments.contains(&second) {
                adjustments.push(second);
            }
        }
    }
    let interpreter_language = adjustments
        .contains(&Adjustment::Interpreter)
        .then(|| pick(rng, INTERPRETER_LANGUAGES));
    let vulnerability_notes = rng
        .random_bool(0.08)
        .then(|| pick(rng, VULNERABILITY_NOTES));
    ComplainantRow {
        id,
        name,
        email,
        phone,
        address: Some(home.address.clone()),
        postcode: Some(home.postcode.clone()),
        preferred_channel: preferred.as_str().to_string(),
        tenancy_relationship: weighted(rng, TENANCIES).as_str().to_string(),
        adjustments: adjustments
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>()
            .join(","),
        interpreter_language: interpreter_language.map(str::to_string),
        vulnerability_notes: vulnerability_notes.map(str::to_string),
        created_at: at,
        updated_at: at,
    }
}

/// Someone acting for the complainant. A complaint that came through an MP or councillor is
/// represented by them; solicitors only where the profile accepts them. Consent is usually,
/// not always, on file (dated on or before receipt).
pub fn representative(
    rng: &mut ChaCha8Rng,
    id: RepresentativeId,
    case_id: CaseId,
    channel: Channel,
    received: NaiveDate,
    accepts_solicitors: bool,
    at: NaiveDateTime,
) -> RepresentativeRow {
    use RepresentativeRelationship as R;
    let mut relationship = if channel == Channel::MpCouncillor {
        pick(rng, &[R::Mp, R::Councillor])
    } else {
        weighted(
            rng,
            &[
                (R::FriendRelative, 45),
                (R::Advocate, 20),
                (R::Mp, 10),
                (R::Councillor, 10),
                (R::Solicitor, 15),
            ],
        )
    };
    if relationship == R::Solicitor && !accepts_solicitors {
        relationship = R::FriendRelative;
    }
    let name = match relationship {
        R::Mp => format!("{} MP", full_name(rng)),
        R::Councillor => format!("Cllr {}", full_name(rng)),
        R::Solicitor => format!("{} Solicitors LLP", pick(rng, SURNAMES)),
        _ => full_name(rng),
    };
    let consent_received_on = rng
        .random_bool(0.85)
        .then(|| received - Duration::days(rng.random_range(0..15)));
    let email = rng.random_bool(0.5).then(|| email(rng, &name));
    let phone = rng.random_bool(0.5).then(|| phone(rng));
    // Intake requires an email or postal address once consent is recorded (letters go to the
    // representative); a fixed office address keeps the random stream, and so the rest of
    // the demo data, unchanged.
    let address = (consent_received_on.is_some() && email.is_none()).then(|| {
        match relationship {
            R::Mp => "House of Commons\nLondon\nSW1A 0AA",
            R::Councillor => "Council Offices\nMarket Street\nAnytown\nAN1 1AA",
            R::Solicitor => "2 Chancery Court\nAnytown\nAN1 2CC",
            R::Advocate => "Advocacy Centre\n5 Bridge Street\nAnytown\nAN1 3DD",
            R::FriendRelative => "14 Orchard Way\nAnytown\nAN2 4EE",
        }
        .to_string()
    });
    RepresentativeRow {
        id,
        case_id,
        email,
        phone,
        name,
        relationship: relationship.as_str().to_string(),
        address,
        consent_received_on,
        created_at: at,
    }
}
