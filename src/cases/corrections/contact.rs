//! The complainant's name, contact details, preferred way to be contacted and relationship
//! to the home (officers, any time: letters may follow closure). The complainant's row is
//! the person's, shared by their cases, so every case's letters not yet sent use the new
//! details; sent letters keep the address they were frozen with. The timeline says which
//! field changed, never the value; the tenancy relationship (a case field reports count by)
//! reads old → new.

use chrono::NaiveDateTime;

use super::{changed, decided};
use crate::cases::load::LoadedCase;
use crate::cases::transition::{CaseError, Decided, Rules};
use crate::db::complainants::{self, ComplainantRow, ContactUpdate};
use crate::db::report_summary;
use crate::domain::case::{ContactDetails, Correction, PrivateField, TenancyRelationship};
use crate::domain::CaseId;

/// What differs between the stored complainant and the corrected details.
pub fn changes(stored: &ComplainantRow, details: &ContactDetails) -> Vec<Correction> {
    let private = |which| Correction::Private { which };
    let address = details.address.as_ref().map(|a| a.lines_text());
    let postcode = details
        .address
        .as_ref()
        .map(|a| a.postcode.as_str().to_string());
    let pairs = [
        (stored.name != details.name, PrivateField::Name),
        (stored.address != address, PrivateField::Address),
        (stored.postcode != postcode, PrivateField::Postcode),
        (
            stored.phone.as_deref() != details.phone.as_ref().map(|p| p.as_str()),
            PrivateField::Telephone,
        ),
        (
            stored.email.as_deref() != details.email.as_ref().map(|e| e.as_str()),
            PrivateField::Email,
        ),
        (
            stored.preferred_channel != details.preferred_contact.as_str(),
            PrivateField::PreferredContact,
        ),
    ];
    let mut changes: Vec<Correction> = pairs
        .into_iter()
        .filter(|(differs, _)| *differs)
        .map(|(_, which)| private(which))
        .collect();
    let tenancy_from = stored
        .tenancy_relationship
        .parse()
        .unwrap_or(TenancyRelationship::Other);
    changes.extend(changed(tenancy_from, details.tenancy, |from, to| {
        Correction::Tenancy { from, to }
    }));
    changes
}

/// `stored`: the complainant as read before the transaction (a concurrent change through
/// this case is caught by the case's version).
pub fn decide(
    case: &LoadedCase,
    stored: &ComplainantRow,
    details: ContactDetails,
    rules: &Rules<'_>,
    now: NaiveDateTime,
) -> Result<Decided, CaseError> {
    let changes = changes(stored, &details);
    let id = stored.id;
    decided(
        case,
        changes,
        rules,
        Box::new(move |conn, acting| {
            let address = details.address.as_ref().map(|a| a.lines_text());
            let before = complainants::update_contact(
                conn,
                id,
                &ContactUpdate {
                    name: &details.name,
                    email: details.email.as_ref().map(|e| e.as_str()),
                    phone: details.phone.as_ref().map(|p| p.as_str()),
                    address: address.as_deref(),
                    postcode: details.address.as_ref().map(|a| a.postcode.as_str()),
                    preferred_channel: details.preferred_contact.as_str(),
                    tenancy_relationship: details.tenancy.as_str(),
                    updated_at: now,
                },
            )?;
            // Their other cases' facts move tenure in the reports' summary (the case acted
            // on is moved by the runner).
            let others: Vec<(CaseId, String)> = before
                .into_iter()
                .filter(|(case, tenure)| *case != acting && tenure != details.tenancy.as_str())
                .collect();
            report_summary::record_tenure_changes(conn, &others)
        }),
    )
}
