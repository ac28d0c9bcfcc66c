//! The case timeline: one [`CaseEvent`] per thing that happened. Who and when are kept beside
//! the event (the events table's actor and timestamp columns); the event itself is data,
//! stored as JSON text (`serde_json`, tagged by `kind`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::correction::Correction;
use super::vocabulary::{
    Channel, Classification, ClosureReason, ContactKind, ContactMethod, ExclusionReason, Outcome,
    RepresentativeRelationship, Status,
};
use crate::domain::ids::{AttachmentId, CaseId, IncomingEmailId, ServiceAreaId, UserId};
use crate::domain::money::Money;
use crate::domain::reference::CaseReference;
use crate::rules::Stage;

/// What triage decided (issue 5). Stage 2 is never a triage outcome: a case reaches it by
/// escalation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "classification", rename_all = "snake_case")]
pub enum TriageDecision {
    /// Not a complaint: referred to the team named.
    ServiceRequest {
        referred_to: String,
    },
    Stage0,
    Stage1,
    /// Declined for one or more reasons, explained to the resident.
    Excluded {
        reasons: Vec<ExclusionReason>,
        explanation: String,
    },
    Compliment,
    Comment,
}

impl TriageDecision {
    pub fn classification(&self) -> Classification {
        match self {
            TriageDecision::ServiceRequest { .. } => Classification::ServiceRequest,
            TriageDecision::Stage0 => Classification::Stage0,
            TriageDecision::Stage1 => Classification::Stage1,
            TriageDecision::Excluded { .. } => Classification::Excluded,
            TriageDecision::Compliment => Classification::Compliment,
            TriageDecision::Comment => Classification::Comment,
        }
    }
}

/// One entry on a case's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CaseEvent {
    Logged {
        reference: CaseReference,
        channel: Channel,
        received: NaiveDate,
        health_and_safety: bool,
        safeguarding: bool,
    },
    Triaged {
        /// Becomes the case officer.
        officer: UserId,
        decision: TriageDecision,
        on: NaiveDate,
    },
    /// A referred service request became a stage 1 complaint (same reference).
    ConvertedToComplaint {
        dissatisfied_on: NaiveDate,
    },
    MovedToStage1 {
        on: NaiveDate,
    },
    Acknowledged {
        stage: Stage,
        on: NaiveDate,
        method: ContactMethod,
    },
    Assigned {
        service_area: ServiceAreaId,
        manager: UserId,
        previous: Option<UserId>,
    },
    InvolvementDeclared {
        manager: UserId,
        /// The manager held the case and no longer does.
        unassigned: bool,
    },
    Note {
        text: String,
        /// Shown only to officers and the manager or director assigned to the case (like
        /// vulnerability notes); others see that a sensitive note exists, not its text.
        #[serde(default, skip_serializing_if = "is_false")]
        sensitive: bool,
    },
    Contact {
        on: NaiveDate,
        with: ContactKind,
        summary: String,
    },
    Extension {
        stage: Stage,
        granted_on: NaiveDate,
        /// In the profile's extension unit for the stage.
        length: u32,
        new_due: NaiveDate,
        reason: String,
        /// Past the profile's cap: a director approved and the resident agreed.
        #[serde(default)]
        approved_past_cap: bool,
        /// When and how the resident was told the new date (and the ombudsman's details).
        #[serde(default)]
        notified: Option<(NaiveDate, ContactMethod)>,
    },
    LetterSent {
        /// The letter kind, e.g. `acknowledgement`, `decline`.
        letter: String,
        on: NaiveDate,
        method: ContactMethod,
        /// Sent outside Redress and recorded with a copy ("Record a letter sent elsewhere").
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        elsewhere: bool,
    },
    Response {
        stage: Stage,
        on: NaiveDate,
        outcome: Outcome,
    },
    Escalation {
        requested_on: NaiveDate,
        /// Why the resident asked for a review, in their words (kept as a note before
        /// December 2026; [`crate::cases::page`] reads both).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        reasons: String,
    },
    /// An escalation refused, with the reason recorded for the resident and the Ombudsman.
    EscalationRefused {
        requested_on: NaiveDate,
        reason: String,
    },
    /// A stage's decision was drafted or redrafted (the draft itself is in `decisions`).
    DecisionDrafted {
        stage: Stage,
        /// Compensation offered, in pence; above zero it awaits a director's approval.
        #[serde(default)]
        compensation_pence: i64,
    },
    /// A director approved the compensation offered in the current decision.
    CompensationApproved {
        compensation_pence: i64,
    },
    /// An officer recorded a compensation payment.
    CompensationPaid {
        amount_pence: i64,
        paid_on: NaiveDate,
    },
    /// The case was linked to a related case (a note, no state change).
    Linked {
        other: CaseReference,
    },
    Withdrawal {
        on: NaiveDate,
        reason: String,
    },
    Closure {
        on: NaiveDate,
        reason: ClosureReason,
        outcome: Option<Outcome>,
    },
    Reopened {
        on: NaiveDate,
        reason: String,
        /// The status the case went back to.
        status: Status,
    },
    Restriction {
        summary: String,
        until: Option<NaiveDate>,
    },
    DuplicateMarked {
        of: CaseId,
        of_reference: CaseReference,
        on: NaiveDate,
    },
    /// An evidence file was kept with the case (it changes nothing else).
    EvidenceAdded {
        attachment: AttachmentId,
        file_name: String,
    },
    /// A representative was added or their details changed after logging. Their name and
    /// contact details stay in the representatives table: the timeline is seen by managers,
    /// who must not learn who a confidential complainant's representative is.
    RepresentativeChanged {
        relationship: RepresentativeRelationship,
        consent_received: Option<NaiveDate>,
        /// The case had no representative before.
        added: bool,
    },
    /// A contact restriction was proposed and waits for a director (the proposal itself is
    /// kept in `contact_restrictions`); `Restriction` records its approval.
    RestrictionProposed {
        summary: String,
        review_on: NaiveDate,
    },
    /// A director declined a proposed contact restriction, for `reason`.
    RestrictionDeclined {
        summary: String,
        reason: String,
    },
    /// A director declined, or returned to the person who asked with a comment, something
    /// waiting for approval (issue 22): compensation offered (`subject` says how much) or a
    /// proposed contact restriction (returned for changes; declining one is
    /// `RestrictionDeclined`). The request itself is kept in `approval_requests`.
    ApprovalAnswered {
        subject: String,
        returned: bool,
        comment: String,
    },
    /// An officer checked a response drafted by a manager or director before it goes
    /// (`[workflow] review_responses`): passed, or returned with comments.
    ResponseChecked {
        stage: Stage,
        passed: bool,
        comment: String,
    },
    /// A director ended the restriction in force (usually at its review), for `reason`.
    RestrictionEnded {
        summary: String,
        reason: String,
    },
    /// A confidential complainant agreed that the people investigating may know the address
    /// of the property the complaint is about (who recorded it is the event's actor).
    PropertyAddressShared {
        agreed_on: NaiveDate,
    },
    /// Details corrected after logging (issue 20), one or more fields at once.
    Corrected {
        changes: Vec<Correction>,
    },
    /// An email to the complaints mailbox was added to the case (issue 28): by the reference
    /// in its subject, or by an officer from the Emails page. The message itself, its
    /// original and its files are kept with the email.
    EmailReceived {
        email: IncomingEmailId,
        /// The sender as the message named them ("Jo Bloggs <jo@example.org>").
        from: String,
        subject: String,
        /// What they wrote this time (the quoted history is kept with the email).
        text: String,
    },
    /// The automatic receipt was queued to the resident (issue 28). Not the Housing
    /// Ombudsman Code's acknowledgement, which is still owed.
    ReceiptQueued {
        /// How it was sent, in words ("by email").
        to: String,
    },
    /// How often the resident will be updated while a response is extended or late or an
    /// action is outstanding, as agreed with them (Code 5.9); 0: no regular updates.
    UpdatesAgreed {
        every_working_days: u32,
    },
    /// A step at the Housing Ombudsman stage (issue 27): a contact, an evidence request,
    /// evidence sent, a determination, compliance, a review, closing. The register's own
    /// tables keep the facts (`crate::ombudsman`); the timeline keeps what was written.
    Ombudsman {
        /// What happened, in words ("Evidence request received: due 17 December 2026").
        summary: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        text: String,
    },
    /// Data protection (issue 30): a legal hold placed or lifted, or the case's personal
    /// data removed when its retention period ended or on the resident's request.
    Privacy {
        /// What happened, in words ("Legal hold placed").
        summary: String,
        /// Why, as the officer wrote it (removed with the rest when anonymised).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        reason: String,
    },
}

fn is_false(value: &bool) -> bool {
    !value
}

/// "3 November 2026", as GOV.UK writes dates.
pub(crate) fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

impl CaseEvent {
    /// The kind stored in the events table (the same as the JSON `kind` tag).
    pub fn kind(&self) -> &'static str {
        match self {
            CaseEvent::Logged { .. } => "logged",
            CaseEvent::Triaged { .. } => "triaged",
            CaseEvent::ConvertedToComplaint { .. } => "converted_to_complaint",
            CaseEvent::MovedToStage1 { .. } => "moved_to_stage1",
            CaseEvent::Acknowledged { .. } => "acknowledged",
            CaseEvent::Assigned { .. } => "assigned",
            CaseEvent::InvolvementDeclared { .. } => "involvement_declared",
            CaseEvent::Note { .. } => "note",
            CaseEvent::Contact { .. } => "contact",
            CaseEvent::Extension { .. } => "extension",
            CaseEvent::LetterSent { .. } => "letter_sent",
            CaseEvent::Response { .. } => "response",
            CaseEvent::Escalation { .. } => "escalation",
            CaseEvent::EscalationRefused { .. } => "escalation_refused",
            CaseEvent::DecisionDrafted { .. } => "decision_drafted",
            CaseEvent::CompensationApproved { .. } => "compensation_approved",
            CaseEvent::CompensationPaid { .. } => "compensation_paid",
            CaseEvent::Linked { .. } => "linked",
            CaseEvent::Withdrawal { .. } => "withdrawal",
            CaseEvent::Closure { .. } => "closure",
            CaseEvent::Reopened { .. } => "reopened",
            CaseEvent::Restriction { .. } => "restriction",
            CaseEvent::DuplicateMarked { .. } => "duplicate_marked",
            CaseEvent::EvidenceAdded { .. } => "evidence_added",
            CaseEvent::RepresentativeChanged { .. } => "representative_changed",
            CaseEvent::RestrictionProposed { .. } => "restriction_proposed",
            CaseEvent::RestrictionDeclined { .. } => "restriction_declined",
            CaseEvent::RestrictionEnded { .. } => "restriction_ended",
            CaseEvent::ApprovalAnswered { .. } => "approval_answered",
            CaseEvent::ResponseChecked { .. } => "response_checked",
            CaseEvent::PropertyAddressShared { .. } => "property_address_shared",
            CaseEvent::Corrected { .. } => "corrected",
            CaseEvent::EmailReceived { .. } => "email_received",
            CaseEvent::ReceiptQueued { .. } => "receipt_queued",
            CaseEvent::UpdatesAgreed { .. } => "updates_agreed",
            CaseEvent::Ombudsman { .. } => "ombudsman",
            CaseEvent::Privacy { .. } => "privacy",
        }
    }

    /// One line for the timeline. Ids of people are left to the page, which knows names.
    pub fn summary(&self) -> String {
        match self {
            CaseEvent::Logged {
                channel, received, ..
            } => format!(
                "Complaint logged: received by {} on {}",
                channel.label().to_lowercase(),
                long_date(*received)
            ),
            CaseEvent::Triaged { decision, .. } => match decision {
                TriageDecision::ServiceRequest { referred_to } => {
                    format!("Triaged as a service request and referred to {referred_to}")
                }
                TriageDecision::Stage0 => "Triaged to stage 0 (informal)".to_string(),
                TriageDecision::Stage1 => "Triaged to stage 1".to_string(),
                TriageDecision::Excluded { reasons, .. } => format!(
                    "Excluded: {}",
                    reasons
                        .iter()
                        .map(|r| r.label().to_lowercase())
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                TriageDecision::Compliment => "Recorded as a compliment".to_string(),
                TriageDecision::Comment => "Recorded as a comment".to_string(),
            },
            CaseEvent::ConvertedToComplaint { dissatisfied_on } => format!(
                "Service request converted into a stage 1 complaint (dissatisfaction expressed on {})",
                long_date(*dissatisfied_on)
            ),
            CaseEvent::MovedToStage1 { on } => {
                format!("Moved from stage 0 to stage 1 on {}", long_date(*on))
            }
            CaseEvent::Acknowledged { stage, on, method } => format!(
                "{} acknowledged by {} on {}",
                stage.label(),
                method.label().to_lowercase(),
                long_date(*on)
            ),
            CaseEvent::Assigned { previous, .. } => match previous {
                Some(_) => "Reassigned to another manager".to_string(),
                None => "Assigned to a manager".to_string(),
            },
            CaseEvent::InvolvementDeclared { unassigned, .. } => {
                if *unassigned {
                    "Manager declared involvement and was unassigned".to_string()
                } else {
                    "Manager declared involvement".to_string()
                }
            }
            CaseEvent::Note { sensitive, .. } => if *sensitive {
                "Sensitive note added"
            } else {
                "Note added"
            }
            .to_string(),
            CaseEvent::Contact { on, with, .. } => format!(
                "{} with the resident on {}",
                with.label(),
                long_date(*on)
            ),
            CaseEvent::Extension { stage, new_due, .. } => format!(
                "{} response date extended to {}",
                stage.label(),
                long_date(*new_due)
            ),
            CaseEvent::LetterSent {
                letter, on, method, ..
            } => format!(
                "Letter sent ({}) by {} on {}",
                letter.replace('_', " "),
                method.label().to_lowercase(),
                long_date(*on)
            ),
            CaseEvent::Response { stage, on, outcome } => format!(
                "{} response sent on {}: {}",
                stage.label(),
                long_date(*on),
                outcome.label().to_lowercase()
            ),
            CaseEvent::Escalation { requested_on, .. } => format!(
                "Resident asked to escalate to stage 2 on {}",
                long_date(*requested_on)
            ),
            CaseEvent::EscalationRefused { requested_on, .. } => format!(
                "Escalation refused (requested on {})",
                long_date(*requested_on)
            ),
            CaseEvent::DecisionDrafted {
                stage,
                compensation_pence,
            } => {
                if *compensation_pence > 0 {
                    format!(
                        "{} decision drafted, offering compensation of {}: awaiting a director's approval",
                        stage.label(),
                        Money::from_pence(*compensation_pence)
                    )
                } else {
                    format!("{} decision drafted", stage.label())
                }
            }
            CaseEvent::CompensationApproved { compensation_pence } => format!(
                "Compensation of {} approved",
                Money::from_pence(*compensation_pence)
            ),
            CaseEvent::CompensationPaid {
                amount_pence,
                paid_on,
            } => format!(
                "Compensation of {} paid on {}",
                Money::from_pence(*amount_pence),
                long_date(*paid_on)
            ),
            CaseEvent::Linked { other } => format!("Linked to related case {other}"),
            CaseEvent::Withdrawal { on, .. } => {
                format!("Complaint withdrawn on {}", long_date(*on))
            }
            CaseEvent::Closure { on, reason, .. } => format!(
                "Case closed on {} ({})",
                long_date(*on),
                reason.label().to_lowercase()
            ),
            CaseEvent::Reopened { on, .. } => format!("Case reopened on {}", long_date(*on)),
            CaseEvent::Restriction { until, .. } => match until {
                Some(until) => format!("Contact restricted until {}", long_date(*until)),
                None => "Contact restricted".to_string(),
            },
            CaseEvent::DuplicateMarked { of_reference, .. } => {
                format!("Marked as a duplicate of {of_reference}")
            }
            CaseEvent::EvidenceAdded { file_name, .. } => format!("Evidence added: {file_name}"),
            CaseEvent::RepresentativeChanged {
                relationship,
                consent_received,
                added,
            } => format!(
                "{} ({}): {}",
                if *added {
                    "Representative added"
                } else {
                    "Representative's details changed"
                },
                relationship.label().to_lowercase(),
                match consent_received {
                    Some(on) => format!("consent received on {}", long_date(*on)),
                    None => "no consent recorded, so letters go to the complainant".to_string(),
                }
            ),
            CaseEvent::RestrictionProposed { review_on, .. } => format!(
                "Contact restriction proposed (review by {}): awaiting a director's approval",
                long_date(*review_on)
            ),
            CaseEvent::RestrictionDeclined { .. } => {
                "Contact restriction declined by a director".to_string()
            }
            CaseEvent::PropertyAddressShared { agreed_on } => format!(
                "The resident agreed on {} that the investigating managers may know the property's address",
                long_date(*agreed_on)
            ),
            CaseEvent::RestrictionEnded { .. } => {
                "Contact restriction ended by a director".to_string()
            }
            CaseEvent::ApprovalAnswered {
                subject, returned, ..
            } => {
                if *returned {
                    format!("{} returned by a director for changes", capitalised(subject))
                } else {
                    format!("{} declined by a director", capitalised(subject))
                }
            }
            CaseEvent::ResponseChecked { stage, passed, .. } => {
                if *passed {
                    format!("{} response checked and passed: it can be sent", stage.label())
                } else {
                    format!("{} response returned with comments by the complaints team", stage.label())
                }
            }
            CaseEvent::Corrected { changes } => changes
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
            CaseEvent::EmailReceived { from, .. } if from.is_empty() => "Email received".to_string(),
            CaseEvent::EmailReceived { from, .. } => format!("Email received from {from}"),
            CaseEvent::ReceiptQueued { to } => format!(
                "Automatic receipt sent to the resident {to} (not the acknowledgement the \
                 Complaint Handling Code requires)"
            ),
            CaseEvent::UpdatesAgreed {
                every_working_days: 0,
            } => "No regular progress updates agreed".to_string(),
            CaseEvent::UpdatesAgreed { every_working_days } => format!(
                "Progress updates agreed: every {every_working_days} working {}",
                if *every_working_days == 1 { "day" } else { "days" }
            ),
            CaseEvent::Ombudsman { summary, .. } => format!("Housing Ombudsman: {summary}"),
            CaseEvent::Privacy { summary, .. } => summary.clone(),
        }
    }
}

/// `text` with its first letter in capitals, for a subject that starts a sentence.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn every_kind() -> Vec<CaseEvent> {
        let reference = CaseReference::new(2026, 12).unwrap();
        vec![
            CaseEvent::Logged {
                reference,
                channel: Channel::Phone,
                received: d(2026, 11, 3),
                health_and_safety: true,
                safeguarding: false,
            },
            CaseEvent::Triaged {
                officer: UserId(4),
                decision: TriageDecision::Excluded {
                    reasons: vec![
                        ExclusionReason::LegalProceedings,
                        ExclusionReason::InsuranceClaim,
                    ],
                    explanation: "Court case".to_string(),
                },
                on: d(2026, 11, 4),
            },
            CaseEvent::ConvertedToComplaint {
                dissatisfied_on: d(2026, 11, 4),
            },
            CaseEvent::MovedToStage1 { on: d(2026, 11, 5) },
            CaseEvent::Acknowledged {
                stage: Stage::Stage1,
                on: d(2026, 11, 5),
                method: ContactMethod::Email,
            },
            CaseEvent::Assigned {
                service_area: ServiceAreaId(2),
                manager: UserId(7),
                previous: None,
            },
            CaseEvent::InvolvementDeclared {
                manager: UserId(7),
                unassigned: true,
            },
            CaseEvent::Note {
                text: "Called back".to_string(),
                sensitive: false,
            },
            CaseEvent::Contact {
                on: d(2026, 11, 6),
                with: ContactKind::PhoneCall,
                summary: "Agreed a visit".to_string(),
            },
            CaseEvent::Extension {
                stage: Stage::Stage1,
                granted_on: d(2026, 11, 10),
                length: 10,
                new_due: d(2026, 11, 24),
                reason: "Interviews needed".to_string(),
                approved_past_cap: false,
                notified: Some((d(2026, 11, 10), ContactMethod::Letter)),
            },
            CaseEvent::LetterSent {
                letter: "stage1_response".to_string(),
                on: d(2026, 11, 20),
                method: ContactMethod::Letter,
                elsewhere: false,
            },
            CaseEvent::Response {
                stage: Stage::Stage1,
                on: d(2026, 11, 20),
                outcome: Outcome::PartlyUpheld,
            },
            CaseEvent::Escalation {
                requested_on: d(2026, 11, 25),
                reasons: "The repair is still not done".to_string(),
            },
            CaseEvent::EscalationRefused {
                requested_on: d(2026, 11, 25),
                reason: "Asked after the time allowed".to_string(),
            },
            CaseEvent::DecisionDrafted {
                stage: Stage::Stage1,
                compensation_pence: 15_000,
            },
            CaseEvent::CompensationApproved {
                compensation_pence: 15_000,
            },
            CaseEvent::CompensationPaid {
                amount_pence: 15_000,
                paid_on: d(2026, 11, 28),
            },
            CaseEvent::Linked {
                other: CaseReference::new(2026, 4).unwrap(),
            },
            CaseEvent::Withdrawal {
                on: d(2026, 11, 26),
                reason: "Resolved".to_string(),
            },
            CaseEvent::Closure {
                on: d(2026, 11, 26),
                reason: ClosureReason::Responded,
                outcome: Some(Outcome::Upheld),
            },
            CaseEvent::Reopened {
                on: d(2026, 11, 27),
                reason: "Closed in error".to_string(),
                status: Status::Stage1Open,
            },
            CaseEvent::Restriction {
                summary: "Email only".to_string(),
                until: Some(d(2027, 2, 1)),
            },
            CaseEvent::DuplicateMarked {
                of: CaseId(3),
                of_reference: CaseReference::new(2026, 3).unwrap(),
                on: d(2026, 11, 4),
            },
            CaseEvent::EvidenceAdded {
                attachment: AttachmentId(5),
                file_name: "damp-photo.jpg".to_string(),
            },
            CaseEvent::RepresentativeChanged {
                relationship: RepresentativeRelationship::Councillor,
                consent_received: Some(d(2026, 11, 9)),
                added: true,
            },
            CaseEvent::RestrictionProposed {
                summary: "Email only".to_string(),
                review_on: d(2027, 2, 1),
            },
            CaseEvent::RestrictionDeclined {
                summary: "Email only".to_string(),
                reason: "Not proportionate".to_string(),
            },
            CaseEvent::PropertyAddressShared {
                agreed_on: d(2026, 11, 30),
            },
            CaseEvent::RestrictionEnded {
                summary: "Email only".to_string(),
                reason: "Reviewed: contact is back to normal".to_string(),
            },
            CaseEvent::ApprovalAnswered {
                subject: "compensation of £75.50".to_string(),
                returned: true,
                comment: "Split the amount by what it is for".to_string(),
            },
            CaseEvent::ResponseChecked {
                stage: Stage::Stage1,
                passed: false,
                comment: "Answer point 2".to_string(),
            },
            CaseEvent::Corrected {
                changes: vec![
                    Correction::Received {
                        from: d(2026, 11, 3),
                        to: d(2026, 11, 2),
                    },
                    Correction::Private {
                        which: super::super::correction::PrivateField::Address,
                    },
                ],
            },
            CaseEvent::EmailReceived {
                email: IncomingEmailId(3),
                from: "Jo Bloggs <jo@example.org>".to_string(),
                subject: "Re: CMP-2026-000012".to_string(),
                text: "The damp is back".to_string(),
            },
            CaseEvent::ReceiptQueued {
                to: "by email".to_string(),
            },
            CaseEvent::UpdatesAgreed {
                every_working_days: 10,
            },
            CaseEvent::Ombudsman {
                summary: "referral after our final response recorded".to_string(),
                text: "Reference 202601234".to_string(),
            },
            CaseEvent::Privacy {
                summary: "Legal hold placed".to_string(),
                reason: "Disrepair claim by Mrs Jones".to_string(),
            },
        ]
    }

    /// Every kind of event, for other modules' tests.
    pub(crate) fn all_kinds() -> Vec<CaseEvent> {
        every_kind()
    }

    #[test]
    fn kinds_match_the_json_tag_and_round_trip() {
        let events = every_kind();
        let mut kinds = std::collections::HashSet::new();
        for event in &events {
            let json = serde_json::to_string(event).unwrap();
            let value: serde_json::Value = serde_json::from_str(&json).unwrap();
            assert_eq!(value["kind"], event.kind(), "{json}");
            assert!(kinds.insert(event.kind()));
            assert_eq!(&serde_json::from_str::<CaseEvent>(&json).unwrap(), event);
            assert!(!event.summary().is_empty());
        }
        assert_eq!(kinds.len(), 37);
    }

    #[test]
    fn stored_json_is_readable() {
        let json = serde_json::to_string(&every_kind()[1]).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"triaged","officer":4,"decision":{"classification":"excluded","reasons":["legal_proceedings","insurance_claim"],"explanation":"Court case"},"on":"2026-11-04"}"#
        );
    }

    #[test]
    fn summaries_read_well() {
        let events = every_kind();
        // By kind, not position: branches add kinds to the list.
        let of = |kind: &str| {
            events
                .iter()
                .find(|e| e.kind() == kind)
                .unwrap_or_else(|| panic!("{kind}"))
        };
        assert_eq!(
            events[0].summary(),
            "Complaint logged: received by phone on 3 November 2026"
        );
        assert_eq!(
            events[1].summary(),
            "Excluded: legal proceedings have started; insurance or personal injury claim"
        );
        assert_eq!(
            events[4].summary(),
            "Stage 1 acknowledged by email on 5 November 2026"
        );
        assert_eq!(
            of("duplicate_marked").summary(),
            "Marked as a duplicate of CMP-2026-000003"
        );
        assert_eq!(
            of("evidence_added").summary(),
            "Evidence added: damp-photo.jpg"
        );
        assert_eq!(
            of("closure").summary(),
            "Case closed on 26 November 2026 (response sent)"
        );
        assert_eq!(
            of("corrected").summary(),
            "Received date changed from 3 November 2026 to 2 November 2026; Address changed"
        );
        assert_eq!(
            of("corrected").audit_detail(),
            "fields=received date, address"
        );
        assert_eq!(
            of("email_received").summary(),
            "Email received from Jo Bloggs <jo@example.org>"
        );
        assert_eq!(
            of("email_received").audit_detail(),
            "email=3 (sender, subject and text recorded)",
            "the resident's words stay out of the audit log"
        );
        assert!(
            of("receipt_queued")
                .summary()
                .starts_with("Automatic receipt sent")
                && of("receipt_queued")
                    .summary()
                    .contains("not the acknowledgement"),
            "{}",
            of("receipt_queued").summary()
        );
    }

    #[test]
    fn triage_decisions_name_their_classification() {
        let decision = TriageDecision::ServiceRequest {
            referred_to: "Repairs".to_string(),
        };
        assert_eq!(decision.classification(), Classification::ServiceRequest);
        assert_eq!(
            TriageDecision::Stage0.classification(),
            Classification::Stage0
        );
        assert_eq!(
            TriageDecision::Comment.classification(),
            Classification::Comment
        );
        assert_eq!(
            CaseEvent::Triaged {
                officer: UserId(1),
                decision,
                on: NaiveDate::from_ymd_opt(2026, 11, 4).unwrap(),
            }
            .summary(),
            "Triaged as a service request and referred to Repairs"
        );
    }
}
