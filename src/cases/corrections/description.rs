//! The description and the outcome sought (officers, until the stage is acknowledged: the
//! acknowledgement states the complaint definition the resident agreed, so afterwards the
//! complaint points are amended instead). A draft acknowledgement not yet sent that still
//! says what the case said picks up the change; one an officer has edited keeps their words.

use super::decided;
use crate::cases::load::LoadedCase;
use crate::cases::transition::{CaseError, Decided, Rules};
use crate::db::{cases, letters};
use crate::domain::case::{Correction, PrivateField};
use crate::letters::view::Details;

pub fn changes(case: &LoadedCase, description: &str, outcome_sought: &str) -> Vec<Correction> {
    [
        (
            case.row.description != description,
            PrivateField::Description,
        ),
        (
            case.row.outcome_sought != outcome_sought,
            PrivateField::OutcomeSought,
        ),
    ]
    .into_iter()
    .filter(|(differs, _)| *differs)
    .map(|(_, which)| Correction::Private { which })
    .collect()
}

pub fn decide(
    case: &LoadedCase,
    description: String,
    outcome_sought: String,
    rules: &Rules<'_>,
) -> Result<Decided, CaseError> {
    let old = (
        case.row.description.clone(),
        case.row.outcome_sought.clone(),
    );
    let now = rules.now;
    decided(
        case,
        changes(case, &description, &outcome_sought),
        rules,
        Box::new(move |conn, id| {
            cases::set_description(conn, id, &description, &outcome_sought)?;
            for draft in letters::drafts_of(conn, id)? {
                let mut details = Details::parse(&draft.details);
                let before = details.clone();
                if details.points == old.0 {
                    details.points = description.clone();
                }
                if details.outcome_sought == old.1 {
                    details.outcome_sought = outcome_sought.clone();
                }
                if details != before {
                    letters::replace_draft_details(conn, draft.id, &details.to_json(), now)?;
                }
            }
            Ok(())
        }),
    )
}
