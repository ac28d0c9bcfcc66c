//! The performance report for a reporting year or date range: complaints received and
//! responses sent, within timescale (against each case's own profile), late and by how many
//! working days, extended, average working days to respond, outcomes and compensation —
//! by stage, service area, category, channel, contractor and month. The HTML tables and the
//! CSV are built from the same [`Table`]s and the same [`Figures::cells`], so they agree.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};

use super::chart::BarChart;
use super::{one_decimal, percent, pounds, Period};
use crate::csv_export::{Cell, SafeCsv};
use crate::db::report_summary::{self, Breakdown, Counts, SummaryRow};
use crate::db::reports::{self, ResponseFact, StageEntry};
use crate::db::{categories, contractors, service_areas, DbConnection};
use crate::domain::case::Channel;

/// What the report is broken down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dimension {
    Stage,
    ServiceArea,
    Category,
    Channel,
    Contractor,
    Month,
}

impl Dimension {
    pub const ALL: [Dimension; 6] = [
        Dimension::Stage,
        Dimension::ServiceArea,
        Dimension::Category,
        Dimension::Channel,
        Dimension::Contractor,
        Dimension::Month,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Dimension::Stage => "stage",
            Dimension::ServiceArea => "service_area",
            Dimension::Category => "category",
            Dimension::Channel => "channel",
            Dimension::Contractor => "contractor",
            Dimension::Month => "month",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Dimension::Stage => "By stage",
            Dimension::ServiceArea => "By service area",
            Dimension::Category => "By category",
            Dimension::Channel => "By channel",
            Dimension::Contractor => "By contractor",
            Dimension::Month => "By month",
        }
    }

    pub fn heading(self) -> &'static str {
        match self {
            Dimension::Stage => "Stage",
            Dimension::ServiceArea => "Service area",
            Dimension::Category => "Category",
            Dimension::Channel => "Channel",
            Dimension::Contractor => "Contractor",
            Dimension::Month => "Month",
        }
    }
}

/// The counts behind a row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    pub received: u64,
    pub responded: u64,
    pub within: u64,
    pub late: u64,
    /// Working days late, summed over late responses.
    pub days_late: u64,
    pub extended: u64,
    /// Working days from stage start to response, summed over responses that know it.
    pub working_days: u64,
    pub timed: u64,
    pub upheld: u64,
    pub partly_upheld: u64,
    pub not_upheld: u64,
    pub compensation_offered_pence: i64,
}

/// Column headings of [`Figures::cells`], in order (also the CSV header after the first two).
pub const COLUMNS: [&str; 13] = [
    "Received",
    "Responded",
    "Within timescale",
    "Within timescale (%)",
    "Late",
    "Average working days late",
    "Extended",
    "Average working days to respond",
    "Upheld",
    "Partly upheld",
    "Not upheld",
    "Compensation offered",
    "Compensation offered (pence)",
];

fn average(total: u64, count: u64) -> String {
    if count == 0 {
        "–".into()
    } else {
        format!("{:.1}", one_decimal(total as f64 / count as f64))
    }
}

impl Figures {
    fn add_entry(&mut self) {
        self.received += 1;
    }

    fn add_response(&mut self, r: &ResponseFact) {
        self.responded += 1;
        if r.met {
            self.within += 1;
        } else {
            self.late += 1;
            self.days_late += r.days_late.max(0) as u64;
        }
        if r.extended {
            self.extended += 1;
        }
        if let Some(days) = r.working_days {
            self.working_days += days.max(0) as u64;
            self.timed += 1;
        }
        match r.outcome.as_str() {
            "upheld" => self.upheld += 1,
            "partly_upheld" => self.partly_upheld += 1,
            "not_upheld" => self.not_upheld += 1,
            _ => {}
        }
        self.compensation_offered_pence += i64::from(r.compensation_pence);
    }

    /// Adds a summary row's counts.
    fn add_counts(&mut self, c: &Counts) {
        let n = |x: i64| x.max(0) as u64;
        self.received += n(c.received);
        self.responded += n(c.responded);
        self.within += n(c.within);
        self.late += n(c.responded - c.within);
        self.days_late += n(c.days_late);
        self.extended += n(c.extended);
        self.working_days += n(c.working_days);
        self.timed += n(c.timed);
        self.upheld += n(c.upheld);
        self.partly_upheld += n(c.partly_upheld);
        self.not_upheld += n(c.not_upheld);
        self.compensation_offered_pence += c.compensation_pence;
    }

    /// Adds another group's counts (two groups shown as one row).
    fn merge(&mut self, other: &Figures) {
        self.received += other.received;
        self.responded += other.responded;
        self.within += other.within;
        self.late += other.late;
        self.days_late += other.days_late;
        self.extended += other.extended;
        self.working_days += other.working_days;
        self.timed += other.timed;
        self.upheld += other.upheld;
        self.partly_upheld += other.partly_upheld;
        self.not_upheld += other.not_upheld;
        self.compensation_offered_pence += other.compensation_offered_pence;
    }

    pub fn within_percent(&self) -> Option<f64> {
        percent(self.within, self.responded)
    }

    /// The row's values as shown, in [`COLUMNS`] order.
    pub fn cells(&self) -> Vec<String> {
        vec![
            self.received.to_string(),
            self.responded.to_string(),
            self.within.to_string(),
            self.within_percent()
                .map(|p| format!("{p:.1}"))
                .unwrap_or_else(|| "–".into()),
            self.late.to_string(),
            average(self.days_late, self.late),
            self.extended.to_string(),
            average(self.working_days, self.timed),
            self.upheld.to_string(),
            self.partly_upheld.to_string(),
            self.not_upheld.to_string(),
            pounds(self.compensation_offered_pence),
            self.compensation_offered_pence.to_string(),
        ]
    }
}

#[derive(Debug, Clone)]
pub struct Row {
    pub label: String,
    pub figures: Figures,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub dimension: Dimension,
    pub rows: Vec<Row>,
    pub total: Row,
}

/// The columns pages show: all but the last, the amount in pence, which is there for
/// spreadsheets (the CSV) and not for people.
const SHOWN: usize = COLUMNS.len() - 1;

/// Pages show a breakdown as two tables that each fit a 1,280-pixel screen: how quickly
/// complaints were answered, then what was found and offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnGroup {
    Timeliness,
    Outcomes,
}

impl ColumnGroup {
    pub const ALL: [ColumnGroup; 2] = [ColumnGroup::Timeliness, ColumnGroup::Outcomes];

    /// The columns (of [`COLUMNS`]) the group shows.
    fn range(self) -> std::ops::Range<usize> {
        match self {
            ColumnGroup::Timeliness => 0..8,
            ColumnGroup::Outcomes => 8..SHOWN,
        }
    }

    /// Added to the table's caption and id.
    pub fn caption(self) -> &'static str {
        match self {
            ColumnGroup::Timeliness => "timeliness",
            ColumnGroup::Outcomes => "outcomes",
        }
    }

    /// The table's id: the first group keeps the breakdown's own (`table-stage`).
    pub fn id(self, dimension: &Dimension) -> String {
        match self {
            ColumnGroup::Timeliness => format!("table-{}", dimension.key()),
            ColumnGroup::Outcomes => format!("table-{}-outcomes", dimension.key()),
        }
    }

    pub fn columns(self) -> &'static [&'static str] {
        &COLUMNS[self.range()]
    }
}

impl Row {
    /// The figures of one group of columns (see [`ColumnGroup`]).
    pub fn shown(&self, group: &ColumnGroup) -> &[String] {
        let range = group.range();
        let end = range.end.min(self.cells.len());
        &self.cells[range.start.min(end)..end]
    }
}

#[derive(Debug, Clone)]
pub struct PerformanceReport {
    pub period: Period,
    pub tables: Vec<Table>,
    pub compensation_paid_pence: i64,
    pub payments: u64,
    /// Within timescale (%) per month, drawn beside the month table.
    pub chart: BarChart,
}

impl PerformanceReport {
    pub fn table(&self, dimension: Dimension) -> Option<&Table> {
        self.tables.iter().find(|t| t.dimension == dimension)
    }

    /// The same rows as the HTML tables: `table, row, then COLUMNS`. Names are text, so a
    /// category called `=HYPERLINK(…)` cannot run in a spreadsheet (see [`SafeCsv`]).
    pub fn to_csv(&self) -> Result<String, csv::Error> {
        let mut csv = SafeCsv::new();
        csv.text_record(["Breakdown", "Row"].into_iter().chain(COLUMNS))?;
        for table in &self.tables {
            for row in table.rows.iter().chain(std::iter::once(&table.total)) {
                let mut record = vec![
                    Cell::Text(table.dimension.heading()),
                    Cell::Text(&row.label),
                ];
                record.extend(row.cells.iter().map(|c| Cell::Figure(c)));
                csv.record(&record)?;
            }
        }
        // Every record has the same width; the payments total sits in the first figure.
        let paid = pounds(self.compensation_paid_pence);
        let mut record = vec![
            Cell::Text("Compensation paid"),
            Cell::Text("Total"),
            Cell::Figure(&paid),
        ];
        record.resize(COLUMNS.len() + 2, Cell::Text(""));
        csv.record(&record)?;
        csv.finish()
    }
}

/// Names for ids, loaded once per report.
struct Names {
    areas: BTreeMap<i32, String>,
    categories: BTreeMap<i32, String>,
    contractors: BTreeMap<i32, String>,
}

const NONE: &str = "Not recorded";

fn named(map: &BTreeMap<i32, String>, id: Option<i32>) -> String {
    match id {
        Some(id) => map.get(&id).cloned().unwrap_or_else(|| format!("#{id}")),
        None => NONE.into(),
    }
}

fn stage_label(key: &str) -> String {
    match key {
        "stage0" => "Stage 0".into(),
        "stage1" => "Stage 1".into(),
        "stage2" => "Stage 2".into(),
        other => other.into(),
    }
}

fn channel_label(key: &str) -> String {
    key.parse::<Channel>()
        .map(|c| c.label().to_string())
        .unwrap_or_else(|_| {
            if key.is_empty() {
                NONE.into()
            } else {
                key.into()
            }
        })
}

/// A row key that sorts the way people read the table.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Text(String),
    Month(i32, u32),
    /// "Not recorded" last.
    Missing,
}

struct Facts<'a> {
    stage: &'a str,
    on: NaiveDate,
    area: Option<i32>,
    category: Option<i32>,
    contractor: Option<i32>,
    channel: &'a str,
}

/// A row's group before it is named: a fact's group costs no allocation, so a year of facts
/// (250,000 responses at 1,000,000 cases) is folded before any label is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Group<'a> {
    /// A stage or channel key.
    Text(&'a str),
    /// A service area, category or contractor id.
    Id(Option<i32>),
    Month(i32, u32),
}

impl<'a> Facts<'a> {
    fn group(&self, dimension: Dimension) -> Group<'a> {
        match dimension {
            Dimension::Stage => Group::Text(self.stage),
            Dimension::Channel => Group::Text(self.channel),
            Dimension::ServiceArea => Group::Id(self.area),
            Dimension::Category => Group::Id(self.category),
            Dimension::Contractor => Group::Id(self.contractor),
            Dimension::Month => Group::Month(self.on.year(), self.on.month()),
        }
    }
}

/// The summary's breakdown a dimension's rows are read from.
fn breakdown_of(dimension: Dimension) -> Breakdown {
    match dimension {
        Dimension::Stage | Dimension::Month => Breakdown::All,
        Dimension::ServiceArea => Breakdown::ServiceArea,
        Dimension::Category => Breakdown::Category,
        Dimension::Contractor => Breakdown::Contractor,
        Dimension::Channel => Breakdown::Channel,
    }
}

/// A summary row's group in `dimension` (whose breakdown it is, see [`breakdown_of`]).
fn summary_group(row: &SummaryRow, dimension: Dimension) -> Group<'_> {
    let id = || row.item.parse::<i32>().ok();
    match dimension {
        Dimension::Stage => Group::Text(&row.stage),
        Dimension::Channel => Group::Text(&row.item),
        Dimension::ServiceArea | Dimension::Category | Dimension::Contractor => Group::Id(id()),
        Dimension::Month => Group::Month(row.month.year(), row.month.month()),
    }
}

/// A group's row key and label. Groups whose labels are the same (two areas of one name)
/// share a row.
fn row_of(dimension: Dimension, group: Group<'_>, names: &Names) -> (Key, String) {
    let text = |label: String| {
        if label == NONE {
            (Key::Missing, label)
        } else {
            (Key::Text(label.to_lowercase()), label)
        }
    };
    match (dimension, group) {
        (Dimension::Stage, Group::Text(stage)) => (Key::Text(stage.into()), stage_label(stage)),
        (Dimension::Channel, Group::Text(channel)) => text(channel_label(channel)),
        (Dimension::ServiceArea, Group::Id(id)) => text(named(&names.areas, id)),
        (Dimension::Category, Group::Id(id)) => text(named(&names.categories, id)),
        (Dimension::Contractor, Group::Id(id)) => text(named(&names.contractors, id)),
        (_, Group::Month(year, month)) => (Key::Month(year, month), month_label(year, month)),
        (_, group) => unreachable!("{dimension:?} rows are not grouped by {group:?}"),
    }
}

fn month_label(year: i32, month: u32) -> String {
    NaiveDate::from_ymd_opt(year, month, 1)
        .map(|first| first.format("%B %Y").to_string())
        .unwrap_or_else(|| format!("{year}-{month:02}"))
}

fn entry_facts(e: &StageEntry) -> Facts<'_> {
    Facts {
        stage: &e.stage,
        on: e.on,
        area: e.service_area_id.map(|i| i.0),
        category: e.category_id.map(|i| i.0),
        contractor: e.contractor_id.map(|i| i.0),
        channel: &e.channel,
    }
}

fn response_facts(r: &ResponseFact) -> Facts<'_> {
    Facts {
        stage: &r.stage,
        on: r.sent_on,
        area: r.service_area_id.map(|i| i.0),
        category: r.category_id.map(|i| i.0),
        contractor: r.contractor_id.map(|i| i.0),
        channel: &r.channel,
    }
}

/// Folds entries and responses into one table per dimension asked for.
#[cfg(test)]
fn build_tables(
    period: &Period,
    dimensions: &[Dimension],
    entries: &[StageEntry],
    responses: &[ResponseFact],
    names: &Names,
) -> Vec<Table> {
    build_tables_from(period, dimensions, &[], entries, responses, names)
}

/// Folds the summary's rows of whole months, and the entries and responses of the days
/// outside them, into one table per dimension asked for.
fn build_tables_from(
    period: &Period,
    dimensions: &[Dimension],
    summary: &[SummaryRow],
    entries: &[StageEntry],
    responses: &[ResponseFact],
    names: &Names,
) -> Vec<Table> {
    let mut total = Figures::default();
    summary
        .iter()
        .filter(|row| row.breakdown == Breakdown::All)
        .for_each(|row| total.add_counts(&row.counts));
    entries.iter().for_each(|_| total.add_entry());
    responses.iter().for_each(|r| total.add_response(r));
    let mut tables = Vec::new();
    for &dimension in dimensions {
        let mut groups: HashMap<Group<'_>, Figures> = HashMap::new();
        let breakdown = breakdown_of(dimension);
        for row in summary.iter().filter(|row| row.breakdown == breakdown) {
            groups
                .entry(summary_group(row, dimension))
                .or_default()
                .add_counts(&row.counts);
        }
        for e in entries {
            groups
                .entry(entry_facts(e).group(dimension))
                .or_default()
                .add_entry();
        }
        for r in responses {
            groups
                .entry(response_facts(r).group(dimension))
                .or_default()
                .add_response(r);
        }
        let mut rows: BTreeMap<Key, (String, Figures)> = BTreeMap::new();
        if dimension == Dimension::Month {
            // Every month of the period has a row, even an empty one.
            for (first, _) in period.months() {
                rows.insert(
                    Key::Month(first.year(), first.month()),
                    (month_label(first.year(), first.month()), Figures::default()),
                );
            }
        }
        for (group, figures) in groups {
            let (key, label) = row_of(dimension, group, names);
            rows.entry(key)
                .or_insert((label, Figures::default()))
                .1
                .merge(&figures);
        }
        tables.push(Table {
            dimension,
            rows: rows
                .into_values()
                .map(|(label, figures)| Row {
                    cells: figures.cells(),
                    label,
                    figures,
                })
                .collect(),
            total: Row {
                label: "Total".into(),
                cells: total.cells(),
                figures: total,
            },
        });
    }
    tables
}

fn names(conn: &mut DbConnection) -> diesel::QueryResult<Names> {
    Ok(Names {
        areas: service_areas::list_all(conn)?
            .into_iter()
            .map(|a| (a.id.0, a.name))
            .collect(),
        categories: categories::list_all(conn)?
            .into_iter()
            .map(|c| (c.id.0, c.name))
            .collect(),
        contractors: contractors::list_all(conn)?
            .into_iter()
            .map(|c| (c.id.0, c.name))
            .collect(),
    })
}

/// The report with a table for each of `dimensions` (the contractor report needs one).
pub fn build(
    conn: &mut DbConnection,
    period: &Period,
    dimensions: &[Dimension],
) -> diesel::QueryResult<PerformanceReport> {
    let names = names(conn)?;
    // Whole months from the summary; the days of a date range outside them from the facts.
    let split = period.split_months();
    let summary = match split.months {
        Some((first, last)) => {
            let mut breakdowns: Vec<Breakdown> = vec![Breakdown::All];
            breakdowns.extend(dimensions.iter().map(|d| breakdown_of(*d)));
            breakdowns.sort();
            breakdowns.dedup();
            report_summary::rows(conn, first, last, &breakdowns)?
        }
        None => Vec::new(),
    };
    let (mut entries, mut responses) = (Vec::new(), Vec::new());
    for (from, to) in split.days {
        entries.extend(reports::stage_entries(conn, from, to)?);
        responses.extend(reports::responses(conn, from, to)?);
    }
    let (payments, paid) = reports::payments_total(conn, period.from, period.to)?;
    let tables = build_tables_from(period, dimensions, &summary, &entries, &responses, &names);
    let chart = tables
        .iter()
        .find(|t| t.dimension == Dimension::Month)
        .map(month_chart)
        .unwrap_or_default();
    Ok(PerformanceReport {
        period: period.clone(),
        tables,
        compensation_paid_pence: paid,
        payments: payments.max(0) as u64,
        chart,
    })
}

fn month_chart(table: &Table) -> BarChart {
    BarChart::percentages(
        "Responses within timescale by month",
        "The percentage of responses sent each month that met the case's timescale; the table beside the chart gives the figures.",
        table
            .rows
            .iter()
            .map(|r| (r.label.clone(), r.figures.within_percent()))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ServiceAreaId;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn response(stage: &str, on: NaiveDate, met: bool, late: i32, outcome: &str) -> ResponseFact {
        ResponseFact {
            stage: stage.into(),
            sent_on: on,
            met,
            days_late: late,
            extended: false,
            code_met: met,
            outcome: outcome.into(),
            working_days: Some(if met { 8 } else { 10 + late }),
            compensation_pence: 0,
            service_area_id: Some(ServiceAreaId(1)),
            category_id: None,
            contractor_id: None,
            channel: "phone".into(),
        }
    }

    #[test]
    fn rows_add_up_to_the_total() {
        let period = Period::reporting_year(2025).unwrap();
        let names = Names {
            areas: [(1, "Repairs".to_string())].into(),
            categories: BTreeMap::new(),
            contractors: BTreeMap::new(),
        };
        let entries = vec![StageEntry {
            stage: "stage1".into(),
            on: d(2025, 4, 1),
            service_area_id: None,
            category_id: None,
            contractor_id: None,
            channel: "email".into(),
        }];
        let responses = vec![
            response("stage1", d(2025, 4, 20), true, 0, "upheld"),
            response("stage1", d(2025, 5, 2), false, 3, "not_upheld"),
        ];
        let tables = build_tables(&period, &Dimension::ALL, &entries, &responses, &names);
        let by_area = tables
            .iter()
            .find(|t| t.dimension == Dimension::ServiceArea)
            .unwrap();
        assert_eq!(by_area.rows.len(), 2);
        assert_eq!(by_area.rows[0].label, "Repairs");
        assert_eq!(by_area.rows[1].label, "Not recorded");
        assert_eq!(by_area.total.figures.received, 1);
        assert_eq!(by_area.total.figures.responded, 2);
        assert_eq!(by_area.total.cells[3], "50.0");
        assert_eq!(by_area.total.cells[5], "3.0");
        assert_eq!(by_area.total.cells[7], "10.5");
        let by_month = tables
            .iter()
            .find(|t| t.dimension == Dimension::Month)
            .unwrap();
        assert_eq!(by_month.rows.len(), 12);
        assert_eq!(by_month.rows[0].label, "April 2025");
        assert_eq!(by_month.rows[0].figures.received, 1);
        assert_eq!(by_month.rows[1].figures.late, 1);
    }
}
