//! The case transition a clock-stopping letter stands for, whether it was sent from Redress
//! (`letters::send`) or recorded as sent elsewhere (`letters::elsewhere`): the same
//! acknowledgement, the same decision sent, the same "letter sent" timeline entry.

use chrono::{NaiveDate, NaiveDateTime};

use super::kind::{LetterKind, Records};
use super::view::Details;
use crate::cases::acknowledge::{self, AcknowledgeCommand};
use crate::cases::decide;
use crate::cases::load::LoadedCase;
use crate::cases::transition::{CaseError, Decided, Rules};
use crate::db::decisions::DecisionRow;
use crate::domain::case::ContactMethod;
use crate::domain::CaseEvent;

/// How the letter went.
#[derive(Debug, Clone, Copy)]
pub struct Sending {
    pub on: NaiveDate,
    pub method: ContactMethod,
    /// Outside Redress, recorded with a copy.
    pub elsewhere: bool,
}

/// The transition for a letter of `kind` that completes its step: an acknowledgement
/// records the acknowledgement with the complaint definition in `details`; a response sends
/// `decision`; an extension letter records that the resident was told of the extension
/// decided before. `None` for the other kinds.
pub fn decide(
    loaded: &LoadedCase,
    kind: LetterKind,
    sending: Sending,
    details: &Details,
    decision: Option<DecisionRow>,
    rules: &Rules<'_>,
    now: NaiveDateTime,
) -> Option<Result<Decided, CaseError>> {
    let Sending { on, method, .. } = sending;
    let decided = match kind.records() {
        Records::Acknowledgement => acknowledge::decide(
            loaded,
            AcknowledgeCommand {
                on,
                method,
                points: details.point_lines(),
                outcome_sought: details.outcome_sought.trim().to_string(),
            },
            rules,
            now,
        ),
        Records::Response => decision
            .ok_or_else(|| CaseError::Invalid("Draft the decision before sending it".into()))
            .and_then(|decision| decide::decide_send(loaded, decision, on, method, rules, now)),
        // The extension was decided before: the letter only records that the resident was
        // told, which changes nothing on the case.
        Records::ExtensionNotified => {
            return Some(Ok(Decided::new(
                loaded.state.clone(),
                sent_event(kind, sending),
                on,
            )))
        }
        Records::Decline | Records::RestrictionNotice | Records::Notice => return None,
    };
    Some(decided.map(|mut decided| {
        decided.follow_ups.push((sent_event(kind, sending), on));
        decided
    }))
}

/// The timeline's "letter sent" entry.
pub fn sent_event(kind: LetterKind, sending: Sending) -> CaseEvent {
    CaseEvent::LetterSent {
        letter: kind.as_str().to_string(),
        on: sending.on,
        method: sending.method,
        elsewhere: sending.elsewhere,
    }
}
