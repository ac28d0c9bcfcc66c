//! The kinds of letter a resident is owed (SPEC section 5), and which clock-stopping event
//! sending each one records.

use std::fmt;
use std::str::FromStr;

use crate::rules::Stage;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LetterKind {
    Stage1Acknowledgement,
    Stage2Acknowledgement,
    Extension,
    Stage0Decision,
    Stage1Response,
    Stage2Response,
    Decline,
    /// The notice of a contact restriction a director approved (SPEC section 5).
    RestrictionNotice,
    /// Why an escalation to stage 2 was refused, on a section 2 ground, with the Housing
    /// Ombudsman's details (Code 2.4, 5.11).
    EscalationRefusal,
    /// An update at the interval agreed with the resident while a response is extended or
    /// late or an action is outstanding (Code 5.9, 6.6).
    ProgressUpdate,
    /// That an action promised in a response has been completed (Code 6.6).
    ActionCompleted,
}

/// What sending a letter of a kind records on the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Records {
    /// The stage's acknowledgement (stops the acknowledgement clock).
    Acknowledgement,
    /// An extension, notified by this letter.
    ExtensionNotified,
    /// The stage's decision or response (stops the response clock, closes the stage).
    Response,
    /// The exclusion at triage, with the decline sent.
    Decline,
    /// Only that the notice of the case's contact restriction was sent.
    RestrictionNotice,
    /// Only that the resident was told (a refusal explained, a progress update, an action
    /// completed): a "letter sent" entry, nothing else on the case changes.
    Notice,
}

impl LetterKind {
    pub const ALL: [LetterKind; 11] = [
        LetterKind::Stage1Acknowledgement,
        LetterKind::Stage2Acknowledgement,
        LetterKind::Extension,
        LetterKind::Stage0Decision,
        LetterKind::Stage1Response,
        LetterKind::Stage2Response,
        LetterKind::Decline,
        LetterKind::RestrictionNotice,
        LetterKind::EscalationRefusal,
        LetterKind::ProgressUpdate,
        LetterKind::ActionCompleted,
    ];

    /// The stored value and URL segment.
    pub fn as_str(self) -> &'static str {
        match self {
            LetterKind::Stage1Acknowledgement => "stage1_acknowledgement",
            LetterKind::Stage2Acknowledgement => "stage2_acknowledgement",
            LetterKind::Extension => "extension",
            LetterKind::Stage0Decision => "stage0_decision",
            LetterKind::Stage1Response => "stage1_response",
            LetterKind::Stage2Response => "stage2_response",
            LetterKind::Decline => "decline",
            LetterKind::RestrictionNotice => "restriction_notice",
            LetterKind::EscalationRefusal => "escalation_refusal",
            LetterKind::ProgressUpdate => "progress_update",
            LetterKind::ActionCompleted => "action_completed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LetterKind::Stage1Acknowledgement => "Stage 1 acknowledgement",
            LetterKind::Stage2Acknowledgement => "Stage 2 acknowledgement",
            LetterKind::Extension => "Extension",
            LetterKind::Stage0Decision => "Stage 0 decision",
            LetterKind::Stage1Response => "Stage 1 response",
            LetterKind::Stage2Response => "Stage 2 final response",
            LetterKind::Decline => "Decline (exclusion)",
            LetterKind::RestrictionNotice => "Contact restriction notice",
            LetterKind::EscalationRefusal => "Escalation refusal",
            LetterKind::ProgressUpdate => "Progress update",
            LetterKind::ActionCompleted => "Action completed",
        }
    }

    /// The email subject, after the reference.
    pub fn subject(self) -> &'static str {
        match self {
            LetterKind::Stage1Acknowledgement | LetterKind::Stage2Acknowledgement => {
                "We have received your complaint"
            }
            LetterKind::Extension => "We need more time to respond to your complaint",
            LetterKind::Stage0Decision => "Our response to your concern",
            LetterKind::Stage1Response => "Our response to your complaint",
            LetterKind::Stage2Response => "Our final response to your complaint",
            LetterKind::Decline => "We are unable to take your complaint forward",
            LetterKind::RestrictionNotice => "How you can contact us about your complaint",
            LetterKind::EscalationRefusal => "Why we cannot escalate your complaint to stage 2",
            LetterKind::ProgressUpdate => "An update on your complaint",
            LetterKind::ActionCompleted => "We have completed an action we promised you",
        }
    }

    /// The stage a letter of this kind belongs to; `None` for the kinds sent at whatever
    /// stage the case is at (extension) or before any stage (decline).
    pub fn fixed_stage(self) -> Option<Stage> {
        match self {
            LetterKind::Stage1Acknowledgement | LetterKind::Stage1Response => Some(Stage::Stage1),
            LetterKind::Stage2Acknowledgement | LetterKind::Stage2Response => Some(Stage::Stage2),
            LetterKind::Stage0Decision => Some(Stage::Stage0),
            LetterKind::Extension
            | LetterKind::Decline
            | LetterKind::RestrictionNotice
            | LetterKind::EscalationRefusal
            | LetterKind::ProgressUpdate
            | LetterKind::ActionCompleted => None,
        }
    }

    pub fn records(self) -> Records {
        match self {
            LetterKind::Stage1Acknowledgement | LetterKind::Stage2Acknowledgement => {
                Records::Acknowledgement
            }
            LetterKind::Extension => Records::ExtensionNotified,
            LetterKind::Stage0Decision
            | LetterKind::Stage1Response
            | LetterKind::Stage2Response => Records::Response,
            LetterKind::Decline => Records::Decline,
            LetterKind::RestrictionNotice => Records::RestrictionNotice,
            LetterKind::EscalationRefusal
            | LetterKind::ProgressUpdate
            | LetterKind::ActionCompleted => Records::Notice,
        }
    }

    /// A kind sent again each time it falls due (each extension, restriction, refusal,
    /// update or completed action), so one sent does not freeze the kind on the case.
    pub fn repeats(self) -> bool {
        matches!(
            self,
            LetterKind::Extension
                | LetterKind::RestrictionNotice
                | LetterKind::EscalationRefusal
                | LetterKind::ProgressUpdate
                | LetterKind::ActionCompleted
        )
    }

    /// The acknowledgement of `stage` (there is none at stage 0).
    pub fn acknowledgement(stage: Stage) -> Option<LetterKind> {
        match stage {
            Stage::Stage0 => None,
            Stage::Stage1 => Some(LetterKind::Stage1Acknowledgement),
            Stage::Stage2 => Some(LetterKind::Stage2Acknowledgement),
        }
    }

    /// The decision or response of `stage`.
    pub fn response(stage: Stage) -> LetterKind {
        match stage {
            Stage::Stage0 => LetterKind::Stage0Decision,
            Stage::Stage1 => LetterKind::Stage1Response,
            Stage::Stage2 => LetterKind::Stage2Response,
        }
    }
}

impl fmt::Display for LetterKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not a kind of letter")]
pub struct UnknownKind(pub String);

impl FromStr for LetterKind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<LetterKind, UnknownKind> {
        LetterKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownKind(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for kind in LetterKind::ALL {
            assert_eq!(kind.as_str().parse::<LetterKind>().unwrap(), kind);
        }
        assert!("stage3_response".parse::<LetterKind>().is_err());
    }
}
