//! How long a closed case keeps its personal data (issue 30; UK GDPR Article 5(1)(e)).
//! Pure: given the policy, what is known about each closed case and today, which cases are
//! past their retention period, and which of those must be kept and why.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};

/// Years after closure, overall and (optionally) by the outcome's stored code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionPolicy {
    pub years: u32,
    pub by_outcome: BTreeMap<String, u32>,
}

impl RetentionPolicy {
    /// The years a case closed with `outcome` is kept.
    pub fn years_for(&self, outcome: Option<&str>) -> u32 {
        outcome
            .and_then(|o| self.by_outcome.get(o))
            .copied()
            .unwrap_or(self.years)
    }

    /// The first day a case closed on `closed_on` with `outcome` is past retention: the same
    /// calendar day `years` later (29 February closes to 28 February in a common year).
    pub fn ends_on(&self, closed_on: NaiveDate, outcome: Option<&str>) -> NaiveDate {
        let months = self.years_for(outcome).saturating_mul(12);
        closed_on
            .checked_add_months(Months::new(months))
            .unwrap_or(NaiveDate::MAX)
    }
}

/// A closed case, as far as retention is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedCase {
    pub closed_on: NaiveDate,
    /// The outcome of its last response (stored code), if it had one.
    pub outcome: Option<String>,
    pub legal_hold: bool,
    pub open_ombudsman_contact: bool,
}

/// What retention decides for one closed case today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Still within its period.
    Keep,
    /// Past its period: remove the personal data.
    Anonymise,
    /// Past its period but under a legal hold.
    Held,
    /// Past its period but the Housing Ombudsman is still dealing with it.
    WithOmbudsman,
}

impl Verdict {
    /// Why a case past its period is kept, in words.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Keep => "Within its retention period",
            Verdict::Anonymise => "Past its retention period",
            Verdict::Held => "Under a legal hold",
            Verdict::WithOmbudsman => "The Housing Ombudsman contact is still open",
        }
    }
}

pub fn verdict(policy: &RetentionPolicy, case: &ClosedCase, today: NaiveDate) -> Verdict {
    if today < policy.ends_on(case.closed_on, case.outcome.as_deref()) {
        Verdict::Keep
    } else if case.legal_hold {
        Verdict::Held
    } else if case.open_ombudsman_contact {
        Verdict::WithOmbudsman
    } else {
        Verdict::Anonymise
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn policy() -> RetentionPolicy {
        RetentionPolicy {
            years: 6,
            by_outcome: BTreeMap::from([("withdrawn".to_string(), 2)]),
        }
    }

    fn closed(on: NaiveDate) -> ClosedCase {
        ClosedCase {
            closed_on: on,
            outcome: Some("upheld".into()),
            legal_hold: false,
            open_ombudsman_contact: false,
        }
    }

    #[test]
    fn kept_until_the_anniversary_and_anonymised_on_it() {
        let case = closed(d(2020, 3, 15));
        assert_eq!(verdict(&policy(), &case, d(2026, 3, 14)), Verdict::Keep);
        assert_eq!(
            verdict(&policy(), &case, d(2026, 3, 15)),
            Verdict::Anonymise
        );
        assert_eq!(verdict(&policy(), &case, d(2031, 1, 1)), Verdict::Anonymise);
    }

    #[test]
    fn a_leap_day_closure_ends_on_the_last_day_of_february() {
        let case = closed(d(2020, 2, 29));
        assert_eq!(policy().ends_on(d(2020, 2, 29), None), d(2026, 2, 28));
        assert_eq!(verdict(&policy(), &case, d(2026, 2, 27)), Verdict::Keep);
        assert_eq!(
            verdict(&policy(), &case, d(2026, 2, 28)),
            Verdict::Anonymise
        );
    }

    #[test]
    fn an_outcome_with_its_own_period_uses_it_others_the_default() {
        let mut case = closed(d(2024, 5, 1));
        case.outcome = Some("withdrawn".into());
        assert_eq!(verdict(&policy(), &case, d(2026, 4, 30)), Verdict::Keep);
        assert_eq!(verdict(&policy(), &case, d(2026, 5, 1)), Verdict::Anonymise);
        case.outcome = None;
        assert_eq!(verdict(&policy(), &case, d(2026, 5, 1)), Verdict::Keep);
        assert_eq!(policy().years_for(Some("not_upheld")), 6);
    }

    #[test]
    fn a_legal_hold_or_an_open_ombudsman_contact_keeps_a_case_past_its_period() {
        let mut case = closed(d(2019, 1, 10));
        case.open_ombudsman_contact = true;
        assert_eq!(
            verdict(&policy(), &case, d(2026, 1, 10)),
            Verdict::WithOmbudsman
        );
        case.legal_hold = true;
        assert_eq!(verdict(&policy(), &case, d(2026, 1, 10)), Verdict::Held);
        // Within its period, a hold changes nothing yet.
        assert_eq!(verdict(&policy(), &case, d(2025, 1, 9)), Verdict::Keep);
    }
}
