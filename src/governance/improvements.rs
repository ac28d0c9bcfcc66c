//! The service improvements of one year (Code 8.1(d)): the actions raised or changed in the
//! year, each judged as it stood at the year's end, so printing a past year's report again
//! gives the same answer whatever happened since.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::db::governance::{actions_touching, ActionInYear};
use crate::db::DbConnection;
use crate::reports::learning::IMPLEMENTED;
use crate::reports::Period;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Improvement {
    pub reference: String,
    pub description: String,
    pub owner: String,
    pub due: String,
    /// As it stood at the end of the period.
    pub status: &'static str,
    pub overdue: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Improvements {
    pub raised: usize,
    pub implemented: usize,
    pub overdue: usize,
    pub actions: Vec<Improvement>,
}

fn midnight(date: NaiveDate) -> NaiveDateTime {
    date.and_time(NaiveTime::MIN)
}

/// Implemented by the end of the period? An action implemented later was still open then.
fn implemented_by(action: &ActionInYear, end: NaiveDateTime) -> bool {
    action.status == IMPLEMENTED && action.changed_at < end
}

pub fn judge(actions: &[ActionInYear], period: &Period) -> Improvements {
    let (start, end) = (
        midnight(period.from),
        midnight(period.to) + chrono::Duration::days(1),
    );
    let mut out = Improvements::default();
    for a in actions.iter().filter(|a| a.raised_at < end) {
        let done = implemented_by(a, end);
        let overdue = !done && a.due_on.is_some_and(|d| d <= period.to);
        out.raised += usize::from(a.raised_at >= start);
        out.implemented += usize::from(done && a.changed_at >= start);
        out.overdue += usize::from(overdue);
        out.actions.push(Improvement {
            reference: a.reference.clone(),
            description: a.description.clone(),
            owner: a.owner.clone().unwrap_or_else(|| "No owner".into()),
            due: a
                .due_on
                .map(|d| d.format("%-d %B %Y").to_string())
                .unwrap_or_else(|| "No date".into()),
            status: if done {
                "Implemented"
            } else if overdue {
                "Overdue"
            } else {
                "In progress"
            },
            overdue,
        });
    }
    out
}

pub fn for_period(conn: &mut DbConnection, period: &Period) -> diesel::QueryResult<Improvements> {
    let end = midnight(period.to) + chrono::Duration::days(1);
    let actions = actions_touching(conn, midnight(period.from), end)?;
    Ok(judge(&actions, period))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        midnight(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    fn action(
        status: &str,
        raised: NaiveDateTime,
        changed: NaiveDateTime,
        due: (i32, u32, u32),
    ) -> ActionInYear {
        ActionInYear {
            reference: "CMP-2025-000001".into(),
            description: "Retrain the repairs desk".into(),
            owner: None,
            due_on: NaiveDate::from_ymd_opt(due.0, due.1, due.2),
            status: status.into(),
            raised_at: raised,
            changed_at: changed,
        }
    }

    #[test]
    fn an_action_is_judged_at_the_year_end_not_today() {
        let year = Period::reporting_year(2025).unwrap();
        // Implemented in May 2026, after the year: open and overdue at 31 March 2026.
        let late = action("implemented", at(2025, 6, 1), at(2026, 5, 1), (2026, 1, 31));
        // Due after the year end: in progress, not overdue.
        let future = action("planned", at(2025, 6, 1), at(2025, 6, 1), (2026, 6, 30));
        // Raised after the year: not in this year's report.
        let later = action("planned", at(2026, 4, 2), at(2026, 4, 2), (2026, 5, 1));
        let done = action("implemented", at(2025, 5, 1), at(2025, 9, 1), (2025, 8, 1));
        let judged = judge(&[late, future, later, done], &year);
        let statuses: Vec<_> = judged.actions.iter().map(|a| a.status).collect();
        assert_eq!(statuses, ["Overdue", "In progress", "Implemented"]);
        assert_eq!(
            (judged.raised, judged.implemented, judged.overdue),
            (3, 1, 1)
        );
    }
}
