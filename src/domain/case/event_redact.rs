//! A case event without the personal data in it (issue 30): what happened, when, to which
//! stage, for how much, stays; what people wrote or were called goes. The timeline of an
//! anonymised case still replays to the same state, so its reports do not move.
//!
//! Every variant is taken apart field by field, without `..`, so a field added later fails
//! to compile here until someone decides whether it may stay.

use super::correction::Correction;
use super::event::{CaseEvent, TriageDecision};

/// What stands in for a file's name.
const FILE_REMOVED: &str = "file removed";

impl CaseEvent {
    pub fn without_personal_data(&self) -> CaseEvent {
        let gone = String::new;
        match self.clone() {
            e @ (CaseEvent::Logged { .. }
            | CaseEvent::ConvertedToComplaint { .. }
            | CaseEvent::MovedToStage1 { .. }
            | CaseEvent::Acknowledged { .. }
            | CaseEvent::Assigned { .. }
            | CaseEvent::InvolvementDeclared { .. }
            | CaseEvent::LetterSent { .. }
            | CaseEvent::Response { .. }
            | CaseEvent::DecisionDrafted { .. }
            | CaseEvent::CompensationApproved { .. }
            | CaseEvent::CompensationPaid { .. }
            | CaseEvent::Linked { .. }
            | CaseEvent::Closure { .. }
            | CaseEvent::DuplicateMarked { .. }
            | CaseEvent::RepresentativeChanged { .. }
            | CaseEvent::PropertyAddressShared { .. }
            | CaseEvent::ReceiptQueued { .. }
            | CaseEvent::UpdatesAgreed { .. }) => e,
            CaseEvent::Triaged {
                officer,
                decision,
                on,
            } => CaseEvent::Triaged {
                officer,
                on,
                decision: match decision {
                    TriageDecision::Excluded {
                        reasons,
                        explanation: _,
                    } => TriageDecision::Excluded {
                        reasons,
                        explanation: gone(),
                    },
                    other => other,
                },
            },
            CaseEvent::Note { text: _, sensitive } => CaseEvent::Note {
                text: gone(),
                sensitive,
            },
            CaseEvent::Contact {
                on,
                with,
                summary: _,
            } => CaseEvent::Contact {
                on,
                with,
                summary: gone(),
            },
            CaseEvent::Extension {
                stage,
                granted_on,
                length,
                new_due,
                reason: _,
                approved_past_cap,
                notified,
            } => CaseEvent::Extension {
                stage,
                granted_on,
                length,
                new_due,
                reason: gone(),
                approved_past_cap,
                notified,
            },
            CaseEvent::Escalation {
                requested_on,
                reasons: _,
            } => CaseEvent::Escalation {
                requested_on,
                reasons: gone(),
            },
            CaseEvent::EscalationRefused {
                requested_on,
                reason: _,
            } => CaseEvent::EscalationRefused {
                requested_on,
                reason: gone(),
            },
            CaseEvent::Withdrawal { on, reason: _ } => CaseEvent::Withdrawal { on, reason: gone() },
            CaseEvent::Reopened {
                on,
                reason: _,
                status,
            } => CaseEvent::Reopened {
                on,
                reason: gone(),
                status,
            },
            CaseEvent::Restriction { summary: _, until } => CaseEvent::Restriction {
                summary: gone(),
                until,
            },
            CaseEvent::EvidenceAdded {
                attachment,
                file_name: _,
            } => CaseEvent::EvidenceAdded {
                attachment,
                file_name: FILE_REMOVED.to_string(),
            },
            CaseEvent::RestrictionProposed {
                summary: _,
                review_on,
            } => CaseEvent::RestrictionProposed {
                summary: gone(),
                review_on,
            },
            CaseEvent::RestrictionDeclined {
                summary: _,
                reason: _,
            } => CaseEvent::RestrictionDeclined {
                summary: gone(),
                reason: gone(),
            },
            CaseEvent::RestrictionEnded {
                summary: _,
                reason: _,
            } => CaseEvent::RestrictionEnded {
                summary: gone(),
                reason: gone(),
            },
            CaseEvent::ApprovalAnswered {
                subject,
                returned,
                comment: _,
            } => CaseEvent::ApprovalAnswered {
                subject,
                returned,
                comment: gone(),
            },
            CaseEvent::ResponseChecked {
                stage,
                passed,
                comment: _,
            } => CaseEvent::ResponseChecked {
                stage,
                passed,
                comment: gone(),
            },
            CaseEvent::Corrected { changes } => CaseEvent::Corrected {
                changes: changes
                    .into_iter()
                    .map(|change| match change {
                        Correction::ComplaintPoints { stage, reason: _ } => {
                            Correction::ComplaintPoints {
                                stage,
                                reason: gone(),
                            }
                        }
                        other => other,
                    })
                    .collect(),
            },
            CaseEvent::EmailReceived {
                email,
                from: _,
                subject: _,
                text: _,
            } => CaseEvent::EmailReceived {
                email,
                from: gone(),
                subject: gone(),
                text: gone(),
            },
            CaseEvent::Ombudsman { summary, text: _ } => CaseEvent::Ombudsman {
                summary,
                text: gone(),
            },
            CaseEvent::Privacy { summary, reason: _ } => CaseEvent::Privacy {
                summary,
                reason: gone(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::event::tests::all_kinds;

    /// Every word written by a person in the fixture events.
    const WRITTEN: [&str; 20] = [
        "Court case",
        "Called back",
        "Agreed a visit",
        "Interviews needed",
        "The repair is still not done",
        "Asked after the time allowed",
        "Jo Bloggs",
        "jo@example.org",
        "The damp is back",
        "Reference 202601234",
        "Mrs Jones",
        "Re: CMP",
        "Answer point 2",
        "photo",
        "Closed in error",
        "Email only",
        "Not proportionate",
        "Resolved",
        "Reviewed",
        "Split the amount",
    ];

    #[test]
    fn no_written_words_survive_and_the_kind_and_facts_stay() {
        for event in all_kinds() {
            let clean = event.without_personal_data();
            assert_eq!(clean.kind(), event.kind());
            let json = serde_json::to_string(&clean).unwrap();
            for words in WRITTEN {
                assert!(!json.contains(words), "{words:?} left in {json}");
                assert!(
                    !clean.summary().contains(words),
                    "{words:?} left in summary"
                );
            }
            assert!(!clean.summary().is_empty());
            // Removing twice changes nothing more.
            assert_eq!(clean.without_personal_data(), clean);
        }
    }
}
