//! A case's representative added or changed after logging (SPEC section 2): who they are,
//! how letters reach them, and when consent was received. Not a state change; the timeline
//! records the relationship and consent (not the name: managers see the timeline even when
//! the complainant, and so their representative, is confidential).

use chrono::NaiveDateTime;

use crate::cases::load::LoadedCase;
use crate::cases::transition::{CaseError, Decided, Rules};
use crate::db::complainants::{self, NewRepresentative};
use crate::domain::case::RepresentativeDetails;
use crate::domain::CaseEvent;

/// `had_one`: the case already has a representative (read before the transaction; a
/// concurrent change is caught by the case version).
pub fn decide_representative(
    case: &LoadedCase,
    details: RepresentativeDetails,
    had_one: bool,
    rules: &Rules<'_>,
    now: NaiveDateTime,
) -> Result<Decided, CaseError> {
    let event = CaseEvent::RepresentativeChanged {
        relationship: details.relationship,
        consent_received: details.consent_received,
        added: !had_one,
    };
    let mut decided = Decided::new(case.state.clone(), event, rules.today);
    decided.also = Some(Box::new(move |conn, id| {
        let address = details.address_text();
        complainants::save_representative(
            conn,
            &NewRepresentative {
                case_id: id,
                name: &details.name,
                relationship: details.relationship.as_str(),
                email: details.email.as_ref().map(|e| e.as_str()),
                phone: details.phone.as_ref().map(|p| p.as_str()),
                address: address.as_deref(),
                consent_received_on: details.consent_received,
                created_at: now,
            },
        )
        .map(|_| ())
    }));
    Ok(decided)
}
