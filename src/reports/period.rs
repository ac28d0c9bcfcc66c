//! The span a report covers: a reporting year (1 April to 31 March, named by the year it
//! starts, "2025-26") or any date range.

use chrono::{Datelike, Months, NaiveDate};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// First day, inclusive.
    pub from: NaiveDate,
    /// Last day, inclusive.
    pub to: NaiveDate,
    /// The reporting year's starting year, when the period is one.
    pub year: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("{0} is not a reporting year we can report on")]
    BadYear(i32),
    #[error("the end date must be the same as or after the start date")]
    EndBeforeStart,
    #[error("a report covers at most 5 years")]
    TooLong,
}

impl Period {
    /// The reporting year starting 1 April `year`.
    pub fn reporting_year(year: i32) -> Result<Period, PeriodError> {
        if !(2000..=2100).contains(&year) {
            return Err(PeriodError::BadYear(year));
        }
        let from = NaiveDate::from_ymd_opt(year, 4, 1).ok_or(PeriodError::BadYear(year))?;
        let to = NaiveDate::from_ymd_opt(year + 1, 3, 31).ok_or(PeriodError::BadYear(year))?;
        Ok(Period {
            from,
            to,
            year: Some(year),
        })
    }

    /// The starting year of the reporting year `date` falls in.
    pub fn year_of(date: NaiveDate) -> i32 {
        if date.month() >= 4 {
            date.year()
        } else {
            date.year() - 1
        }
    }

    pub fn containing(date: NaiveDate) -> Period {
        Period::reporting_year(Period::year_of(date)).expect("a date in a supported year")
    }

    pub fn range(from: NaiveDate, to: NaiveDate) -> Result<Period, PeriodError> {
        if to < from {
            return Err(PeriodError::EndBeforeStart);
        }
        if (to - from).num_days() > 366 * 5 {
            return Err(PeriodError::TooLong);
        }
        Ok(Period {
            from,
            to,
            year: None,
        })
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    /// "2025-26" for a reporting year; "1 April 2025 to 30 June 2025" for a range.
    pub fn label(&self) -> String {
        match self.year {
            Some(y) => year_label(y),
            None => format!(
                "{} to {}",
                self.from.format("%-d %B %Y"),
                self.to.format("%-d %B %Y")
            ),
        }
    }

    /// The calendar months the period touches, each clipped to the period: `(first, last)`.
    pub fn months(&self) -> Vec<(NaiveDate, NaiveDate)> {
        let mut out = Vec::new();
        let mut start = self.from.with_day(1).expect("first of month");
        while start <= self.to {
            let next = start + Months::new(1);
            let last = next.pred_opt().expect("a day before");
            out.push((start.max(self.from), last.min(self.to)));
            start = next;
        }
        out
    }

    /// The period as whole calendar months, read from the reports' summary, and the days
    /// before and after them, read from the facts (see [`MonthSplit`]).
    pub fn split_months(&self) -> MonthSplit {
        MonthSplit::of(self.from, self.to)
    }
}

/// Days `from` to `to` (inclusive) as the whole calendar months inside them and the days
/// outside those months: a reporting year is twelve whole months and no days; 15 January to
/// 10 March is February whole, and 15–31 January and 1–10 March as days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthSplit {
    /// The first days of the first and the last whole month, when there is one.
    pub months: Option<(NaiveDate, NaiveDate)>,
    /// The days outside whole months: `(first, last)`, inclusive, at most two spans.
    pub days: Vec<(NaiveDate, NaiveDate)>,
}

impl MonthSplit {
    pub fn of(from: NaiveDate, to: NaiveDate) -> MonthSplit {
        let first_of = |day: NaiveDate| day.with_day(1).expect("first of month");
        // The first whole month starts on `from` or on the next first of a month; the whole
        // months end before the first of the month `to` is in, or after `to` on a last day.
        let start = if from.day() == 1 {
            from
        } else {
            first_of(from) + Months::new(1)
        };
        let after = to.succ_opt().expect("a day after");
        let end = first_of(after);
        if to < from || start >= end {
            return MonthSplit {
                months: None,
                days: if to < from {
                    Vec::new()
                } else {
                    vec![(from, to)]
                },
            };
        }
        let mut days = Vec::new();
        if from < start {
            days.push((from, start.pred_opt().expect("a day before")));
        }
        if end <= to {
            days.push((end, to));
        }
        MonthSplit {
            months: Some((start, end - Months::new(1))),
            days,
        }
    }
}

/// "2025-26".
pub fn year_label(year: i32) -> String {
    format!("{}-{:02}", year, (year + 1).rem_euclid(100))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_reporting_year_runs_from_1_april_to_31_march() {
        let p = Period::reporting_year(2025).unwrap();
        assert_eq!((p.from, p.to), (d(2025, 4, 1), d(2026, 3, 31)));
        assert_eq!(p.label(), "2025-26");
        assert!(!p.contains(d(2025, 3, 31)));
        assert!(p.contains(d(2025, 4, 1)));
        assert!(p.contains(d(2026, 3, 31)));
        assert!(!p.contains(d(2026, 4, 1)));
        assert_eq!(year_label(2099), "2099-00");
    }

    #[test]
    fn the_31st_of_march_belongs_to_the_year_before() {
        assert_eq!(Period::year_of(d(2026, 3, 31)), 2025);
        assert_eq!(Period::year_of(d(2026, 4, 1)), 2026);
        assert_eq!(Period::year_of(d(2026, 1, 1)), 2025);
    }

    #[test]
    fn months_are_clipped_to_the_period() {
        let p = Period::range(d(2025, 1, 15), d(2025, 3, 10)).unwrap();
        assert_eq!(
            p.months(),
            vec![
                (d(2025, 1, 15), d(2025, 1, 31)),
                (d(2025, 2, 1), d(2025, 2, 28)),
                (d(2025, 3, 1), d(2025, 3, 10)),
            ]
        );
        assert_eq!(Period::reporting_year(2025).unwrap().months().len(), 12);
        assert_eq!(
            Period::range(d(2025, 2, 1), d(2025, 1, 1)),
            Err(PeriodError::EndBeforeStart)
        );
    }

    #[test]
    fn a_span_splits_into_whole_months_and_days() {
        let year = Period::reporting_year(2025).unwrap().split_months();
        assert_eq!(year.months, Some((d(2025, 4, 1), d(2026, 3, 1))));
        assert!(year.days.is_empty());
        assert_eq!(
            MonthSplit::of(d(2025, 1, 15), d(2025, 3, 10)),
            MonthSplit {
                months: Some((d(2025, 2, 1), d(2025, 2, 1))),
                days: vec![
                    (d(2025, 1, 15), d(2025, 1, 31)),
                    (d(2025, 3, 1), d(2025, 3, 10))
                ],
            }
        );
        // Inside one month, or across a month end without a whole month: days only.
        assert_eq!(
            MonthSplit::of(d(2025, 4, 2), d(2025, 4, 30)),
            MonthSplit {
                months: None,
                days: vec![(d(2025, 4, 2), d(2025, 4, 30))],
            }
        );
        assert_eq!(
            MonthSplit::of(d(2025, 4, 20), d(2025, 5, 10)).days,
            vec![(d(2025, 4, 20), d(2025, 5, 10))]
        );
        // A whole February in a leap year, and a single whole month.
        assert_eq!(
            MonthSplit::of(d(2024, 2, 1), d(2024, 2, 29)),
            MonthSplit {
                months: Some((d(2024, 2, 1), d(2024, 2, 1))),
                days: Vec::new(),
            }
        );
        assert_eq!(
            MonthSplit::of(d(2025, 4, 1), d(2025, 6, 15)),
            MonthSplit {
                months: Some((d(2025, 4, 1), d(2025, 5, 1))),
                days: vec![(d(2025, 6, 1), d(2025, 6, 15))],
            }
        );
    }
}
