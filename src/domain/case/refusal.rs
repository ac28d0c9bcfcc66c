//! Why a transition was refused, in words a member of staff can act on.

use chrono::NaiveDate;

use super::event::long_date;
use crate::rules::Stage;

fn date(d: &NaiveDate) -> String {
    long_date(*d)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("The case reference must be for the year the complaint was received ({0})")]
    ReferenceYearMismatch(i32),
    #[error("Date received must be today or in the past")]
    ReceivedInFuture,
    #[error("This case has already been triaged")]
    AlreadyTriaged,
    #[error("This case is closed")]
    CaseClosed,
    #[error("Triage the case first")]
    NotTriaged,
    #[error("This is a service request, not an open complaint")]
    NotAComplaint,
    #[error("There is no stage 0 under {policy}: triage the complaint to stage 1 instead")]
    NoStage0 { policy: String },
    #[error("Enter the team the service request was referred to")]
    ReferralTeamRequired,
    #[error("Select at least one reason for excluding the complaint")]
    ExclusionReasonRequired,
    #[error("Enter an explanation of why the complaint is excluded")]
    ExclusionExplanationRequired,
    #[error(
        "A health and safety or safeguarding complaint cannot be excluded because the problem happened too long ago"
    )]
    TimeLimitNotForUrgent,
    #[error("{policy} sets no time limit, so a complaint cannot be excluded because the problem happened too long ago")]
    NoTimeLimit { policy: String },
    #[error("Record when the problem happened before excluding the complaint because it happened too long ago")]
    OccurredDateUnknown,
    #[error("The complaint is within the time limit: it could be excluded because the problem happened too long ago only if received after {}", date(.limit))]
    WithinTimeLimit { limit: NaiveDate },
    #[error("Only a service request can be converted into a complaint")]
    NotAServiceRequest,
    #[error("Only a stage 0 complaint can move to stage 1")]
    NotAtStage0,
    #[error("{what} must be today or in the past")]
    DateInFuture { what: &'static str },
    #[error("{what} must be the same as or after {}", date(.earliest))]
    DateTooEarly {
        what: &'static str,
        earliest: NaiveDate,
    },
    #[error("{} has already been acknowledged", .0.label())]
    AlreadyAcknowledged(Stage),
    #[error(
        "This manager has declared involvement in the matter, so they cannot be assigned the case"
    )]
    ManagerInvolved,
    #[error("The case is already assigned to this manager")]
    AlreadyAssigned,
    #[error("A case cannot be a duplicate of itself")]
    DuplicateOfItself,
    #[error("Enter why the complaint is being withdrawn")]
    WithdrawalReasonRequired,
    #[error("To close a withdrawn complaint, record the withdrawal")]
    UseWithdraw,
    #[error("Only a stage 0 complaint can be resolved at first point of contact")]
    FirstPointOnlyAtStage0,
    #[error("Only a complaint closed with a stage 1 response can be escalated to stage 2")]
    NotEscalatable,
    #[error("Only a closed case can be reopened")]
    NotClosed,
    #[error("Enter the note")]
    NoteRequired,
    #[error("The resident's agreement to share the property's address is already recorded")]
    PropertyAddressAlreadyShared,
    #[error("The note must be 5,000 characters or fewer")]
    NoteTooLong,
    #[error("Enter the reason for the extension")]
    ExtensionReasonRequired,
    /// The rules engine's refusal, worded for people.
    #[error("{}", capitalise(.0))]
    Extension(String),
    #[error("The resident must be told the new date on or before the date being extended ({})", date(.0))]
    NotifiedTooLate(NaiveDate),
    #[error("Enter why the case is being reopened")]
    ReopenReasonRequired,
    /// A select posted an id that names nothing (a tampered or out-of-date form). `field`
    /// is the id of the select the message goes beside.
    #[error("Select {what} from the list")]
    UnknownChoice { field: String, what: &'static str },
    #[error(
        "The complaint points are agreed at acknowledgement: until then, change the description"
    )]
    PointsNotAgreed,
    #[error("Enter why the complaint points are being amended")]
    AmendmentReasonRequired,
    #[error("Nothing has changed: change at least one answer, or go back")]
    NothingChanged,
    #[error("The date received cannot be changed on a closed case: reopen it first")]
    ReceivedOnClosedCase,
    #[error("How the complaint was received and its dates cannot be changed after the first response was sent (on {}): its timescales are on record", date(.0))]
    AfterFirstResponse(NaiveDate),
    #[error("Date received must be the same as or before {}, when the case was acknowledged or moved to stage 1", date(.0))]
    ReceivedAfterLaterStep(NaiveDate),
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_dates_and_stages() {
        let earliest = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
        assert_eq!(
            Refusal::DateTooEarly {
                what: "Date acknowledged",
                earliest
            }
            .to_string(),
            "Date acknowledged must be the same as or after 3 November 2026"
        );
        assert_eq!(
            Refusal::AlreadyAcknowledged(Stage::Stage1).to_string(),
            "Stage 1 has already been acknowledged"
        );
        assert_eq!(
            Refusal::NoStage0 {
                policy: "Housing Ombudsman Code".into()
            }
            .to_string(),
            "There is no stage 0 under Housing Ombudsman Code: triage the complaint to stage 1 instead"
        );
    }
}
