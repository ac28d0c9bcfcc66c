//! The queries behind the reports (`crate::reports`): narrow reads over covering indexes
//! (migration `2026-11-24-000020_report_facts`), folded in Rust so every breakdown of a
//! report comes from one pass over the same rows.

use chrono::NaiveDate;
use diesel::dsl::{count_star, sum};
use diesel::prelude::*;

use super::schema::{
    cases, compensation_payments, complainants, decisions, improvement_actions, lessons, remedies,
    stage_outcomes, users,
};
use super::DbConnection;
use crate::db::literal_limit::FirstRow;
use crate::db::one_of::one_of;
use crate::db::scope::{visible, Indexes, Visible};
use crate::domain::Scope;
use crate::domain::{CaseId, CategoryId, ContractorId, ServiceAreaId, UserId};

const STAGE_KEYS: [&str; 3] = ["stage0", "stage1", "stage2"];
const OPEN_STATUSES: [&str; 4] = ["received", "stage0_open", "stage1_open", "stage2_open"];

/// A complaint entering a stage: its stage clock started on `on`.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct StageEntry {
    pub stage: String,
    pub on: NaiveDate,
    pub service_area_id: Option<ServiceAreaId>,
    pub category_id: Option<CategoryId>,
    pub contractor_id: Option<ContractorId>,
    pub channel: String,
}

/// Complaints that entered a stage between `from` and `to` (inclusive), duplicates left out.
///
/// The case row keeps the start of its current (or last) stage; a case at stage 2 also
/// entered stage 1, counted on its receipt date. (A stage 2 case that began at stage 0 or as
/// a service request is therefore counted at stage 1 on the day it was received.)
pub fn stage_entries(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<StageEntry>> {
    let mut entries: Vec<StageEntry> = cases::table
        .filter(cases::stage_started_on.between(from, to))
        .filter(one_of(cases::stage, STAGE_KEYS))
        .filter(cases::duplicate_of_id.is_null())
        .select((
            cases::stage.assume_not_null(),
            cases::stage_started_on.assume_not_null(),
            cases::service_area_id,
            cases::category_id,
            cases::contractor_id,
            cases::channel,
        ))
        .load(conn)?;
    let escalated: Vec<StageEntry> = cases::table
        .filter(cases::stage.eq("stage2"))
        .filter(cases::received_on.between(from, to))
        .filter(cases::duplicate_of_id.is_null())
        .select((
            cases::stage.assume_not_null(),
            cases::received_on,
            cases::service_area_id,
            cases::category_id,
            cases::contractor_id,
            cases::channel,
        ))
        .load(conn)?;
    entries.extend(escalated.into_iter().map(|mut e| {
        e.stage = "stage1".into();
        e
    }));
    Ok(entries)
}

/// How many complaints entered `stage` in the period (CH01's numerator for stages 1 and 2).
pub fn count_entries(
    conn: &mut DbConnection,
    stage: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<i64> {
    count_entries_of(conn, stage, from, to, None)
}

/// [`count_entries`] for the complainants whose tenancy relationship is one of `tenancies`
/// (stored values), or for everyone when `None`: CH01 split by tenure.
pub fn count_entries_of(
    conn: &mut DbConnection,
    stage: &str,
    from: NaiveDate,
    to: NaiveDate,
    tenancies: Option<&[&str]>,
) -> QueryResult<i64> {
    let of_tenure = || {
        let mut query = cases::table
            .filter(cases::duplicate_of_id.is_null())
            .into_boxed();
        if let Some(tenancies) = tenancies {
            query = query.filter(
                cases::complainant_id.eq_any(
                    complainants::table
                        .filter(complainants::tenancy_relationship.eq_any(tenancies))
                        .select(complainants::id),
                ),
            );
        }
        query
    };
    let current: i64 = of_tenure()
        .filter(cases::stage.eq(stage))
        .filter(cases::stage_started_on.between(from, to))
        .select(count_star())
        .first_row(conn)?;
    let through = if stage == "stage1" {
        of_tenure()
            .filter(cases::stage.eq("stage2"))
            .filter(cases::received_on.between(from, to))
            .select(count_star())
            .first_row(conn)?
    } else {
        0
    };
    Ok(current + through)
}

/// A response sent, as frozen when it was sent.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct ResponseFact {
    pub stage: String,
    pub sent_on: NaiveDate,
    pub met: bool,
    pub days_late: i32,
    pub extended: bool,
    pub code_met: bool,
    pub outcome: String,
    pub working_days: Option<i32>,
    pub compensation_pence: i32,
    pub service_area_id: Option<ServiceAreaId>,
    pub category_id: Option<CategoryId>,
    pub contractor_id: Option<ContractorId>,
    pub channel: String,
}

pub fn responses(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<ResponseFact>> {
    stage_outcomes::table
        .filter(stage_outcomes::sent_on.between(from, to))
        .select((
            stage_outcomes::stage,
            stage_outcomes::sent_on,
            stage_outcomes::met,
            stage_outcomes::days_late,
            stage_outcomes::extended,
            stage_outcomes::code_met,
            stage_outcomes::outcome,
            stage_outcomes::working_days,
            stage_outcomes::compensation_pence,
            stage_outcomes::service_area_id,
            stage_outcomes::category_id,
            stage_outcomes::contractor_id,
            stage_outcomes::channel,
        ))
        .load(conn)
}

/// `(responses sent, of which within the Code's timescales)` for `stage` in the period: CH02.
pub fn count_responses_against_code(
    conn: &mut DbConnection,
    stage: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<(i64, i64)> {
    count_responses_against_code_of(conn, stage, from, to, None)
}

/// [`count_responses_against_code`] for the complainants whose tenancy relationship is one
/// of `tenancies`, or for everyone when `None`: CH02 split by tenure.
pub fn count_responses_against_code_of(
    conn: &mut DbConnection,
    stage: &str,
    from: NaiveDate,
    to: NaiveDate,
    tenancies: Option<&[&str]>,
) -> QueryResult<(i64, i64)> {
    let base = || {
        let mut query = stage_outcomes::table
            .filter(stage_outcomes::sent_on.between(from, to))
            .filter(stage_outcomes::stage.eq(stage))
            .into_boxed();
        if let Some(tenancies) = tenancies {
            query = query.filter(
                stage_outcomes::case_id.eq_any(
                    cases::table
                        .filter(
                            cases::complainant_id.eq_any(
                                complainants::table
                                    .filter(complainants::tenancy_relationship.eq_any(tenancies))
                                    .select(complainants::id),
                            ),
                        )
                        .select(cases::id),
                ),
            );
        }
        query
    };
    let all: i64 = base().select(count_star()).first_row(conn)?;
    let within: i64 = base()
        .filter(stage_outcomes::code_met.eq(true))
        .select(count_star())
        .first_row(conn)?;
    Ok((all, within))
}

/// `(responses sent, of which within the case's own timescale)` in the period, scoped.
///
/// A manager's scope (assigned to them OR in their areas) is counted as assigned + in areas
/// − both: SQLite answers each part from a covering index, where one OR query makes it look
/// every row up in the table.
pub fn count_responses_met(
    conn: &mut DbConnection,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<(i64, i64)> {
    #[derive(Clone, Copy)]
    enum Part<'a> {
        All,
        Assigned(UserId),
        InAreas(&'a [ServiceAreaId]),
        Both(UserId, &'a [ServiceAreaId]),
    }
    let count = |conn: &mut DbConnection, part: Part<'_>, only_met: bool| -> QueryResult<i64> {
        let mut query = stage_outcomes::table
            .filter(stage_outcomes::sent_on.between(from, to))
            .into_boxed();
        if only_met {
            query = query.filter(stage_outcomes::met.eq(true));
        }
        query = match part {
            Part::All => query,
            Part::Assigned(user) => query.filter(stage_outcomes::assignee_id.eq(user)),
            Part::InAreas(areas) => {
                query.filter(stage_outcomes::service_area_id.eq_any(areas.to_vec()))
            }
            Part::Both(user, areas) => query
                .filter(stage_outcomes::assignee_id.eq(user))
                .filter(stage_outcomes::service_area_id.eq_any(areas.to_vec())),
        };
        query.select(count_star()).first_row(conn)
    };
    let both = |conn: &mut DbConnection, only_met: bool| -> QueryResult<i64> {
        match scope {
            Scope::All => count(conn, Part::All, only_met),
            Scope::AssignedOrInAreas { user, areas } => {
                Ok(count(conn, Part::Assigned(*user), only_met)?
                    + count(conn, Part::InAreas(areas), only_met)?
                    - count(conn, Part::Both(*user, areas), only_met)?)
            }
            Scope::Nothing => Ok(0),
        }
    };
    Ok((both(conn, false)?, both(conn, true)?))
}

/// Open cases at a stage (`None` before triage) with a next due date (if any): how many.
pub type OpenAtStageAndDate = (Option<String>, Option<NaiveDate>, i64);

/// How many open cases within the viewer's scope are at each stage with each next due
/// date: `(stage, due, how many)`. Grouped in the database, so a dashboard works out a RAG
/// status for each of a few hundred dates rather than for each of tens of thousands of
/// cases (issue 31).
pub fn open_cases(conn: &mut DbConnection, scope: &Scope) -> QueryResult<Vec<OpenAtStageAndDate>> {
    let mut query = cases::table
        .filter(one_of(cases::status, OPEN_STATUSES))
        .group_by((cases::stage, cases::next_due_on))
        .select((cases::stage, cases::next_due_on, count_star()))
        .into_boxed();
    match visible(scope, Indexes::Use) {
        Visible::Every => {}
        Visible::Only(condition) => query = query.filter(condition),
        Visible::Nothing => return Ok(Vec::new()),
    }
    query.load(conn)
}

/// Compensation payments made in the period: `(how many, pence in all)`.
pub fn payments_total(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<(i64, i64)> {
    let (count, pence): (i64, Option<i64>) = compensation_payments::table
        .filter(compensation_payments::paid_on.between(from, to))
        .select((count_star(), sum(compensation_payments::amount_pence)))
        .first_row(conn)?;
    Ok((count, pence.unwrap_or(0)))
}

/// A lesson learned, with where its case sits.
#[derive(Debug, Clone, Queryable)]
pub struct LessonFact {
    pub case_id: CaseId,
    pub reference: String,
    pub lesson: String,
    pub service_area_id: Option<ServiceAreaId>,
    pub category_id: Option<CategoryId>,
    pub sent_on: Option<NaiveDate>,
}

/// Lessons from decisions sent in the period.
pub fn lessons(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<LessonFact>> {
    lessons::table
        .inner_join(decisions::table)
        .inner_join(cases::table)
        .filter(decisions::sent_on.between(from, to))
        .order(decisions::sent_on)
        .select((
            lessons::case_id,
            cases::reference,
            lessons::lesson,
            cases::service_area_id,
            cases::category_id,
            decisions::sent_on,
        ))
        .load(conn)
}

/// A service improvement action with its owner's name and its case's reference.
#[derive(Debug, Clone, Queryable)]
pub struct ActionFact {
    pub id: i32,
    pub reference: String,
    pub description: String,
    pub owner: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub status: String,
    pub service_area_id: Option<ServiceAreaId>,
}

/// Every improvement action (the register is short-lived work, not history), due first.
pub fn actions(conn: &mut DbConnection) -> QueryResult<Vec<ActionFact>> {
    improvement_actions::table
        .inner_join(cases::table)
        .left_join(users::table)
        .order((improvement_actions::due_on.asc(), improvement_actions::id))
        .select((
            improvement_actions::id,
            cases::reference,
            improvement_actions::description,
            users::display_name.nullable(),
            improvement_actions::due_on,
            improvement_actions::status,
            cases::service_area_id,
        ))
        .load(conn)
}

/// Remedies of decisions sent in the period: `(kind, amount)`.
pub fn remedies(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<(String, Option<i32>)>> {
    remedies::table
        .inner_join(decisions::table)
        .filter(decisions::sent_on.between(from, to))
        .select((remedies::kind, remedies::amount_pence))
        .load(conn)
}

/// Up to `limit` references of responses in the period matching a sample's test.
pub fn sample_responses(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
    which: Sample,
    limit: i64,
) -> QueryResult<Vec<(String, String, NaiveDate)>> {
    let mut query = stage_outcomes::table
        .inner_join(cases::table)
        .filter(stage_outcomes::sent_on.between(from, to))
        .into_boxed();
    query = match which {
        Sample::Late => query.filter(stage_outcomes::met.eq(false)),
        Sample::Extended => query.filter(stage_outcomes::extended.eq(true)),
        Sample::Stage2 => query.filter(stage_outcomes::stage.eq("stage2")),
        Sample::Remedy => query.filter(stage_outcomes::compensation_pence.gt(0)),
    };
    query
        .order((stage_outcomes::sent_on, stage_outcomes::id))
        .limit(limit)
        .select((
            cases::reference,
            stage_outcomes::stage,
            stage_outcomes::sent_on,
        ))
        .load(conn)
}

/// Which responses an evidence pack samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sample {
    Late,
    Extended,
    Stage2,
    Remedy,
}

pub fn user_names(conn: &mut DbConnection) -> QueryResult<Vec<(UserId, String)>> {
    users::table
        .select((users::id, users::display_name))
        .load(conn)
}
