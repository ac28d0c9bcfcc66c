//! The description and the outcome sought (officers, until the stage is acknowledged: the
//! acknowledgement states the complaint definition the resident agreed, so afterwards the
//! complaint points are amended instead). A draft acknowledgement not yet sent that still
//! says what the case said picks up the change; one an officer has edited keeps their words.

use super::decided;
use crate::cases::load::LoadedCase;
use crate::cases::transition::{CaseError, Decided, Rules};
use crate::db::{cases, letters};
use crate::domain::case::{Correction, PrivateField};

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
            // A draft's details are the letters' JSON; only the two answers an acknowledgement
            // fills from the case are touched, and only while they still say what it said.
            // (Read as JSON here: the letters module is above this one.)
            for draft in letters::drafts_of(conn, id)? {
                let Ok(mut details) = serde_json::from_str::<serde_json::Value>(&draft.details)
                else {
                    continue;
                };
                let mut changed = false;
                for (key, was, now_is) in [
                    ("points", &old.0, &description),
                    ("outcome_sought", &old.1, &outcome_sought),
                ] {
                    if details.get(key).and_then(|v| v.as_str()) == Some(was.as_str()) {
                        details[key] = serde_json::Value::String(now_is.clone());
                        changed = true;
                    }
                }
                if changed {
                    letters::replace_draft_details(conn, draft.id, &details.to_string(), now)?;
                }
            }
            Ok(())
        }),
    )
}
