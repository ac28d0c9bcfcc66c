//! When a subject access request must be answered (UK GDPR Article 12(3), as the ICO reads
//! it): one calendar month from the day it was received, to the corresponding day of the next
//! month, or that month's last day when it has no such day; a due day on a weekend or bank
//! holiday moves to the next working day. It may be extended by up to two further months
//! when the request is complex or the person made several, if they are told within the first
//! month and why. Pure: the calendar is passed in.

use chrono::{Datelike, Months, NaiveDate};

use super::calendar::{Calendar, CalendarError};

/// The most months an extension may add (Article 12(3)).
pub const MAX_EXTENSION_MONTHS: u32 = 2;

/// Why a due date cannot be given.
#[derive(Debug, thiserror::Error)]
pub enum SubjectAccessError {
    #[error("An extension can add at most {MAX_EXTENSION_MONTHS} months")]
    ExtensionTooLong,
    #[error("An extension must be decided within the first month, by {0}")]
    ExtendedTooLate(NaiveDate),
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

/// `months` calendar months after `from`: the same day of the month, or the month's last day
/// when it is shorter (31 January + 1 month = 28 or 29 February).
fn months_after(from: NaiveDate, months: u32) -> NaiveDate {
    // chrono clamps to the month's last day, which is the ICO's rule.
    from.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// The last day of the first month: the day an answer (or an extension) is due by, before
/// moving off a non-working day.
fn first_month_ends(received: NaiveDate) -> NaiveDate {
    months_after(received, 1)
}

/// The day the answer is due: a calendar month after `received`, extended by
/// `extension_months` (0 to [`MAX_EXTENSION_MONTHS`]) decided on `extended_on`, then moved
/// to the next working day.
pub fn due(
    calendar: &Calendar,
    received: NaiveDate,
    extension: Option<(u32, NaiveDate)>,
) -> Result<NaiveDate, SubjectAccessError> {
    let months = match extension {
        None | Some((0, _)) => 1,
        Some((n, _)) if n > MAX_EXTENSION_MONTHS => {
            return Err(SubjectAccessError::ExtensionTooLong)
        }
        Some((n, on)) => {
            let by = calendar.next_working_day_from(first_month_ends(received))?;
            if on > by {
                return Err(SubjectAccessError::ExtendedTooLate(by));
            }
            1 + n
        }
    };
    Ok(calendar.next_working_day_from(months_after(received, months))?)
}

/// Whether the month runs to the last day of its month (for the request page's hint).
pub fn ends_on_a_short_month(received: NaiveDate) -> bool {
    first_month_ends(received).day() < received.day()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{d, england};

    #[test]
    fn a_month_runs_to_the_same_day_of_the_next_month() {
        // Tuesday 3 November 2026 -> Thursday 3 December 2026.
        assert_eq!(
            due(&england(), d("2026-11-03"), None).ok(),
            Some(d("2026-12-03"))
        );
    }

    #[test]
    fn a_shorter_next_month_ends_on_its_last_day() {
        // 31 January 2026 -> 28 February 2026, a Saturday -> Monday 2 March.
        assert!(ends_on_a_short_month(d("2026-01-31")));
        assert_eq!(
            due(&england(), d("2026-01-31"), None).ok(),
            Some(d("2026-03-02"))
        );
        // 31 March 2026 -> 30 April 2026, a Thursday.
        assert_eq!(
            due(&england(), d("2026-03-31"), None).ok(),
            Some(d("2026-04-30"))
        );
        assert!(!ends_on_a_short_month(d("2026-11-03")));
    }

    #[test]
    fn a_due_day_on_a_bank_holiday_moves_to_the_next_working_day() {
        // 25 November 2026 -> 25 December 2026 (Christmas), Boxing Day substitute on the
        // 28th -> Tuesday 29 December.
        assert_eq!(
            due(&england(), d("2026-11-25"), None).ok(),
            Some(d("2026-12-29"))
        );
    }

    #[test]
    fn an_extension_adds_up_to_two_months_if_decided_in_the_first() {
        let cal = england();
        assert_eq!(
            due(&cal, d("2026-11-03"), Some((2, d("2026-11-20")))).ok(),
            Some(d("2027-02-03"))
        );
        assert_eq!(
            due(&cal, d("2026-11-03"), Some((1, d("2026-12-03")))).ok(),
            Some(d("2027-01-04")),
            "3 January 2027 is a Sunday"
        );
        assert!(matches!(
            due(&cal, d("2026-11-03"), Some((3, d("2026-11-20")))),
            Err(SubjectAccessError::ExtensionTooLong)
        ));
        assert!(matches!(
            due(&cal, d("2026-11-03"), Some((1, d("2026-12-04")))),
            Err(SubjectAccessError::ExtendedTooLate(by)) if by == d("2026-12-03")
        ));
        assert_eq!(
            due(&cal, d("2026-11-03"), Some((0, d("2027-06-01")))).ok(),
            Some(d("2026-12-03"))
        );
    }
}
