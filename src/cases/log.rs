//! Logging a complaint (officer form or public form): allocates the reference, records the
//! complainant, property and representative, and writes the `logged` event and audit entry,
//! all in one transaction.

use chrono::{Datelike, NaiveDateTime};
use diesel::Connection;

use crate::db::audit::{self, AuditEntry};
use crate::db::case_events::{self, Actor};
use crate::db::cases::{self, NewCase};
use crate::db::complainants::{self, NewComplainant, NewRepresentative};
use crate::db::references::{self, Reference};
use crate::db::DbConnection;
use crate::domain::case::intake::ValidComplaint;
use crate::domain::case::TenancyRelationship;
use crate::domain::{CaseId, CaseReference, CaseState, Refusal, UserId};
use crate::rules::{Calendar, PolicyProfile};

#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("{0}")]
    Refused(#[from] Refusal),
    #[error("{0}")]
    Deadlines(#[from] crate::rules::DeadlineError),
    #[error("database error: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("{0}")]
    Reference(&'static str),
}

/// Who is logging: a member of staff, or the public form.
pub struct Logger<'a> {
    pub user: Option<UserId>,
    pub label: &'a str,
    pub ip: Option<&'a str>,
}

pub struct Logged {
    pub id: CaseId,
    pub reference: CaseReference,
}

/// The name stored for a complainant who gave none.
pub const ANONYMOUS: &str = "Anonymous";

pub fn log_complaint(
    conn: &mut DbConnection,
    complaint: &ValidComplaint,
    profile: &PolicyProfile,
    calendar: &Calendar,
    logger: &Logger<'_>,
    now: NaiveDateTime,
) -> Result<Logged, LogError> {
    let chosen = [
        ("property", complaint.property.map(Reference::Property)),
        ("category", complaint.category.map(Reference::Category)),
        (
            "contractor",
            complaint.contractor.map(Reference::Contractor),
        ),
    ];
    if let Some(refusal) = references::first_unknown(conn, &chosen)? {
        return Err(refusal.into());
    }
    let today = crate::clock::london_date_of(now);
    let year = complaint.received.year();
    cases::ensure_sequence_year(conn, year)?;
    conn.transaction(|conn| {
        // First statement of the transaction: takes the write lock / row lock.
        let sequence = cases::next_sequence(conn, year)?;
        let reference = CaseReference::new(year, sequence as u32).map_err(LogError::Reference)?;
        let (state, event) = CaseState::log(
            reference,
            complaint.channel,
            complaint.received,
            complaint.health_and_safety,
            complaint.safeguarding,
            today.max(complaint.received),
        )?;
        let next_due_on = crate::cases::schedule::next_due(&state, profile, calendar, today)?;

        let person = &complaint.complainant;
        let name = person.name.as_deref().unwrap_or(ANONYMOUS);
        let email = person.email.as_ref().map(|e| e.as_str());
        let phone = person.phone.as_ref().map(|p| p.as_str());
        let address_text = person.address.as_ref().map(|a| {
            [
                Some(a.line_1.as_str()),
                a.line_2.as_deref(),
                Some(a.town.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n")
        });
        let postcode = person.address.as_ref().map(|a| a.postcode.as_str());
        let existing = if person.anonymous {
            None
        } else {
            complainants::find_same_person(conn, name, email, phone)?
        };
        let (complainant_id, tenure) = match existing {
            Some(id) => (id, complainants::tenure_of(conn, id)?),
            None => {
                let tenure = person.tenancy.unwrap_or(TenancyRelationship::Other);
                let adjustments = person
                    .adjustments
                    .iter()
                    .map(|a| a.as_str())
                    .collect::<Vec<_>>()
                    .join(",");
                let id = complainants::insert(
                    conn,
                    &NewComplainant {
                        name,
                        email,
                        phone,
                        address: address_text.as_deref(),
                        postcode,
                        // No stated preference: write by email when we have an address
                        // for it (letters follow this), otherwise by post.
                        preferred_channel: person
                            .preferred_contact
                            .map(|m| m.as_str())
                            .unwrap_or(if email.is_some() { "email" } else { "letter" }),
                        tenancy_relationship: tenure.as_str(),
                        adjustments: &adjustments,
                        interpreter_language: person.interpreter_language.as_deref(),
                        vulnerability_notes: person.vulnerability_notes.as_deref(),
                        created_at: now,
                        updated_at: now,
                    },
                )?;
                (id, tenure)
            }
        };
        // The property complained about: the one chosen, or the complainant's home.
        let property_id = match (complaint.property, &address_text, postcode) {
            (Some(id), _, _) => Some(id),
            (None, Some(address), Some(postcode)) => Some(complainants::find_or_create_property(
                conn, address, postcode, now,
            )?),
            _ => None,
        };
        let reference_text = reference.to_string();
        let id = cases::insert(
            conn,
            &NewCase {
                reference: &reference_text,
                complainant_id,
                property_id,
                channel: complaint.channel,
                received_on: complaint.received,
                logged_at: now,
                occurred_on: Some(complaint.occurred),
                aware_on: complaint.aware,
                status: state.status,
                health_and_safety: complaint.health_and_safety,
                safeguarding: complaint.safeguarding,
                confidential: complaint.confidential || person.anonymous,
                category_id: complaint.category,
                contractor_id: complaint.contractor,
                description: &complaint.description,
                outcome_sought: complaint.outcome_sought.as_deref().unwrap_or(""),
                policy: &profile.name,
                next_due_on,
                created_at: now,
                updated_at: now,
                tenure,
            },
        )?;
        if let Some(rep) = &complaint.representative {
            let address = rep.address_text();
            complainants::insert_representative(
                conn,
                &NewRepresentative {
                    case_id: id,
                    name: &rep.name,
                    relationship: rep.relationship.as_str(),
                    email: rep.email.as_ref().map(|e| e.as_str()),
                    phone: rep.phone.as_ref().map(|p| p.as_str()),
                    address: address.as_deref(),
                    consent_received_on: rep.consent_received,
                    created_at: now,
                },
            )?;
        }
        case_events::append(
            conn,
            id,
            &event,
            complaint.received,
            &Actor {
                id: logger.user,
                label: logger.label,
            },
            now,
        )?;
        audit::record(
            conn,
            &AuditEntry::new(
                logger.user,
                logger.label,
                "case_logged",
                format!("case:{reference}"),
                format!("channel={}", complaint.channel.as_str()),
                logger.ip,
            ),
        )?;
        Ok(Logged { id, reference })
    })
}
