//! Reasonable adjustments, the interpreter's language and vulnerability notes (officers, or
//! the manager or director the case is assigned to: the Code asks landlords to keep
//! adjustments under review, 5.10). Letters follow at once: large print and paper needs
//! route the next letter to the print queue. The timeline says which field changed only.

use chrono::NaiveDateTime;

use super::decided;
use crate::cases::load::LoadedCase;
use crate::cases::transition::{CaseError, Decided, Rules};
use crate::db::complainants::{self, ComplainantRow};
use crate::domain::case::{Correction, Needs, PrivateField};

pub fn changes(stored: &ComplainantRow, needs: &Needs) -> Vec<Correction> {
    let adjustments = adjustments_text(needs);
    [
        (stored.adjustments != adjustments, PrivateField::Adjustments),
        (
            stored.interpreter_language != needs.interpreter_language,
            PrivateField::InterpreterLanguage,
        ),
        (
            stored.vulnerability_notes != needs.vulnerability_notes,
            PrivateField::VulnerabilityNotes,
        ),
    ]
    .into_iter()
    .filter(|(differs, _)| *differs)
    .map(|(_, which)| Correction::Private { which })
    .collect()
}

/// As stored: the codes, comma-separated.
fn adjustments_text(needs: &Needs) -> String {
    needs
        .adjustments
        .iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

pub fn decide(
    case: &LoadedCase,
    stored: &ComplainantRow,
    needs: Needs,
    rules: &Rules<'_>,
    now: NaiveDateTime,
) -> Result<Decided, CaseError> {
    let changes = changes(stored, &needs);
    let id = stored.id;
    decided(
        case,
        changes,
        rules,
        Box::new(move |conn, _| {
            complainants::update_needs(
                conn,
                id,
                &adjustments_text(&needs),
                needs.interpreter_language.as_deref(),
                needs.vulnerability_notes.as_deref(),
                now,
            )
        }),
    )
}
