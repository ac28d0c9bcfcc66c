//! The governing body pack (issue 26, Code 9.7) for any period, typically a quarter: the
//! period's complaint handling compared with the period before (volumes by stage and
//! category, timeliness, outcomes: [`analysis`]), the Tenant Satisfaction Measures over the
//! period ([`tsm::measure_period`]), themes (complaints and lessons by category and area),
//! the service improvement actions as they stood at the period's end ([`improvements`]),
//! and the Ombudsman's outcomes ([`crate::ombudsman::figures::for_period`]). Every figure
//! comes from the code the other reports use; nothing is counted twice.

use chrono::NaiveDate;

use super::analysis::{self, Analysis};
use super::improvements::{self, Improvements};
use crate::config::ReportsSettings;
use crate::db::DbConnection;
use crate::ombudsman::figures::{self, YearFigures};
use crate::reports::learning::{self, LearningRegister};
use crate::reports::tsm::{self, Tsm, TsmError};
use crate::reports::Period;

#[derive(Debug, Clone)]
pub struct Pack {
    pub period: Period,
    pub analysis: Analysis,
    pub tsm: Tsm,
    /// Lessons from the decisions sent in the period, by category and area.
    pub learning: LearningRegister,
    /// The improvement actions raised or changed in the period, judged at its end (or
    /// today, if the period has not ended).
    pub improvements: Improvements,
    /// The day the actions are judged on.
    pub judged_on: NaiveDate,
    pub ombudsman: YearFigures,
}

impl Pack {
    /// Orders of the period's determinations not yet complied with.
    pub fn orders_outstanding(&self) -> usize {
        self.ombudsman.orders - self.ombudsman.orders_complied
    }
}

/// The pack for `period`, as the cases stand on `today`.
pub fn build(
    conn: &mut DbConnection,
    settings: &ReportsSettings,
    period: &Period,
    today: NaiveDate,
) -> Result<Pack, TsmError> {
    let judged_on = period.to.min(today).max(period.from);
    let judged = Period::range(period.from, judged_on)?;
    Ok(Pack {
        analysis: analysis::analyse(conn, period)?,
        tsm: tsm::measure_period(conn, settings, period)?,
        learning: learning::build(conn, period, today)?,
        improvements: improvements::for_period(conn, &judged)?,
        judged_on,
        ombudsman: figures::for_period(conn, period.from, period.to)?,
        period: period.clone(),
    })
}

/// The quarters of the reporting year (April to June, July to September, October to
/// December, January to March): the one before the quarter `today` is in.
pub fn last_quarter(today: NaiveDate) -> Period {
    let this = this_quarter(today);
    let to = this.from.pred_opt().unwrap_or(this.from);
    this_quarter(to)
}

/// The quarter `today` falls in, whole.
pub fn this_quarter(today: NaiveDate) -> Period {
    use chrono::{Datelike, Months};
    let month0 = today.month0() / 3 * 3;
    let from = NaiveDate::from_ymd_opt(today.year(), month0 + 1, 1).unwrap_or(today);
    let to = (from + Months::new(3)).pred_opt().unwrap_or(from);
    Period::range(from, to).unwrap_or_else(|_| Period::containing(today))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_quarters_follow_the_calendar_the_reporting_year_uses() {
        let q = this_quarter(d(2026, 12, 3));
        assert_eq!((q.from, q.to), (d(2026, 10, 1), d(2026, 12, 31)));
        let q = last_quarter(d(2026, 12, 3));
        assert_eq!((q.from, q.to), (d(2026, 7, 1), d(2026, 9, 30)));
        let q = last_quarter(d(2027, 2, 10));
        assert_eq!((q.from, q.to), (d(2026, 10, 1), d(2026, 12, 31)));
        let q = last_quarter(d(2026, 4, 1));
        assert_eq!((q.from, q.to), (d(2026, 1, 1), d(2026, 3, 31)));
    }
}
