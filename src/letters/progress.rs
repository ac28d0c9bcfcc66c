//! Progress updates on a case (Code 5.9, 6.6): the interval agreed with the resident (on the
//! case, or the policy's default when it names one), whether updates are owed now and why,
//! and when the next one is due. The dates are the rules' (`rules::progress`); this reads
//! the case, its outstanding actions and the updates already sent.

use chrono::NaiveDate;
use diesel::QueryResult;

use super::completed;
use super::kind::LetterKind;
use crate::cases::load::LoadedCase;
use crate::db::letters as table;
use crate::db::DbConnection;
use crate::domain::{CaseEvent, Status};
use crate::rules::progress::{self, UpdatesBecause};
use crate::rules::{Calendar, PolicySet};

/// The stored stage key of progress update letters: updates outlive the stage.
pub const STAGE_KEY: &str = "progress";

/// The longest interval that can be agreed, in working days (a quarter of a year).
pub const EVERY_MAX: u32 = 65;

/// The interval agreed on the case and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub every_working_days: u32,
    /// Recorded on the case (otherwise the policy's default).
    pub agreed_on_case: bool,
}

/// The interval in force: the latest one recorded on the case (0 there means none agreed),
/// otherwise the policy's default when it names one.
pub fn interval(case: &LoadedCase, policies: &PolicySet) -> Option<Interval> {
    let recorded = case.events.iter().rev().find_map(|row| match row.event() {
        Some(CaseEvent::UpdatesAgreed { every_working_days }) => Some(every_working_days),
        _ => None,
    });
    match recorded {
        Some(0) => None,
        Some(n) => Some(Interval {
            every_working_days: n,
            agreed_on_case: true,
        }),
        None => policies
            .get(&case.row.policy)
            .and_then(|p| p.progress_updates_every())
            .map(|n| Interval {
                every_working_days: n,
                agreed_on_case: false,
            }),
    }
}

/// Why the resident is owed updates on `today`, if they are: an open stage whose response
/// date was extended or has passed, or an action promised in a sent response still to do.
pub fn reasons(
    conn: &mut DbConnection,
    case: &LoadedCase,
    today: NaiveDate,
) -> QueryResult<Vec<UpdatesBecause>> {
    let state = &case.state;
    let mut reasons = Vec::new();
    let open = matches!(state.status, Status::Stage1Open | Status::Stage2Open);
    if let (true, Some(stage)) = (open, state.stage) {
        if let Some(first) = state
            .facts()
            .extensions
            .iter()
            .filter(|e| e.stage == stage)
            .map(|e| e.granted_on)
            .min()
        {
            reasons.push(UpdatesBecause::Extended(first));
        }
        // The response date, once acknowledged (before then the date is the
        // acknowledgement's).
        let acknowledged = state.acknowledged.get(stage).is_some();
        if let (true, Some(due)) = (acknowledged, case.row.next_due_on) {
            if due < today {
                reasons.push(UpdatesBecause::Late(due));
            }
        }
    }
    if let Some(first) = completed::outstanding(conn, case.row.id)?
        .iter()
        .map(|o| o.promised_on)
        .min()
    {
        reasons.push(UpdatesBecause::ActionOutstanding(first));
    }
    Ok(reasons)
}

/// The updates owed on a case now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub interval: Interval,
    pub because: UpdatesBecause,
    /// The last update sent in this period.
    pub last_sent: Option<NaiveDate>,
    pub next_due: NaiveDate,
    /// The next update is due today or was due before.
    pub due: bool,
}

/// The day the last progress update on the case was sent.
pub fn last_sent(conn: &mut DbConnection, case: &LoadedCase) -> QueryResult<Option<NaiveDate>> {
    Ok(table::for_case(conn, case.row.id)?
        .into_iter()
        .filter(|l| l.is_sent() && l.kind == LetterKind::ProgressUpdate.as_str())
        .filter_map(|l| l.sent_on)
        .max())
}

/// The case's plan of updates on `today`: `None` when no interval is agreed, nothing calls
/// for updates, or the date runs past the calendar's data.
pub fn plan(
    conn: &mut DbConnection,
    case: &LoadedCase,
    policies: &PolicySet,
    calendar: &Calendar,
    today: NaiveDate,
) -> QueryResult<Option<Plan>> {
    let Some(interval) = interval(case, policies) else {
        return Ok(None);
    };
    let Some(because) = progress::earliest(&reasons(conn, case, today)?) else {
        return Ok(None);
    };
    let last = last_sent(conn, case)?.filter(|d| *d >= because.since());
    let Ok(next_due) =
        progress::next_update_due(calendar, interval.every_working_days, because.since(), last)
    else {
        return Ok(None);
    };
    Ok(Some(Plan {
        interval,
        because,
        last_sent: last,
        next_due,
        due: progress::is_due(next_due, today),
    }))
}

/// Records the interval agreed with the resident (0: no regular updates); the timeline
/// says so and the audit log records the number. Refused when it is already the one in
/// force on the case, so the timeline does not fill with repeats.
pub fn decide_agree(
    case: &LoadedCase,
    every_working_days: u32,
    rules: &crate::cases::transition::Rules<'_>,
) -> Result<crate::cases::transition::Decided, crate::cases::transition::CaseError> {
    use crate::cases::transition::{CaseError, Decided};
    if every_working_days > EVERY_MAX {
        return Err(CaseError::Invalid(format!(
            "Enter {EVERY_MAX} working days or fewer"
        )));
    }
    let event = CaseEvent::UpdatesAgreed { every_working_days };
    Ok(Decided::new(case.state.clone(), event, rules.today))
}

/// The progress updates each person owes, for the daily digest (`mail::notify`): worked out
/// from every case's plan under the policies in force.
pub struct UpdatesDue {
    policies: std::sync::Arc<PolicySet>,
}

impl UpdatesDue {
    pub fn new(policies: impl Into<std::sync::Arc<PolicySet>>) -> UpdatesDue {
        UpdatesDue {
            policies: policies.into(),
        }
    }
}

impl crate::mail::notify::UpdatesOwed for UpdatesDue {
    fn by_person(
        &self,
        conn: &mut DbConnection,
        calendar: &Calendar,
        today: NaiveDate,
        until: NaiveDate,
    ) -> QueryResult<crate::mail::notify::UpdatesByPerson> {
        super::owed::updates_by_person(conn, &self.policies, calendar, today, until)
    }
}
