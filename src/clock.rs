//! The time everything counts from: the system clock in production, a fixed instant in tests
//! (so they can stand on 31 March, at Christmas or on a deadline's last day). Handlers take
//! it from the app state (or the `web::today::Today` extractor); use-cases take the date or instant as
//! an argument, never the clock itself.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    #[default]
    System,
    /// Always this instant.
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(at) => *at,
        }
    }

    /// Now, as stored in the database (UTC without zone).
    pub fn now_naive(&self) -> NaiveDateTime {
        self.now().naive_utc()
    }

    /// Today's date in Europe/London: the day every rule counts from.
    pub fn today(&self) -> NaiveDate {
        london_date_of(self.now_naive())
    }
}

/// The date in Europe/London at the UTC instant `at` (as stored in the database).
pub fn london_date_of(at: NaiveDateTime) -> NaiveDate {
    at.and_utc()
        .with_timezone(&chrono_tz::Europe::London)
        .date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_fixed_clock_gives_the_london_date() {
        // 23:30 UTC on 31 May is already 1 June in London (BST).
        let clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 5, 31, 23, 30, 0).unwrap());
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 6, 1).unwrap());
        // In winter London is on UTC.
        let clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 12, 31, 23, 30, 0).unwrap());
        assert_eq!(
            clock.today(),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()
        );
    }
}
