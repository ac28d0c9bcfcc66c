//! The reports' summary (issue 32, migration `2026-12-08-000021_report_summary`): for each
//! month, stage and breakdown (all, service area, category, contractor, channel, tenure, and
//! assignee with service area), the complaints that entered the stage and the responses sent,
//! with the counts and sums the performance report, the TSM and the dashboard show. A year is a couple of thousand rows
//! instead of half a million facts.
//!
//! What counts (the same as the facts the reports used to fold, `crate::db::reports`):
//! - a complaint entering a stage, in the month its stage clock started, by the case's current
//!   area, category, contractor, channel, tenure and assignee; a case at stage 2 also entered
//!   stage 1, in the month it was received; duplicates are left out;
//! - a response, in the month it was sent, by what was frozen when it was sent
//!   (`stage_outcomes`, assignee included), and by the case's current tenure.
//!
//! Kept in step inside the transaction of every write that changes a fact: the transition
//! runner ([`crate::cases::transition::apply`]), which has locked the case (its version),
//! takes the case's facts before and after its writes ([`facts_of`]) and adds the
//! difference ([`record_change`]) — a response frozen, a stage entered, a correction of the
//! area, category, contractor, channel, tenure or received date, a bulk action (each case
//! through the runner). A correction of the complainant's tenancy also moves their other
//! cases ([`record_tenure_changes`]). The seeder adds up its rows as it makes them
//! ([`Tally::add_seeded`]) and writes them once at the end.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::Bool;
use diesel::upsert::excluded;

use super::cases::CaseRow;
use super::conn::MultiBackend;
use super::decisions::StageOutcome;
use super::schema::{cases, report_summary, stage_outcomes};
use super::DbConnection;
use crate::domain::{CaseId, Scope};

/// The stages a complaint enters (a case awaiting triage is at none).
const STAGE_KEYS: [&str; 3] = ["stage0", "stage1", "stage2"];

/// What a summary row is broken down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Breakdown {
    /// Every fact of the month and stage (item `''`).
    All,
    ServiceArea,
    Category,
    Contractor,
    Channel,
    Tenure,
    /// The assignee and the service area together (item `assignee:area`, each id as text or
    /// `''`): what a manager's scope, "assigned to them or in their areas", is made of
    /// ([`months_in_scope`]). Migration `2026-12-09-000011_report_summary_assignee`.
    AssigneeArea,
}

impl Breakdown {
    pub const ALL: [Breakdown; 7] = [
        Breakdown::All,
        Breakdown::ServiceArea,
        Breakdown::Category,
        Breakdown::Contractor,
        Breakdown::Channel,
        Breakdown::Tenure,
        Breakdown::AssigneeArea,
    ];

    /// The stored value.
    pub fn key(self) -> &'static str {
        match self {
            Breakdown::All => "all",
            Breakdown::ServiceArea => "service_area",
            Breakdown::Category => "category",
            Breakdown::Contractor => "contractor",
            Breakdown::Channel => "channel",
            Breakdown::Tenure => "tenure",
            Breakdown::AssigneeArea => "assignee_area",
        }
    }

    pub fn parse(key: &str) -> Option<Breakdown> {
        Breakdown::ALL.into_iter().find(|b| b.key() == key)
    }
}

/// The counts and sums of a summary row (or of several added up).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Complaints that entered the stage.
    pub received: i64,
    /// Responses sent.
    pub responded: i64,
    /// Responses within the case's own timescale.
    pub within: i64,
    /// Working days late, summed over late responses (none below zero).
    pub days_late: i64,
    pub extended: i64,
    /// Working days from stage start to response, summed over responses that know it.
    pub working_days: i64,
    /// Responses that know their working days.
    pub timed: i64,
    pub upheld: i64,
    pub partly_upheld: i64,
    pub not_upheld: i64,
    pub compensation_pence: i64,
    /// Responses within the Code's timescales (CH02).
    pub code_within: i64,
}

impl Counts {
    const ENTRY: Counts = Counts {
        received: 1,
        responded: 0,
        within: 0,
        days_late: 0,
        extended: 0,
        working_days: 0,
        timed: 0,
        upheld: 0,
        partly_upheld: 0,
        not_upheld: 0,
        compensation_pence: 0,
        code_within: 0,
    };

    fn response(r: &ResponseFacts<'_>) -> Counts {
        let one = |yes: bool| i64::from(yes);
        Counts {
            received: 0,
            responded: 1,
            within: one(r.met),
            days_late: if r.met {
                0
            } else {
                i64::from(r.days_late.max(0))
            },
            extended: one(r.extended),
            working_days: r.working_days.map_or(0, |d| i64::from(d.max(0))),
            timed: one(r.working_days.is_some()),
            upheld: one(r.outcome == "upheld"),
            partly_upheld: one(r.outcome == "partly_upheld"),
            not_upheld: one(r.outcome == "not_upheld"),
            compensation_pence: i64::from(r.compensation_pence),
            code_within: one(r.code_met),
        }
    }

    /// Adds `other` times `sign` (1 to add, -1 to take away).
    pub fn add(&mut self, other: &Counts, sign: i64) {
        self.received += sign * other.received;
        self.responded += sign * other.responded;
        self.within += sign * other.within;
        self.days_late += sign * other.days_late;
        self.extended += sign * other.extended;
        self.working_days += sign * other.working_days;
        self.timed += sign * other.timed;
        self.upheld += sign * other.upheld;
        self.partly_upheld += sign * other.partly_upheld;
        self.not_upheld += sign * other.not_upheld;
        self.compensation_pence += sign * other.compensation_pence;
        self.code_within += sign * other.code_within;
    }

    pub fn is_zero(&self) -> bool {
        *self == Counts::default()
    }
}

/// What of a case row the summary counts (its entries into stages).
#[derive(Debug, Clone, Copy)]
pub struct CaseFacts<'a> {
    pub stage: Option<&'a str>,
    pub stage_started_on: Option<NaiveDate>,
    pub received_on: NaiveDate,
    /// Closed as a duplicate of another case: in no count of complaints received.
    pub duplicate: bool,
    pub service_area_id: Option<i32>,
    pub category_id: Option<i32>,
    pub contractor_id: Option<i32>,
    pub assignee_id: Option<i32>,
    pub channel: &'a str,
    pub tenure: &'a str,
}

/// A response as frozen when it was sent, with its case's current tenure.
#[derive(Debug, Clone, Copy)]
pub struct ResponseFacts<'a> {
    pub stage: &'a str,
    pub sent_on: NaiveDate,
    pub met: bool,
    pub days_late: i32,
    pub extended: bool,
    pub working_days: Option<i32>,
    pub outcome: &'a str,
    pub compensation_pence: i32,
    pub code_met: bool,
    pub service_area_id: Option<i32>,
    pub category_id: Option<i32>,
    pub contractor_id: Option<i32>,
    pub assignee_id: Option<i32>,
    pub channel: &'a str,
    pub tenure: &'a str,
}

/// A summary row's key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RowKey {
    /// The first day of the month.
    pub month: NaiveDate,
    pub stage: String,
    pub breakdown: Breakdown,
    /// The service area, category or contractor id as text (`''` when not recorded), the
    /// channel's or tenure's key, `assignee:area` ([`Breakdown::AssigneeArea`]), or `''` for
    /// [`Breakdown::All`].
    pub item: String,
}

/// Facts grouped by every key at once (month, stage, area, category, contractor, channel,
/// tenure), texts interned, so adding a fact costs one hash lookup and no allocation; the
/// breakdowns are made from the groups when written ([`Tally::rows`]). The assignee is kept
/// apart, with the area only ([`Assigned`]): in the groups it would multiply them by the
/// number of staff for a breakdown that crosses nothing else.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    groups: HashMap<Group, Counts>,
    assigned: HashMap<Assigned, Counts>,
    texts: Vec<String>,
    index: HashMap<String, u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Group {
    month: NaiveDate,
    stage: u32,
    area: Option<i32>,
    category: Option<i32>,
    contractor: Option<i32>,
    channel: u32,
    tenure: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Assigned {
    month: NaiveDate,
    stage: u32,
    assignee: Option<i32>,
    area: Option<i32>,
}

/// What a fact is broken down by.
#[derive(Debug, Clone, Copy)]
struct Keys<'a> {
    area: Option<i32>,
    category: Option<i32>,
    contractor: Option<i32>,
    assignee: Option<i32>,
    channel: &'a str,
    tenure: &'a str,
}

fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).expect("every month has a first day")
}

fn id_item(id: Option<i32>) -> String {
    id.map(|id| id.to_string()).unwrap_or_default()
}

/// The item of a [`Breakdown::AssigneeArea`] row.
fn assignee_area_item(assignee: Option<i32>, area: Option<i32>) -> String {
    format!("{}:{}", id_item(assignee), id_item(area))
}

impl Tally {
    fn intern(&mut self, text: &str) -> u32 {
        if let Some(&i) = self.index.get(text) {
            return i;
        }
        let i = self.texts.len() as u32;
        self.texts.push(text.to_string());
        self.index.insert(text.to_string(), i);
        i
    }

    fn add(&mut self, on: NaiveDate, stage: &str, keys: &Keys<'_>, counts: &Counts) {
        let month = first_of_month(on);
        let stage = self.intern(stage);
        let group = Group {
            month,
            stage,
            area: keys.area,
            category: keys.category,
            contractor: keys.contractor,
            channel: self.intern(keys.channel),
            tenure: self.intern(keys.tenure),
        };
        self.groups.entry(group).or_default().add(counts, 1);
        let assigned = Assigned {
            month,
            stage,
            assignee: keys.assignee,
            area: keys.area,
        };
        self.assigned.entry(assigned).or_default().add(counts, 1);
    }

    /// A case's entries into stages.
    pub fn add_case(&mut self, case: &CaseFacts<'_>) {
        if case.duplicate {
            return;
        }
        let Some(stage) = case.stage.filter(|s| STAGE_KEYS.contains(s)) else {
            return;
        };
        let keys = Keys {
            area: case.service_area_id,
            category: case.category_id,
            contractor: case.contractor_id,
            assignee: case.assignee_id,
            channel: case.channel,
            tenure: case.tenure,
        };
        let enter = |tally: &mut Tally, on: NaiveDate, stage: &str| {
            tally.add(on, stage, &keys, &Counts::ENTRY)
        };
        if let Some(started) = case.stage_started_on {
            enter(self, started, stage);
        }
        // A case at stage 2 also entered stage 1, counted on the day it was received.
        if stage == "stage2" {
            enter(self, case.received_on, "stage1");
        }
    }

    pub fn add_response(&mut self, response: &ResponseFacts<'_>) {
        let keys = Keys {
            area: response.service_area_id,
            category: response.category_id,
            contractor: response.contractor_id,
            assignee: response.assignee_id,
            channel: response.channel,
            tenure: response.tenure,
        };
        self.add(
            response.sent_on,
            response.stage,
            &keys,
            &Counts::response(response),
        );
    }

    /// The seeder's rows of a run of cases: the cases as written and their frozen outcomes
    /// (each of a case in `cases`).
    pub fn add_seeded(&mut self, cases: &[CaseRow], outcomes: &[StageOutcome]) {
        let mut tenures: HashMap<CaseId, &str> = HashMap::with_capacity(cases.len());
        for case in cases {
            tenures.insert(case.id, case.tenure.as_str());
            self.add_case(&CaseFacts {
                stage: case.stage.map(|s| s.key()),
                stage_started_on: case.stage_started_on,
                received_on: case.received_on,
                duplicate: case.duplicate_of_id.is_some(),
                service_area_id: case.service_area_id.map(|i| i.0),
                category_id: case.category_id.map(|i| i.0),
                contractor_id: case.contractor_id.map(|i| i.0),
                assignee_id: case.assignee_id.map(|i| i.0),
                channel: case.channel.as_str(),
                tenure: case.tenure.as_str(),
            });
        }
        for o in outcomes {
            let tenure = tenures
                .get(&o.case_id)
                .copied()
                .expect("a seeded outcome's case is in the same run");
            self.add_response(&ResponseFacts {
                stage: o.stage.key(),
                sent_on: o.sent_on,
                met: o.met,
                days_late: o.days_late,
                extended: o.extended,
                working_days: o.working_days,
                outcome: &o.outcome,
                compensation_pence: o.compensation_pence,
                code_met: o.code_met,
                service_area_id: o.service_area_id.map(|i| i.0),
                category_id: o.category_id.map(|i| i.0),
                contractor_id: o.contractor_id.map(|i| i.0),
                assignee_id: o.assignee_id.map(|i| i.0),
                channel: o.channel.as_str(),
                tenure,
            });
        }
    }

    /// The summary rows the facts make: each group counted under every breakdown.
    pub fn rows(&self) -> HashMap<RowKey, Counts> {
        let mut rows: HashMap<RowKey, Counts> = HashMap::new();
        for (group, counts) in &self.groups {
            let text = |i: u32| self.texts[i as usize].clone();
            for breakdown in Breakdown::ALL {
                let item = match breakdown {
                    Breakdown::All => String::new(),
                    Breakdown::ServiceArea => id_item(group.area),
                    Breakdown::Category => id_item(group.category),
                    Breakdown::Contractor => id_item(group.contractor),
                    Breakdown::Channel => text(group.channel),
                    Breakdown::Tenure => text(group.tenure),
                    // From `assigned`, below.
                    Breakdown::AssigneeArea => continue,
                };
                let key = RowKey {
                    month: group.month,
                    stage: text(group.stage),
                    breakdown,
                    item,
                };
                rows.entry(key).or_default().add(counts, 1);
            }
        }
        for (assigned, counts) in &self.assigned {
            let key = RowKey {
                month: assigned.month,
                stage: self.texts[assigned.stage as usize].clone(),
                breakdown: Breakdown::AssigneeArea,
                item: assignee_area_item(assigned.assignee, assigned.area),
            };
            rows.entry(key).or_default().add(counts, 1);
        }
        rows
    }

    /// Adds these facts to the stored summary (the seeder, once it has written its cases).
    pub fn write(&self, conn: &mut DbConnection) -> QueryResult<()> {
        let mut rows: Vec<(RowKey, Counts)> = self.rows().into_iter().collect();
        // A fixed order, so concurrent writers lock rows in the same order.
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        for (key, counts) in rows {
            if !counts.is_zero() {
                upsert(conn, &key, &counts)?;
            }
        }
        Ok(())
    }
}

#[derive(Queryable)]
struct CaseColumns {
    id: CaseId,
    stage: Option<String>,
    stage_started_on: Option<NaiveDate>,
    received_on: NaiveDate,
    duplicate_of_id: Option<i32>,
    service_area_id: Option<i32>,
    category_id: Option<i32>,
    contractor_id: Option<i32>,
    assignee_id: Option<i32>,
    channel: String,
    tenure: String,
}

#[derive(Queryable)]
struct OutcomeColumns {
    case_id: CaseId,
    stage: String,
    sent_on: NaiveDate,
    met: bool,
    days_late: i32,
    extended: bool,
    working_days: Option<i32>,
    outcome: String,
    compensation_pence: i32,
    code_met: bool,
    service_area_id: Option<i32>,
    category_id: Option<i32>,
    contractor_id: Option<i32>,
    assignee_id: Option<i32>,
    channel: String,
}

/// The facts cases `ids` make as they are stored now: take them before and after a write
/// and give both to [`record_change`].
pub fn facts_of(conn: &mut DbConnection, ids: &[CaseId]) -> QueryResult<Tally> {
    facts_with_tenure(conn, ids, None)
}

/// Moves the facts of cases from the tenure each had (`before`: case and tenure) to the one
/// it has now: call it in the transaction that has just changed their tenure (the other
/// cases of a complainant whose tenancy was corrected; the case acted on is the runner's).
/// The update holds their rows, so nothing else changes their facts before it ends.
pub fn record_tenure_changes(
    conn: &mut DbConnection,
    before: &[(CaseId, String)],
) -> QueryResult<()> {
    let mut by_tenure: HashMap<&str, Vec<CaseId>> = HashMap::new();
    for (case, tenure) in before {
        by_tenure.entry(tenure.as_str()).or_default().push(*case);
    }
    let mut tenures: Vec<&str> = by_tenure.keys().copied().collect();
    tenures.sort();
    for tenure in tenures {
        let ids = &by_tenure[tenure];
        let was = facts_with_tenure(conn, ids, Some(tenure))?;
        let now = facts_of(conn, ids)?;
        record_change(conn, &was, &now)?;
    }
    Ok(())
}

/// [`facts_of`], every case's tenure taken as `tenure` when given.
fn facts_with_tenure(
    conn: &mut DbConnection,
    ids: &[CaseId],
    tenure: Option<&str>,
) -> QueryResult<Tally> {
    let mut tally = Tally::default();
    if ids.is_empty() {
        return Ok(tally);
    }
    let rows: Vec<CaseColumns> = cases::table
        .filter(cases::id.eq_any(ids))
        .select((
            cases::id,
            cases::stage,
            cases::stage_started_on,
            cases::received_on,
            cases::duplicate_of_id,
            cases::service_area_id,
            cases::category_id,
            cases::contractor_id,
            cases::assignee_id,
            cases::channel,
            cases::tenure,
        ))
        .load(conn)?;
    let responses: Vec<OutcomeColumns> = stage_outcomes::table
        .filter(stage_outcomes::case_id.eq_any(ids))
        .select((
            stage_outcomes::case_id,
            stage_outcomes::stage,
            stage_outcomes::sent_on,
            stage_outcomes::met,
            stage_outcomes::days_late,
            stage_outcomes::extended,
            stage_outcomes::working_days,
            stage_outcomes::outcome,
            stage_outcomes::compensation_pence,
            stage_outcomes::code_met,
            stage_outcomes::service_area_id,
            stage_outcomes::category_id,
            stage_outcomes::contractor_id,
            stage_outcomes::assignee_id,
            stage_outcomes::channel,
        ))
        .load(conn)?;
    for case in &rows {
        tally.add_case(&CaseFacts {
            stage: case.stage.as_deref(),
            stage_started_on: case.stage_started_on,
            received_on: case.received_on,
            duplicate: case.duplicate_of_id.is_some(),
            service_area_id: case.service_area_id,
            category_id: case.category_id,
            contractor_id: case.contractor_id,
            assignee_id: case.assignee_id,
            channel: &case.channel,
            tenure: tenure.unwrap_or(&case.tenure),
        });
    }
    for r in &responses {
        let Some(case) = rows.iter().find(|c| c.id == r.case_id) else {
            continue;
        };
        tally.add_response(&ResponseFacts {
            stage: &r.stage,
            sent_on: r.sent_on,
            met: r.met,
            days_late: r.days_late,
            extended: r.extended,
            working_days: r.working_days,
            outcome: &r.outcome,
            compensation_pence: r.compensation_pence,
            code_met: r.code_met,
            service_area_id: r.service_area_id,
            category_id: r.category_id,
            contractor_id: r.contractor_id,
            assignee_id: r.assignee_id,
            channel: &r.channel,
            tenure: tenure.unwrap_or(&case.tenure),
        });
    }
    Ok(tally)
}

/// Adds to the stored summary what changed between `before` and `after`, two [`facts_of`]
/// the same cases around a write (inside the write's transaction). Rows that did not change
/// are not touched, so most writes (a note, an acknowledgement) write nothing here.
pub fn record_change(conn: &mut DbConnection, before: &Tally, after: &Tally) -> QueryResult<()> {
    let mut change = after.rows();
    for (key, counts) in before.rows() {
        change.entry(key).or_default().add(&counts, -1);
    }
    let mut change: Vec<(RowKey, Counts)> =
        change.into_iter().filter(|(_, c)| !c.is_zero()).collect();
    change.sort_by(|a, b| a.0.cmp(&b.0));
    for (key, counts) in change {
        upsert(conn, &key, &counts)?;
    }
    Ok(())
}

#[derive(Insertable)]
#[diesel(table_name = report_summary)]
struct NewRow<'a> {
    month: NaiveDate,
    stage: &'a str,
    breakdown: &'static str,
    item: &'a str,
    received: i64,
    responded: i64,
    within_timescale: i64,
    days_late: i64,
    extended: i64,
    working_days: i64,
    timed: i64,
    upheld: i64,
    partly_upheld: i64,
    not_upheld: i64,
    compensation_pence: i64,
    code_within: i64,
}

/// Adds `counts` to the row `key`, creating it when missing (`INSERT … ON CONFLICT DO
/// UPDATE`, which SQLite and PostgreSQL both run; the derived multi-backend connection does
/// not build it, so it runs on the inner connection).
fn upsert(conn: &mut DbConnection, key: &RowKey, counts: &Counts) -> QueryResult<()> {
    use report_summary::dsl as s;
    let row = NewRow {
        month: key.month,
        stage: &key.stage,
        breakdown: key.breakdown.key(),
        item: &key.item,
        received: counts.received,
        responded: counts.responded,
        within_timescale: counts.within,
        days_late: counts.days_late,
        extended: counts.extended,
        working_days: counts.working_days,
        timed: counts.timed,
        upheld: counts.upheld,
        partly_upheld: counts.partly_upheld,
        not_upheld: counts.not_upheld,
        compensation_pence: counts.compensation_pence,
        code_within: counts.code_within,
    };
    let statement = diesel::insert_into(report_summary::table)
        .values(&row)
        .on_conflict((s::month, s::stage, s::breakdown, s::item))
        .do_update()
        .set((
            s::received.eq(s::received + excluded(s::received)),
            s::responded.eq(s::responded + excluded(s::responded)),
            s::within_timescale.eq(s::within_timescale + excluded(s::within_timescale)),
            s::days_late.eq(s::days_late + excluded(s::days_late)),
            s::extended.eq(s::extended + excluded(s::extended)),
            s::working_days.eq(s::working_days + excluded(s::working_days)),
            s::timed.eq(s::timed + excluded(s::timed)),
            s::upheld.eq(s::upheld + excluded(s::upheld)),
            s::partly_upheld.eq(s::partly_upheld + excluded(s::partly_upheld)),
            s::not_upheld.eq(s::not_upheld + excluded(s::not_upheld)),
            s::compensation_pence.eq(s::compensation_pence + excluded(s::compensation_pence)),
            s::code_within.eq(s::code_within + excluded(s::code_within)),
        ));
    match conn {
        DbConnection::Sqlite(c) => statement.execute(c),
        DbConnection::Pg(c) => statement.execute(c),
    }
    .map(|_| ())
}

/// A stored summary row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryRow {
    pub month: NaiveDate,
    pub stage: String,
    pub breakdown: Breakdown,
    pub item: String,
    pub counts: Counts,
}

type Columns = (
    NaiveDate,
    String,
    String,
    String,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
);

/// Which rows a read takes, besides its months.
type Condition = Box<dyn BoxableExpression<report_summary::table, MultiBackend, SqlType = Bool>>;

/// The rows of the months from `first` to `last` (first days of months, inclusive) broken
/// down by one of `breakdowns`; rows whose counts have all gone back to nothing are left out.
pub fn rows(
    conn: &mut DbConnection,
    first: NaiveDate,
    last: NaiveDate,
    breakdowns: &[Breakdown],
) -> QueryResult<Vec<SummaryRow>> {
    use report_summary::dsl as s;
    let keys: Vec<&str> = breakdowns.iter().map(|b| b.key()).collect();
    load(conn, first, last, Box::new(s::breakdown.eq_any(keys)))
}

/// The counts of each month from `first` to `last` (first days of months, inclusive), every
/// stage's added up, of the facts `scope` sees: every case's (the `all` rows), or a
/// manager's, "assigned to them or in their areas", as two parts that do not overlap — the
/// rows of their areas, and their [`Breakdown::AssigneeArea`] rows outside those areas.
/// A month with no rows is missing.
pub fn months_in_scope(
    conn: &mut DbConnection,
    scope: &Scope,
    first: NaiveDate,
    last: NaiveDate,
) -> QueryResult<BTreeMap<NaiveDate, Counts>> {
    use report_summary::dsl as s;
    let mut months: BTreeMap<NaiveDate, Counts> = BTreeMap::new();
    let (condition, areas): (Condition, Vec<String>) = match scope {
        Scope::Nothing => return Ok(months),
        Scope::All => (Box::new(s::breakdown.eq(Breakdown::All.key())), Vec::new()),
        Scope::AssignedOrInAreas { user, areas } => {
            let areas: Vec<String> = areas.iter().map(|a| a.0.to_string()).collect();
            let in_areas = s::breakdown
                .eq(Breakdown::ServiceArea.key())
                .and(s::item.eq_any(areas.clone()));
            let assigned = s::breakdown
                .eq(Breakdown::AssigneeArea.key())
                .and(s::item.like(format!("{}:%", user.0)));
            (Box::new(in_areas.or(assigned)), areas)
        }
    };
    for row in load(conn, first, last, condition)? {
        let outside_areas = match row.breakdown {
            Breakdown::AssigneeArea => row
                .item
                .split_once(':')
                .is_none_or(|(_, area)| !areas.iter().any(|a| a == area)),
            _ => true,
        };
        if outside_areas {
            months.entry(row.month).or_default().add(&row.counts, 1);
        }
    }
    Ok(months)
}

/// The rows of the months from `first` to `last` that `condition` takes, left out those
/// whose counts have all gone back to nothing.
fn load(
    conn: &mut DbConnection,
    first: NaiveDate,
    last: NaiveDate,
    condition: Condition,
) -> QueryResult<Vec<SummaryRow>> {
    use report_summary::dsl as s;
    let loaded: Vec<Columns> = report_summary::table
        .filter(s::month.between(first, last))
        .filter(condition)
        .filter(s::received.ne(0_i64).or(s::responded.ne(0_i64)))
        .select((
            s::month,
            s::stage,
            s::breakdown,
            s::item,
            s::received,
            s::responded,
            s::within_timescale,
            s::days_late,
            s::extended,
            s::working_days,
            s::timed,
            s::upheld,
            s::partly_upheld,
            s::not_upheld,
            s::compensation_pence,
            s::code_within,
        ))
        .load(conn)?;
    Ok(loaded
        .into_iter()
        .filter_map(|c| {
            Some(SummaryRow {
                month: c.0,
                stage: c.1,
                breakdown: Breakdown::parse(&c.2)?,
                item: c.3,
                counts: Counts {
                    received: c.4,
                    responded: c.5,
                    within: c.6,
                    days_late: c.7,
                    extended: c.8,
                    working_days: c.9,
                    timed: c.10,
                    upheld: c.11,
                    partly_upheld: c.12,
                    not_upheld: c.13,
                    compensation_pence: c.14,
                    code_within: c.15,
                },
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn case<'a>(stage: &'a str, area: Option<i32>, tenure: &'a str) -> CaseFacts<'a> {
        CaseFacts {
            stage: Some(stage),
            stage_started_on: Some(d(2025, 5, 20)),
            received_on: d(2025, 4, 2),
            duplicate: false,
            service_area_id: area,
            category_id: None,
            contractor_id: Some(7),
            assignee_id: Some(3),
            channel: "phone",
            tenure,
        }
    }

    #[test]
    fn a_stage_2_case_entered_stage_1_in_the_month_it_was_received() {
        let mut tally = Tally::default();
        tally.add_case(&case("stage2", Some(1), "tenant"));
        let rows = tally.rows();
        let key = |month, stage: &str, breakdown, item: &str| RowKey {
            month,
            stage: stage.into(),
            breakdown,
            item: item.into(),
        };
        assert_eq!(rows.len(), 14, "two entries under seven breakdowns");
        assert_eq!(
            rows[&key(d(2025, 5, 1), "stage2", Breakdown::All, "")].received,
            1
        );
        assert_eq!(
            rows[&key(d(2025, 4, 1), "stage1", Breakdown::ServiceArea, "1")].received,
            1
        );
        assert_eq!(
            rows[&key(d(2025, 4, 1), "stage1", Breakdown::Category, "")].received,
            1
        );
        assert_eq!(
            rows[&key(d(2025, 4, 1), "stage1", Breakdown::Tenure, "tenant")].received,
            1
        );
        assert_eq!(
            rows[&key(d(2025, 4, 1), "stage1", Breakdown::AssigneeArea, "3:1")].received,
            1
        );
    }

    #[test]
    fn duplicates_and_untriaged_cases_enter_no_stage() {
        let mut tally = Tally::default();
        tally.add_case(&CaseFacts {
            duplicate: true,
            ..case("stage1", None, "tenant")
        });
        tally.add_case(&CaseFacts {
            stage: None,
            ..case("stage1", None, "tenant")
        });
        assert!(tally.rows().is_empty());
    }

    /// The rows that change from `before` to `after`, as `breakdown:item` and the change in
    /// complaints received.
    fn moved(before: &CaseFacts<'_>, after: &CaseFacts<'_>) -> Vec<(String, i64)> {
        let (mut was, mut now) = (Tally::default(), Tally::default());
        was.add_case(before);
        now.add_case(after);
        let mut change = now.rows();
        for (key, counts) in was.rows() {
            change.entry(key).or_default().add(&counts, -1);
        }
        change
            .into_iter()
            .filter(|(_, c)| !c.is_zero())
            .map(|(k, c)| (format!("{}:{}", k.breakdown.key(), k.item), c.received))
            .collect::<BTreeMap<_, _>>()
            .into_iter()
            .collect()
    }

    #[test]
    fn a_changed_area_moves_the_entry_between_rows() {
        assert_eq!(
            moved(
                &case("stage1", Some(1), "tenant"),
                &case("stage1", Some(2), "tenant")
            ),
            [
                ("assignee_area:3:1".to_string(), -1),
                ("assignee_area:3:2".to_string(), 1),
                ("service_area:1".to_string(), -1),
                ("service_area:2".to_string(), 1)
            ]
        );
    }

    #[test]
    fn a_reassignment_moves_the_entry_to_the_new_assignee() {
        let before = case("stage1", Some(1), "tenant");
        let after = CaseFacts {
            assignee_id: None,
            ..before
        };
        assert_eq!(
            moved(&before, &after),
            [
                ("assignee_area:3:1".to_string(), -1),
                ("assignee_area::1".to_string(), 1)
            ]
        );
    }

    #[test]
    fn a_late_response_counts_its_days_and_outcome() {
        let r = ResponseFacts {
            stage: "stage1",
            sent_on: d(2025, 6, 3),
            met: false,
            days_late: 4,
            extended: true,
            working_days: Some(14),
            outcome: "partly_upheld",
            compensation_pence: 5000,
            code_met: false,
            service_area_id: None,
            category_id: None,
            contractor_id: None,
            assignee_id: None,
            channel: "email",
            tenure: "leaseholder",
        };
        let c = Counts::response(&r);
        assert_eq!(
            (
                c.responded,
                c.within,
                c.days_late,
                c.extended,
                c.working_days
            ),
            (1, 0, 4, 1, 14)
        );
        assert_eq!(
            (c.partly_upheld, c.compensation_pence, c.code_within),
            (1, 5000, 0)
        );
        let on_time = Counts::response(&ResponseFacts {
            met: true,
            working_days: None,
            ..r
        });
        assert_eq!(
            (on_time.within, on_time.days_late, on_time.timed),
            (1, 0, 0)
        );
    }
}
