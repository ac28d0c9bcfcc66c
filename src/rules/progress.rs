//! Progress updates (Code 5.9, 6.6): while a response is extended or late, or an action
//! promised in a response is outstanding, the resident is updated at the interval agreed
//! with them. Pure: the case layer says when the current period of updates began and when
//! the last update was sent; this works out when the next one is due.

use chrono::NaiveDate;

use super::calendar::{Calendar, CalendarError, Unit};

/// Why the resident is owed updates now, with the day it began.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdatesBecause {
    /// The response date was extended on this day.
    Extended(NaiveDate),
    /// The response was due on this day and has not been sent.
    Late(NaiveDate),
    /// A response was sent on this day with an action still to do.
    ActionOutstanding(NaiveDate),
}

impl UpdatesBecause {
    pub fn since(self) -> NaiveDate {
        match self {
            UpdatesBecause::Extended(d)
            | UpdatesBecause::Late(d)
            | UpdatesBecause::ActionOutstanding(d) => d,
        }
    }

    /// Why, as the case page says it.
    pub fn words(self) -> &'static str {
        match self {
            UpdatesBecause::Extended(_) => "the response date was extended",
            UpdatesBecause::Late(_) => "the response is late",
            UpdatesBecause::ActionOutstanding(_) => {
                "an action promised in the response is outstanding"
            }
        }
    }
}

/// The reason that began first among those that hold now: the period of updates runs from it.
pub fn earliest(reasons: &[UpdatesBecause]) -> Option<UpdatesBecause> {
    reasons.iter().copied().min_by_key(|r| r.since())
}

/// The day the next update is due: `every` working days after the last update sent in this
/// period, or after the period began when none has been sent yet. An update sent before the
/// period began does not count.
pub fn next_update_due(
    calendar: &Calendar,
    every_working_days: u32,
    since: NaiveDate,
    last_update: Option<NaiveDate>,
) -> Result<NaiveDate, CalendarError> {
    let from = last_update.filter(|d| *d >= since).unwrap_or(since);
    calendar.add(from, every_working_days, Unit::WorkingDays)
}

/// An update is owed from the day it falls due (that day included).
pub fn is_due(next_due: NaiveDate, today: NaiveDate) -> bool {
    today >= next_due
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{d, england};

    #[test]
    fn ten_working_days_after_the_period_began_skipping_weekends_and_holidays() {
        let cal = england();
        // Friday 18 December 2026: Christmas Day and Boxing Day (moved to Monday 28th) fall
        // in the ten working days, and New Year's Day (Friday 1 January 2027).
        let due = next_update_due(&cal, 10, d("2026-12-18"), None).unwrap();
        assert_eq!(due, d("2027-01-06"));
        // Monday 2 November 2026, no holidays: two weeks later.
        assert_eq!(
            next_update_due(&cal, 10, d("2026-11-02"), None).unwrap(),
            d("2026-11-16")
        );
    }

    #[test]
    fn the_last_update_moves_the_next_one_and_an_older_one_does_not() {
        let cal = england();
        let since = d("2026-11-02");
        assert_eq!(
            next_update_due(&cal, 5, since, Some(d("2026-11-16"))).unwrap(),
            d("2026-11-23")
        );
        assert_eq!(
            next_update_due(&cal, 5, since, Some(d("2026-10-01"))).unwrap(),
            d("2026-11-09")
        );
    }

    #[test]
    fn due_on_the_day_and_after_not_the_day_before() {
        let due = d("2026-11-16");
        assert!(!is_due(due, d("2026-11-15")));
        assert!(is_due(due, due));
        assert!(is_due(due, d("2026-11-17")));
    }

    #[test]
    fn the_period_runs_from_the_reason_that_began_first() {
        let reasons = [
            UpdatesBecause::ActionOutstanding(d("2026-11-10")),
            UpdatesBecause::Extended(d("2026-11-03")),
        ];
        assert_eq!(
            earliest(&reasons),
            Some(UpdatesBecause::Extended(d("2026-11-03")))
        );
        assert_eq!(earliest(&[]), None);
    }
}
