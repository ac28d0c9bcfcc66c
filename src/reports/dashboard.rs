//! The signed-in home page's figures (SPEC section 7), for the cases the viewer may see:
//! officers and directors the whole organisation, managers their cases and service areas.

use std::sync::Arc;

use chrono::{Datelike, Months, NaiveDate};
use diesel::QueryResult;

use super::chart::BarChart;
use super::{percent, Period};

use crate::cases::kept_by_generation::ByGeneration;
use crate::db::reports::OpenAtStageAndDate;
use crate::db::work_lists::ListDates;
use crate::db::{case_generation, report_summary, reports, DbConnection};
use crate::domain::Scope;
use crate::rules::{rag_for, Calendar, CalendarError, Rag, RagThresholds};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StageRag {
    pub stage: &'static str,
    pub red: u64,
    pub amber: u64,
    pub green: u64,
    /// Open without a deadline (e.g. awaiting triage, or a profile with none).
    pub no_deadline: u64,
}

impl StageRag {
    pub fn total(&self) -> u64 {
        self.red + self.amber + self.green + self.no_deadline
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Share {
    pub responded: i64,
    pub within: i64,
}

impl Share {
    pub fn percent(&self) -> Option<f64> {
        percent(self.within.max(0) as u64, self.responded.max(0) as u64)
    }

    pub fn text(&self) -> String {
        match self.percent() {
            Some(p) => format!("{p:.1}%"),
            None => "No responses yet".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct MonthShare {
    pub label: String,
    pub share: Share,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    pub today: NaiveDate,
    /// Awaiting triage, stage 0, stage 1, stage 2.
    pub open: Vec<StageRag>,
    /// Open cases on the "Due within 5 working days" work list: next deadline from today
    /// to 5 working days on, both included (`db::work_lists::ListDates`).
    pub due_soon: u64,
    pub overdue: u64,
    pub this_month: Share,
    pub this_year: Share,
    pub year_label: String,
    pub trend: Vec<MonthShare>,
    pub chart: BarChart,
    /// Letters the residents are owed in this scope (acknowledgements, responses and declines
    /// not yet sent), as the "Letters owed" list counts them.
    pub letters_owed: u64,
}

/// This month's share, this reporting year's and the last twelve months' (this one last).
///
/// Every month, this one included, is read from the reports' summary (one read of a year's
/// rows, a manager's scope made of their areas' rows and their own: `months_in_scope`).
/// This month's row holds the responses sent so far: a response is sent today or recorded
/// as sent on an earlier day, never a later one (`DateField::parse_not_future`), so the
/// row counts exactly the responses from the first of the month to `today`.
fn shares(
    conn: &mut DbConnection,
    scope: &Scope,
    month_start: NaiveDate,
    year: &Period,
) -> Result<(Share, Share, Vec<MonthShare>), DashboardError> {
    let first = month_start - Months::new(11);
    let by_month = report_summary::months_in_scope(conn, scope, first, month_start)?;
    let months: Vec<(NaiveDate, Share)> = (0..12)
        .rev()
        .map(|back| {
            let first = month_start - Months::new(back);
            let counts = by_month.get(&first).copied().unwrap_or_default();
            let share = Share {
                responded: counts.responded,
                within: counts.within,
            };
            (first, share)
        })
        .collect();
    let this_month = months.last().map(|(_, share)| *share).unwrap_or_default();
    // The reporting year so far: its whole months (all within the last twelve) and this one.
    let mut this_year = Share::default();
    for (first, share) in &months {
        if *first >= year.from {
            this_year.responded += share.responded;
            this_year.within += share.within;
        }
    }
    let trend = months
        .into_iter()
        .map(|(first, share)| MonthShare {
            label: first.format("%B %Y").to_string(),
            share,
        })
        .collect();
    Ok((this_month, this_year, trend))
}

fn stage_name(key: Option<&str>) -> &'static str {
    match key {
        Some("stage0") => "Stage 0",
        Some("stage1") => "Stage 1",
        Some("stage2") => "Stage 2",
        _ => "Awaiting triage",
    }
}

const STAGES: [&str; 4] = ["Awaiting triage", "Stage 0", "Stage 1", "Stage 2"];

#[derive(Debug, thiserror::Error)]
pub enum DashboardError {
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

/// The open cases by stage and next due date of each scope, kept by the case generation
/// (issue 31): grouping every open case was the dashboard's largest read (0.7 ms of its 1.7
/// at 100,000 cases), and the groups change only with a write that moves the generation
/// (a case's status, stage, deadline, area or manager: migrations
/// `2026-12-09-000021_case_generation` and `2026-12-11-000001_search_generation`).
#[derive(Default)]
pub struct KeptOpenCases {
    kept: ByGeneration<Scope, Arc<Vec<OpenAtStageAndDate>>>,
}

impl KeptOpenCases {
    /// The open cases `scope` covers, as of the case generation read first.
    fn get(
        &self,
        conn: &mut DbConnection,
        scope: &Scope,
    ) -> QueryResult<Arc<Vec<OpenAtStageAndDate>>> {
        let generation = case_generation::current_with_directory(conn)?.cases;
        if let Some(open) = self.kept.get(generation, scope) {
            return Ok(open);
        }
        let open = Arc::new(reports::open_cases(conn, scope)?);
        self.kept.keep(generation, scope.clone(), open.clone());
        Ok(open)
    }
}

pub fn build(
    conn: &mut DbConnection,
    scope: &Scope,
    kept: &KeptOpenCases,
    calendar: &Calendar,
    rag: &RagThresholds,
    today: NaiveDate,
) -> Result<Dashboard, DashboardError> {
    let mut open: Vec<StageRag> = STAGES
        .iter()
        .map(|s| StageRag {
            stage: s,
            ..StageRag::default()
        })
        .collect();
    // The same cases as the "Due within 5 working days" work list.
    let due_soon_until = ListDates::new(calendar, today)?.due_soon_until;
    let (mut due_soon, mut overdue) = (0, 0);
    for (stage, due, cases) in kept.get(conn, scope)?.iter() {
        let (due, cases) = (*due, *cases as u64);
        let name = stage_name(stage.as_deref());
        let row = open
            .iter_mut()
            .find(|r| r.stage == name)
            .expect("every stage has a row");
        match due {
            None => row.no_deadline += cases,
            Some(due) => {
                let tag = if due < today {
                    Rag::Red
                } else {
                    rag_for(calendar, today, due, rag)?.1
                };
                match tag {
                    Rag::Red => {
                        row.red += cases;
                        overdue += cases;
                    }
                    Rag::Amber => row.amber += cases,
                    Rag::Green => row.green += cases,
                }
                if today <= due && due <= due_soon_until {
                    due_soon += cases;
                }
            }
        }
    }
    let month_start = today.with_day(1).expect("first of month");
    let year = Period::containing(today);
    let (this_month, this_year, trend) = shares(conn, scope, month_start, &year)?;
    let chart = BarChart::percentages(
        "Responses within timescale, last 12 months",
        "The percentage of responses sent each month that met the case's timescale, for the last twelve months; the table beside the chart gives the figures.",
        trend
            .iter()
            .map(|m| (m.label.clone(), m.share.percent()))
            .collect(),
    );
    Ok(Dashboard {
        today,
        open,
        due_soon,
        overdue,
        this_month,
        this_year,
        year_label: year.label(),
        trend,
        chart,
        letters_owed: crate::letters::owed::count(conn, scope)? as u64,
    })
}
