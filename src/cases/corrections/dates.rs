//! How the complaint was received and its dates (officers, until the first response is
//! sent). The channel and received date are in the lifecycle state: a new received date
//! re-dates the open deadlines through the rules engine when the runner re-projects the
//! case; the domain refuses it on a closed case. The occurred and aware dates (the time
//! limit's) are the case row's.

use chrono::NaiveDate;

use super::{changed, decided};
use crate::cases::load::LoadedCase;
use crate::cases::transition::{CaseError, Decided, Rules};
use crate::db::cases;
use crate::domain::case::{Channel, Correction, FieldErrors};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dates {
    pub channel: Channel,
    pub received: NaiveDate,
    pub occurred: NaiveDate,
    pub aware: Option<NaiveDate>,
}

/// The dates' order, as at logging: happened ≤ aware ≤ received. Errors by field id.
pub fn check(dates: &Dates) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if dates.occurred > dates.received {
        errors.add(
            "occurred-day",
            "Date the problem happened must be the same as or before the date received",
        );
    }
    if let Some(aware) = dates.aware {
        if aware < dates.occurred {
            errors.add("aware-day", "Date the resident became aware must be the same as or after the date the problem happened");
        } else if aware > dates.received {
            errors.add(
                "aware-day",
                "Date the resident became aware must be the same as or before the date received",
            );
        }
    }
    errors
}

pub fn changes(case: &LoadedCase, dates: &Dates) -> Vec<Correction> {
    let state = &case.state;
    let mut changes = Vec::new();
    changes.extend(changed(state.channel, dates.channel, |from, to| {
        Correction::Channel { from, to }
    }));
    changes.extend(changed(state.received, dates.received, |from, to| {
        Correction::Received { from, to }
    }));
    if case.row.occurred_on != Some(dates.occurred) {
        changes.push(Correction::Occurred {
            from: case.row.occurred_on,
            to: dates.occurred,
        });
    }
    changes.extend(changed(case.row.aware_on, dates.aware, |from, to| {
        Correction::Aware { from, to }
    }));
    changes
}

pub fn decide(case: &LoadedCase, dates: Dates, rules: &Rules<'_>) -> Result<Decided, CaseError> {
    decided(
        case,
        changes(case, &dates),
        rules,
        Box::new(move |conn, id| cases::set_problem_dates(conn, id, dates.occurred, dates.aware)),
    )
}
