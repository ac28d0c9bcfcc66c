//! Working-day calendar for one UK bank-holiday region.
//!
//! Holidays come from the GOV.UK bank-holidays feed (`config/bank-holidays.json`). The
//! calendar only answers for the whole years the feed covers: any date outside them is an
//! [`CalendarError::OutOfRange`], never a guess, because a wrong deadline is worse than none.
//!
//! Counting follows SPEC section 4: a start that is not a working day moves to the next
//! working day, the start day itself is not counted, and day `n` is the result, so
//! `add(start, 0)` is "the same day".

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;
use std::str::FromStr;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// A bank-holiday division of the GOV.UK feed. Set in the app config, never in a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Region {
    #[default]
    EnglandAndWales,
    Scotland,
    NorthernIreland,
}

impl Region {
    pub const ALL: [Region; 3] = [
        Region::EnglandAndWales,
        Region::Scotland,
        Region::NorthernIreland,
    ];

    /// The division key used by the GOV.UK feed and by the config (`rules.region`).
    pub fn key(self) -> &'static str {
        match self {
            Region::EnglandAndWales => "england-and-wales",
            Region::Scotland => "scotland",
            Region::NorthernIreland => "northern-ireland",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for Region {
    type Err = CalendarError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Region::ALL
            .into_iter()
            .find(|region| region.key() == s)
            .ok_or_else(|| CalendarError::UnknownRegion(s.to_string()))
    }
}

/// How a length of time is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Monday to Friday, excluding the region's bank holidays.
    WorkingDays,
    /// Every day; a due date landing on a non-working day rolls forward to a working day.
    CalendarDays,
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Unit::WorkingDays => "working days",
            Unit::CalendarDays => "calendar days",
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    #[error("unknown region '{0}' (expected england-and-wales, scotland or northern-ireland)")]
    UnknownRegion(String),
    #[error("{date} is outside the bank-holiday data, which covers {first} to {last}")]
    OutOfRange {
        date: NaiveDate,
        first: NaiveDate,
        last: NaiveDate,
    },
    #[error(
        "counting {n} {unit} from {start} runs past the end of the bank-holiday data ({last})"
    )]
    RunsPastData {
        start: NaiveDate,
        n: u32,
        unit: Unit,
        last: NaiveDate,
    },
    #[error("cannot read bank-holiday file {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("bank-holiday data is not in the GOV.UK feed format: {0}")]
    Format(String),
    #[error("bank-holiday data has no '{0}' division")]
    MissingRegion(Region),
    #[error(
        "bank-holiday data for {region} has no events in {year}, so that year cannot be trusted"
    )]
    MissingYear { region: Region, year: i32 },
}

/// The working days of one region over the years the feed covers.
///
/// Everything is precomputed at load so `add` and `between` are O(1) lookups: the engine
/// re-dates every open case whenever the holiday file or a profile changes.
#[derive(Debug, Clone)]
pub struct Calendar {
    region: Region,
    first: NaiveDate,
    last: NaiveDate,
    /// `working_before[i]` = number of working days in `[first, first + i)`; one entry per
    /// covered day plus a final total.
    working_before: Vec<u32>,
    /// Every working day in order, so the k-th working day is `working_days[k]`.
    working_days: Vec<NaiveDate>,
}

#[derive(Deserialize)]
struct FeedDivision {
    events: Vec<FeedEvent>,
}

#[derive(Deserialize)]
struct FeedEvent {
    date: NaiveDate,
}

impl Calendar {
    /// Reads the GOV.UK feed file and builds the calendar for `region`.
    pub fn load(path: &Path, region: Region) -> Result<Calendar, CalendarError> {
        let json = std::fs::read_to_string(path).map_err(|source| CalendarError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Calendar::from_feed_json(&json, region)
    }

    /// Builds the calendar from the feed's JSON text.
    pub fn from_feed_json(json: &str, region: Region) -> Result<Calendar, CalendarError> {
        let mut feed: BTreeMap<String, FeedDivision> =
            serde_json::from_str(json).map_err(|e| CalendarError::Format(e.to_string()))?;
        let division = feed
            .remove(region.key())
            .ok_or(CalendarError::MissingRegion(region))?;
        let holidays: BTreeSet<NaiveDate> = division.events.iter().map(|e| e.date).collect();
        Calendar::from_holidays(region, &holidays)
    }

    fn from_holidays(
        region: Region,
        holidays: &BTreeSet<NaiveDate>,
    ) -> Result<Calendar, CalendarError> {
        let (Some(earliest), Some(latest)) = (holidays.first(), holidays.last()) else {
            return Err(CalendarError::Format(format!(
                "the {region} division has no events"
            )));
        };
        // A year with no events at all means the feed is incomplete there; treating it as
        // holiday-free would silently produce wrong deadlines.
        let years: BTreeSet<i32> = holidays.iter().map(|d| d.year()).collect();
        if let Some(year) = (earliest.year()..=latest.year()).find(|y| !years.contains(y)) {
            return Err(CalendarError::MissingYear { region, year });
        }
        let first = NaiveDate::from_ymd_opt(earliest.year(), 1, 1)
            .ok_or_else(|| CalendarError::Format(format!("unusable year {}", earliest.year())))?;
        let last = NaiveDate::from_ymd_opt(latest.year(), 12, 31)
            .ok_or_else(|| CalendarError::Format(format!("unusable year {}", latest.year())))?;

        let mut working_before = Vec::new();
        let mut working_days = Vec::new();
        for day in first.iter_days().take_while(|d| *d <= last) {
            working_before.push(working_days.len() as u32);
            let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
            if !weekend && !holidays.contains(&day) {
                working_days.push(day);
            }
        }
        working_before.push(working_days.len() as u32);
        Ok(Calendar {
            region,
            first,
            last,
            working_before,
            working_days,
        })
    }

    pub fn region(&self) -> Region {
        self.region
    }

    /// First and last dates (inclusive) the calendar can answer for.
    pub fn covered(&self) -> (NaiveDate, NaiveDate) {
        (self.first, self.last)
    }

    fn index(&self, d: NaiveDate) -> Result<usize, CalendarError> {
        if d < self.first || d > self.last {
            return Err(CalendarError::OutOfRange {
                date: d,
                first: self.first,
                last: self.last,
            });
        }
        Ok((d - self.first).num_days() as usize)
    }

    /// Errors when `d` is outside the loaded years; used to validate input dates up front.
    pub fn check_in_range(&self, d: NaiveDate) -> Result<(), CalendarError> {
        self.index(d).map(|_| ())
    }

    pub fn is_working_day(&self, d: NaiveDate) -> Result<bool, CalendarError> {
        let i = self.index(d)?;
        Ok(self.working_before[i + 1] > self.working_before[i])
    }

    /// `d` itself when it is a working day, otherwise the next working day.
    pub fn next_working_day_from(&self, d: NaiveDate) -> Result<NaiveDate, CalendarError> {
        self.add(d, 0, Unit::WorkingDays)
    }

    /// The due date `n` units after `start`, per SPEC section 4. Always a working day.
    pub fn add(&self, start: NaiveDate, n: u32, unit: Unit) -> Result<NaiveDate, CalendarError> {
        let runs_past = || CalendarError::RunsPastData {
            start,
            n,
            unit,
            last: self.last,
        };
        let start_index = self.index(start)?;
        let rank = match unit {
            // Rank of the first working day on or after `start` (the moved start), plus n.
            Unit::WorkingDays => self.working_before[start_index] as usize + n as usize,
            Unit::CalendarDays => {
                let landed = start
                    .checked_add_days(Days::new(u64::from(n)))
                    .ok_or_else(runs_past)?;
                if landed > self.last {
                    return Err(runs_past());
                }
                self.working_before[self.index(landed)?] as usize
            }
        };
        self.working_days.get(rank).copied().ok_or_else(runs_past)
    }

    /// Number of working days `d` with `a < d <= b`. When `b < a` the result is the negated
    /// count for `b < d <= a`, so `between(a, b) == -between(b, a)` and `between(a, a) == 0`.
    pub fn between(&self, a: NaiveDate, b: NaiveDate) -> Result<i64, CalendarError> {
        let through = |d| -> Result<i64, CalendarError> {
            Ok(i64::from(self.working_before[self.index(d)? + 1]))
        };
        Ok(through(b)? - through(a)?)
    }
}

#[cfg(test)]
#[path = "calendar_tests.rs"]
mod tests;
