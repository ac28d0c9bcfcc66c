//! The case officer (officers, once the case is triaged). "My cases" reads the case row, so
//! it follows; the officer who had the case and the one who has it now both hear of it
//! through the outbox, in the same transaction.

use super::decided;
use crate::cases::load::LoadedCase;
use crate::cases::transition::{CaseError, Decided, Rules};
use crate::db::{users, DbConnection};
use crate::domain::case::{Correction, Named};
use crate::domain::{Role, UserId};
use crate::mail::links::Links;

/// The officers, old and new, by name; refuses someone who is not an active officer.
pub fn look_up(
    conn: &mut DbConnection,
    case: &LoadedCase,
    officer: UserId,
) -> Result<(Option<Named<UserId>>, Named<UserId>), CaseError> {
    let new = users::find(conn, officer)?
        .filter(|u| u.active && u.role == Role::Officer.as_str())
        .ok_or_else(|| {
            CaseError::Refused(crate::domain::Refusal::UnknownChoice {
                field: "officer".into(),
                what: "a complaints officer",
            })
        })?;
    let old = match case.row.case_officer_id {
        Some(id) => users::find(conn, id)?.map(|u| Named {
            id,
            name: u.display_name,
        }),
        None => None,
    };
    Ok((
        old,
        Named {
            id: officer,
            name: new.display_name,
        },
    ))
}

pub fn decide(
    case: &LoadedCase,
    (old, new): (Option<Named<UserId>>, Named<UserId>),
    rules: &Rules<'_>,
    links: Links,
) -> Result<Decided, CaseError> {
    let changes = if old.as_ref().map(|o| o.id) == Some(new.id) {
        Vec::new()
    } else {
        vec![Correction::CaseOfficer {
            from: old.clone(),
            to: new.clone(),
        }]
    };
    let reference = case.row.reference.clone();
    let now = rules.now;
    decided(
        case,
        changes,
        rules,
        Box::new(move |conn, _| {
            crate::mail::notify::case_officer_changed(conn, &links, &reference, new.id, true, now)?;
            if let Some(old) = old {
                crate::mail::notify::case_officer_changed(
                    conn, &links, &reference, old.id, false, now,
                )?;
            }
            Ok(())
        }),
    )
}
