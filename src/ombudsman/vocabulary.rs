//! The Ombudsman stage's words: kinds of contact, findings and orders, each stored as a
//! short key and shown to people as a label.

/// How the Housing Ombudsman (or a designated person) came to contact us about a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContactKind {
    /// The resident referred the complaint after our final response.
    Referral,
    /// The Ombudsman asked us to respond to a complaint still open with us.
    RequestToRespond,
    /// The Ombudsman challenged our refusal to accept or escalate a complaint.
    RefusalChallenge,
    /// An MP, councillor or tenant panel referred it as a designated person.
    DesignatedPerson,
}

impl ContactKind {
    pub const ALL: [ContactKind; 4] = [
        ContactKind::Referral,
        ContactKind::RequestToRespond,
        ContactKind::RefusalChallenge,
        ContactKind::DesignatedPerson,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContactKind::Referral => "referral",
            ContactKind::RequestToRespond => "request_to_respond",
            ContactKind::RefusalChallenge => "refusal_challenge",
            ContactKind::DesignatedPerson => "designated_person",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ContactKind::Referral => "Referral after our final response",
            ContactKind::RequestToRespond => "Request to respond to an open complaint",
            ContactKind::RefusalChallenge => "Challenge to a refused complaint",
            ContactKind::DesignatedPerson => "Designated-person referral",
        }
    }

    pub fn parse(raw: &str) -> Option<ContactKind> {
        ContactKind::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// The Ombudsman's finding on one complaint element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Finding {
    SevereMaladministration,
    Maladministration,
    ServiceFailure,
    ReasonableRedress,
    NoMaladministration,
    OutsideJurisdiction,
}

impl Finding {
    pub const ALL: [Finding; 6] = [
        Finding::SevereMaladministration,
        Finding::Maladministration,
        Finding::ServiceFailure,
        Finding::ReasonableRedress,
        Finding::NoMaladministration,
        Finding::OutsideJurisdiction,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Finding::SevereMaladministration => "severe_maladministration",
            Finding::Maladministration => "maladministration",
            Finding::ServiceFailure => "service_failure",
            Finding::ReasonableRedress => "reasonable_redress",
            Finding::NoMaladministration => "no_maladministration",
            Finding::OutsideJurisdiction => "outside_jurisdiction",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Finding::SevereMaladministration => "Severe maladministration",
            Finding::Maladministration => "Maladministration",
            Finding::ServiceFailure => "Service failure",
            Finding::ReasonableRedress => "Reasonable redress",
            Finding::NoMaladministration => "No maladministration",
            Finding::OutsideJurisdiction => "Outside jurisdiction",
        }
    }

    pub fn parse(raw: &str) -> Option<Finding> {
        Finding::ALL.into_iter().find(|f| f.as_str() == raw)
    }

    /// Counted above the line of the maladministration rate: a failing of ours.
    pub fn is_failing(self) -> bool {
        matches!(
            self,
            Finding::SevereMaladministration | Finding::Maladministration | Finding::ServiceFailure
        )
    }

    /// Counted below the line of the rate: every finding the Ombudsman could make on the
    /// merits (outside jurisdiction is no finding about us).
    pub fn is_determined(self) -> bool {
        self != Finding::OutsideJurisdiction
    }
}

/// What the Ombudsman told us to do (an order), suggested (a recommendation), or ordered
/// for failing the Complaint Handling Code (a complaint handling failure order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderKind {
    Apology,
    Compensation,
    Works,
    PolicyReview,
    StaffTraining,
    Other,
    Recommendation,
    Chfo,
}

impl OrderKind {
    /// The kinds of order a determination makes (not recommendations or CHFOs).
    pub const ORDERS: [OrderKind; 6] = [
        OrderKind::Apology,
        OrderKind::Compensation,
        OrderKind::Works,
        OrderKind::PolicyReview,
        OrderKind::StaffTraining,
        OrderKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderKind::Apology => "apology",
            OrderKind::Compensation => "compensation",
            OrderKind::Works => "works",
            OrderKind::PolicyReview => "policy_review",
            OrderKind::StaffTraining => "staff_training",
            OrderKind::Other => "other",
            OrderKind::Recommendation => "recommendation",
            OrderKind::Chfo => "chfo",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OrderKind::Apology => "Apology",
            OrderKind::Compensation => "Compensation",
            OrderKind::Works => "Works",
            OrderKind::PolicyReview => "Policy review",
            OrderKind::StaffTraining => "Staff training",
            OrderKind::Other => "Other order",
            OrderKind::Recommendation => "Recommendation",
            OrderKind::Chfo => "Complaint handling failure order",
        }
    }

    pub fn parse(raw: &str) -> Option<OrderKind> {
        OrderKind::ORDERS
            .into_iter()
            .chain([OrderKind::Recommendation, OrderKind::Chfo])
            .find(|k| k.as_str() == raw)
    }

    /// Something we must do by a date and show the Ombudsman we did (orders and CHFOs);
    /// a recommendation is accepted or not instead.
    pub fn must_comply(self) -> bool {
        self != OrderKind::Recommendation
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_round_trips_and_reads_as_words() {
        for k in ContactKind::ALL {
            assert_eq!(ContactKind::parse(k.as_str()), Some(k));
            assert!(!k.label().contains('_'));
        }
        for f in Finding::ALL {
            assert_eq!(Finding::parse(f.as_str()), Some(f));
            assert!(!f.label().contains('_'));
        }
        for k in OrderKind::ORDERS
            .into_iter()
            .chain([OrderKind::Recommendation, OrderKind::Chfo])
        {
            assert_eq!(OrderKind::parse(k.as_str()), Some(k));
            assert!(!k.label().contains('_'));
        }
        assert_eq!(Finding::parse("upheld"), None);
    }

    #[test]
    fn the_rate_counts_failings_over_findings_within_jurisdiction() {
        let failing: Vec<Finding> = Finding::ALL
            .into_iter()
            .filter(|f| f.is_failing())
            .collect();
        assert_eq!(failing.len(), 3);
        assert!(!Finding::OutsideJurisdiction.is_determined());
        assert!(Finding::ReasonableRedress.is_determined());
        assert!(!Finding::ReasonableRedress.is_failing());
    }
}
