//! The case record's fixed vocabularies (SPEC section 2). Each enum has `as_str()` (the
//! snake_case value stored in the database and posted by forms), `label()` (what people read,
//! also its `Display`),
//! `FromStr` (from the stored value), `ALL` (in the order forms list them), and serialises as
//! its stored value.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A stored or posted value that is not one of a vocabulary's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a known {vocabulary}")]
pub struct UnknownValue {
    pub vocabulary: &'static str,
    pub value: String,
}

macro_rules! vocabulary {
    (
        $(#[$doc:meta])*
        $name:ident ($what:literal) {
            $( $(#[$vdoc:meta])* $variant:ident => $key:literal, $label:literal; )+
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vdoc])* $variant, )+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored value.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $key,)+
                }
            }

            /// How the value is shown to people.
            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)+
                }
            }
        }

        /// What people read: the one vocabulary every page and letter takes its words from
        /// (the stored value is [`Self::as_str`]).
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;

            fn from_str(s: &str) -> Result<$name, UnknownValue> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| UnknownValue {
                        vocabulary: $what,
                        value: s.to_string(),
                    })
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

vocabulary! {
    /// How a complaint reached the landlord.
    Channel ("channel") {
        Phone => "phone", "Phone";
        Email => "email", "Email";
        Letter => "letter", "Letter";
        WebForm => "web_form", "Web form";
        InPerson => "in_person", "In person";
        Text => "text", "Text message";
        SocialMedia => "social_media", "Social media";
        MpCouncillor => "mp_councillor", "MP or councillor";
    }
}

vocabulary! {
    /// How the complainant occupies their home.
    TenancyRelationship ("tenancy relationship") {
        Tenant => "tenant", "Tenant";
        Leaseholder => "leaseholder", "Leaseholder";
        SharedOwner => "shared_owner", "Shared owner";
        Licensee => "licensee", "Licensee";
        Homeowner => "homeowner", "Homeowner";
        PrivateTenant => "private_tenant", "Private tenant";
        Other => "other", "Other";
    }
}

vocabulary! {
    /// A reasonable adjustment the complainant needs.
    Adjustment ("reasonable adjustment") {
        LargePrint => "large_print", "Large print";
        Braille => "braille", "Braille";
        ColouredPaper => "coloured_paper", "Coloured paper";
        Interpreter => "interpreter", "Interpreter";
        Bsl => "bsl", "British Sign Language (BSL)";
        EasyRead => "easy_read", "Easy read";
        Advocate => "advocate", "Advocate";
        MoreTime => "more_time", "More time";
        PlainLanguage => "plain_language", "Plain language";
    }
}

vocabulary! {
    /// Who a representative is to the complainant.
    RepresentativeRelationship ("representative relationship") {
        FriendRelative => "friend_relative", "Friend or relative";
        Advocate => "advocate", "Advocate";
        Mp => "mp", "MP";
        Councillor => "councillor", "Councillor";
        Solicitor => "solicitor", "Solicitor";
    }
}

vocabulary! {
    /// What triage decided the contact is.
    Classification ("classification") {
        ServiceRequest => "service_request", "Service request";
        Stage0 => "stage0", "Stage 0 (informal)";
        Stage1 => "stage1", "Stage 1";
        Stage2 => "stage2", "Stage 2";
        Excluded => "excluded", "Excluded";
        Compliment => "compliment", "Compliment";
        Comment => "comment", "Comment";
    }
}

vocabulary! {
    /// Why a complaint is declined (SPEC section 2). A decline letter gives the label and
    /// [`ExclusionReason::explanation`].
    ExclusionReason ("exclusion reason") {
        OccurredTooLongAgo => "occurred_too_long_ago", "The problem happened too long ago";
        LegalProceedings => "legal_proceedings", "Legal proceedings have started";
        AlreadyConsidered => "already_considered", "Already considered";
        Vexatious => "vexatious", "Unreasonable or vexatious pursuit";
        StatutoryAppeal => "statutory_appeal", "Statutory right of appeal";
        InternalReview => "internal_review", "Internal review route exists";
        PreviouslyWithdrawn => "previously_withdrawn", "Previously withdrawn";
        NotEligible => "not_eligible", "Not eligible to complain";
        InsuranceClaim => "insurance_claim", "Insurance or personal injury claim";
        ContractorNotGivenChance => "contractor_not_given_chance", "Contractor not yet given the chance to respond";
    }
}

impl ExclusionReason {
    /// One plain-English sentence for the decline letter, addressed to the resident.
    pub fn explanation(self) -> &'static str {
        match self {
            ExclusionReason::OccurredTooLongAgo => {
                "You told us about the problem after the time limit in our complaints policy, which counts from when it happened or when you became aware of it."
            }
            ExclusionReason::LegalProceedings => {
                "Legal proceedings about this matter have started, so the court is the right place to decide it."
            }
            ExclusionReason::AlreadyConsidered => {
                "We have already considered this complaint through our complaints procedure."
            }
            ExclusionReason::Vexatious => {
                "We consider that this complaint is being pursued in an unreasonable way, as our policy on unreasonable behaviour describes."
            }
            ExclusionReason::StatutoryAppeal => {
                "The law gives you a right of appeal for this decision, and that appeal is the right way to challenge it."
            }
            ExclusionReason::InternalReview => {
                "There is a separate review process for this kind of decision, and it is the right way to ask us to look at it again."
            }
            ExclusionReason::PreviouslyWithdrawn => {
                "This complaint was withdrawn earlier and there is nothing new for us to consider."
            }
            ExclusionReason::NotEligible => {
                "Our complaints procedure is for our residents and people affected by our services, and this complaint falls outside it."
            }
            ExclusionReason::InsuranceClaim => {
                "This matter is a claim for insurance or personal injury, which our insurers deal with separately."
            }
            ExclusionReason::ContractorNotGivenChance => {
                "The contractor has not yet had the chance to put things right, so we have asked them to respond first."
            }
        }
    }
}

vocabulary! {
    /// How something was sent to the resident, e.g. an acknowledgement; also how a
    /// complainant prefers to be contacted.
    ContactMethod ("contact method") {
        Letter => "letter", "Letter";
        Email => "email", "Email";
        Phone => "phone", "Phone";
    }
}

vocabulary! {
    /// A contact with the resident recorded during the investigation.
    ContactKind ("contact kind") {
        PhoneCall => "phone_call", "Phone call";
        Meeting => "meeting", "Meeting";
        Email => "email", "Email";
        Visit => "visit", "Visit";
        Letter => "letter", "Letter";
    }
}

vocabulary! {
    /// The outcome of a stage.
    Outcome ("outcome") {
        Upheld => "upheld", "Upheld";
        PartlyUpheld => "partly_upheld", "Partly upheld";
        NotUpheld => "not_upheld", "Not upheld";
        ResolvedFirstPoint => "resolved_first_point", "Resolved at first point of contact";
        Withdrawn => "withdrawn", "Withdrawn";
    }
}

impl Outcome {
    /// The findings a decision gives on each complaint point.
    pub const FINDINGS: [Outcome; 3] = [Outcome::Upheld, Outcome::PartlyUpheld, Outcome::NotUpheld];

    /// Whether a stage decision can end with this outcome: a withdrawal is the
    /// resident's, not decided.
    pub fn is_decided(self) -> bool {
        self != Outcome::Withdrawn
    }
}

vocabulary! {
    /// What a stage decision offers to put things right (SPEC section 2).
    RemedyKind ("remedy kind") {
        Apology => "apology", "Apology";
        Explanation => "explanation", "Explanation";
        PutRight => "put_right", "Action to put things right";
        PolicyReview => "policy_review", "Policy review";
        StaffTraining => "staff_training", "Staff training";
        GoodwillGesture => "goodwill_gesture", "Goodwill gesture";
        Compensation => "compensation", "Compensation";
    }
}

impl RemedyKind {
    /// Whether a remedy of this kind is a payment, so it needs an amount.
    pub fn needs_amount(self) -> bool {
        self == RemedyKind::Compensation
    }
}

vocabulary! {
    /// Where the compensation a decision offers stands: any amount needs a director's
    /// approval before the decision can be sent.
    CompensationStatus ("compensation status") {
        /// Nothing offered.
        None => "none", "None offered";
        AwaitingApproval => "awaiting_approval", "Awaiting a director's approval";
        Approved => "approved", "Approved";
        /// A director declined it or returned it with a comment: the drafter changes the
        /// offer, and saving the decision asks for approval again.
        Returned => "returned", "Returned by a director: change the offer";
    }
}

vocabulary! {
    /// Where a case is in its lifecycle (SPEC section 3). Which stage an open or closed case
    /// is at is kept beside the status (`CaseState::stage`).
    Status ("status") {
        /// Logged, awaiting triage.
        Received => "received", "Awaiting triage";
        /// Not a complaint: referred to a team. Closed, but can be converted into a
        /// complaint if the resident is unhappy with how it was handled.
        ServiceRequestReferred => "service_request_referred", "Referred as a service request";
        /// Informal first-point resolution.
        Stage0Open => "stage0_open", "Stage 0: open";
        /// Being investigated (acknowledged and assigned in either order).
        Stage1Open => "stage1_open", "Stage 1: investigating";
        /// Being reviewed by a director.
        Stage2Open => "stage2_open", "Stage 2: reviewing";
        /// Closed: responded, excluded, a compliment or comment, withdrawn or a duplicate.
        Closed => "closed", "Closed";
    }
}

impl Status {
    /// Open means someone still has something to do: triage, or a stage to respond to.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::Received | Status::Stage0Open | Status::Stage1Open | Status::Stage2Open
        )
    }
}

vocabulary! {
    /// Why a case was closed.
    ClosureReason ("closure reason") {
        /// The stage's decision or response was sent.
        Responded => "responded", "Response sent";
        Excluded => "excluded", "Excluded";
        Compliment => "compliment", "Compliment recorded";
        Comment => "comment", "Comment recorded";
        Withdrawn => "withdrawn", "Withdrawn";
        Duplicate => "duplicate", "Duplicate of another case";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Stored keys are snake_case, unique and round-trip; people read the label (`Display`).
    fn round_trip<T>(all: &[T], key_of: fn(T) -> &'static str, label_of: fn(T) -> &'static str)
    where
        T: Copy + PartialEq + fmt::Debug + FromStr + Serialize + for<'de> Deserialize<'de>,
        T::Err: fmt::Debug,
        T: fmt::Display,
    {
        let mut seen = std::collections::HashSet::new();
        for value in all {
            assert_eq!(value.to_string(), label_of(*value));
            let key = key_of(*value).to_string();
            assert!(seen.insert(key.clone()), "duplicate key {key}");
            assert!(key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'));
            assert_eq!(key.parse::<T>().unwrap(), *value);
            let json = serde_json::to_string(value).unwrap();
            assert_eq!(json, format!("\"{key}\""));
            assert_eq!(serde_json::from_str::<T>(&json).unwrap(), *value);
        }
    }

    #[test]
    fn every_vocabulary_round_trips() {
        round_trip(Channel::ALL, Channel::as_str, Channel::label);
        round_trip(
            TenancyRelationship::ALL,
            TenancyRelationship::as_str,
            TenancyRelationship::label,
        );
        round_trip(Adjustment::ALL, Adjustment::as_str, Adjustment::label);
        round_trip(
            RepresentativeRelationship::ALL,
            RepresentativeRelationship::as_str,
            RepresentativeRelationship::label,
        );
        round_trip(
            Classification::ALL,
            Classification::as_str,
            Classification::label,
        );
        round_trip(
            ExclusionReason::ALL,
            ExclusionReason::as_str,
            ExclusionReason::label,
        );
        round_trip(
            ContactMethod::ALL,
            ContactMethod::as_str,
            ContactMethod::label,
        );
        round_trip(Outcome::ALL, Outcome::as_str, Outcome::label);
        round_trip(RemedyKind::ALL, RemedyKind::as_str, RemedyKind::label);
        round_trip(
            CompensationStatus::ALL,
            CompensationStatus::as_str,
            CompensationStatus::label,
        );
        round_trip(Status::ALL, Status::as_str, Status::label);
        round_trip(
            ClosureReason::ALL,
            ClosureReason::as_str,
            ClosureReason::label,
        );
    }

    #[test]
    fn sizes_match_the_spec() {
        assert_eq!(Channel::ALL.len(), 8);
        assert_eq!(TenancyRelationship::ALL.len(), 7);
        assert_eq!(Adjustment::ALL.len(), 9);
        assert_eq!(RepresentativeRelationship::ALL.len(), 5);
        assert_eq!(Classification::ALL.len(), 7);
        assert_eq!(ExclusionReason::ALL.len(), 10);
        assert_eq!(ContactMethod::ALL.len(), 3);
        assert_eq!(Outcome::ALL.len(), 5);
        assert!(Outcome::FINDINGS.iter().all(|f| f.is_decided()));
        assert!(!Outcome::Withdrawn.is_decided());
        let paid: Vec<_> = RemedyKind::ALL
            .iter()
            .filter(|k| k.needs_amount())
            .collect();
        assert_eq!(paid, [&RemedyKind::Compensation]);
        assert_eq!(RemedyKind::ALL.len(), 7);
    }

    #[test]
    fn stored_values_are_the_agreed_ones() {
        assert_eq!(Channel::WebForm.as_str(), "web_form");
        assert_eq!(Channel::MpCouncillor.label(), "MP or councillor");
        assert_eq!(Classification::Stage0.as_str(), "stage0");
        assert_eq!(Status::Stage1Open.as_str(), "stage1_open");
        assert_eq!(Outcome::ResolvedFirstPoint.as_str(), "resolved_first_point");
        assert_eq!(RemedyKind::PutRight.as_str(), "put_right");
        assert_eq!(RemedyKind::PutRight.label(), "Action to put things right");
        assert_eq!(
            CompensationStatus::AwaitingApproval.as_str(),
            "awaiting_approval"
        );
        assert_eq!(
            RepresentativeRelationship::FriendRelative.as_str(),
            "friend_relative"
        );
    }

    #[test]
    fn unknown_values_are_refused_with_a_message() {
        let err = "fax".parse::<Channel>().unwrap_err();
        assert_eq!(err.to_string(), "`fax` is not a known channel");
        assert!(serde_json::from_str::<Outcome>("\"maybe\"").is_err());
    }

    #[test]
    fn open_statuses() {
        let open: Vec<Status> = Status::ALL
            .iter()
            .copied()
            .filter(|s| s.is_open())
            .collect();
        assert_eq!(
            open,
            [
                Status::Received,
                Status::Stage0Open,
                Status::Stage1Open,
                Status::Stage2Open
            ]
        );
    }

    #[test]
    fn every_exclusion_reason_is_explained() {
        for reason in ExclusionReason::ALL {
            assert!(!reason.label().is_empty());
            let explanation = reason.explanation();
            assert!(explanation.ends_with('.'), "{reason}");
            assert!(explanation.len() > 40, "{reason}");
        }
    }
}
