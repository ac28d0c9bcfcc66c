//! A period's complaint handling, compared with the period before it: volumes (service
//! requests, stages 0, 1 and 2, refusals), timeliness, extensions, outcomes, refusals by
//! reason, categories and areas. The annual report compares a year with the year before;
//! the governing body pack a quarter with the quarter before.

use std::collections::BTreeMap;

use chrono::Months;

use crate::db::governance::{self, classified};
use crate::db::DbConnection;
use crate::domain::case::ExclusionReason;
use crate::domain::case::TriageDecision;
use crate::domain::CaseEvent;
use crate::reports::chart::BarChart;
use crate::reports::performance::{self, Dimension, Figures};
use crate::reports::{percent, Period};

/// One period's figures.
#[derive(Debug, Clone, Default)]
pub struct PeriodFigures {
    pub service_requests: u64,
    pub stage0: u64,
    pub stage1: u64,
    pub stage2: u64,
    pub refused: u64,
    pub stage1_responses: Figures,
    pub stage2_responses: Figures,
    pub all_responses: Figures,
    /// `(reason, refusals)`: a refusal for two reasons counts under each.
    pub refusals_by_reason: BTreeMap<String, u64>,
    /// Complaints received, by category and by service area.
    pub by_category: BTreeMap<String, u64>,
    pub by_area: BTreeMap<String, u64>,
    /// Stage 2 responses, and those drafted by someone other than the stage 1 responder.
    pub stage2_decided: u64,
    pub stage2_independent: u64,
}

pub fn figures(conn: &mut DbConnection, period: &Period) -> diesel::QueryResult<PeriodFigures> {
    let report = performance::build(
        conn,
        period,
        &[
            Dimension::Stage,
            Dimension::Category,
            Dimension::ServiceArea,
        ],
    )?;
    let mut f = PeriodFigures::default();
    if let Some(t) = report.table(Dimension::Stage) {
        for row in &t.rows {
            match row.label.as_str() {
                "Stage 0" => f.stage0 = row.figures.received,
                "Stage 1" => {
                    f.stage1 = row.figures.received;
                    f.stage1_responses = row.figures;
                }
                "Stage 2" => {
                    f.stage2 = row.figures.received;
                    f.stage2_responses = row.figures;
                }
                _ => {}
            }
        }
        f.all_responses = t.total.figures;
    }
    let received = |dimension| -> BTreeMap<String, u64> {
        report
            .table(dimension)
            .map(|t| {
                t.rows
                    .iter()
                    .filter(|r| r.figures.received > 0)
                    .map(|r| (r.label.clone(), r.figures.received))
                    .collect()
            })
            .unwrap_or_default()
    };
    f.by_category = received(Dimension::Category);
    f.by_area = received(Dimension::ServiceArea);
    for (classification, count) in classified(conn, period.from, period.to)? {
        match classification.as_deref() {
            Some("service_request") => f.service_requests = count as u64,
            Some("excluded") => f.refused = count as u64,
            _ => {}
        }
    }
    for detail in governance::triage_events(conn, period.from, period.to)? {
        if let Ok(CaseEvent::Triaged {
            decision: TriageDecision::Excluded { reasons, .. },
            ..
        }) = serde_json::from_str::<CaseEvent>(&detail)
        {
            for reason in reasons {
                *f.refusals_by_reason
                    .entry(reason_label(reason))
                    .or_default() += 1;
            }
        }
    }
    let handlers = governance::stage2_handlers(conn, period.from, period.to)?;
    f.stage2_decided = handlers.len() as u64;
    f.stage2_independent = handlers
        .iter()
        .filter(|(first, second)| first.is_none() || first != second)
        .count() as u64;
    Ok(f)
}

fn reason_label(reason: ExclusionReason) -> String {
    reason.label().to_string()
}

/// One line of a comparison: the figure now, before, and the change in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compared {
    pub label: String,
    pub now: String,
    pub before: String,
    pub change: String,
}

fn count_row(label: &str, now: u64, before: u64) -> Compared {
    let change = match now.cmp(&before) {
        std::cmp::Ordering::Equal => "No change".to_string(),
        std::cmp::Ordering::Greater => format!("Up {}", now - before),
        std::cmp::Ordering::Less => format!("Down {}", before - now),
    };
    Compared {
        label: label.into(),
        now: now.to_string(),
        before: before.to_string(),
        change,
    }
}

fn percent_text(p: Option<f64>) -> String {
    p.map(|p| format!("{p:.1}%"))
        .unwrap_or_else(|| "No responses".into())
}

fn percent_row(label: &str, now: Option<f64>, before: Option<f64>) -> Compared {
    let change = match (now, before) {
        (Some(a), Some(b)) if (a - b).abs() < 0.05 => "No change".to_string(),
        (Some(a), Some(b)) if a > b => format!("Up {:.1} points", a - b),
        (Some(a), Some(b)) => format!("Down {:.1} points", b - a),
        _ => "Cannot compare".to_string(),
    };
    Compared {
        label: label.into(),
        now: percent_text(now),
        before: percent_text(before),
        change,
    }
}

/// Rows for every name in either period.
fn compare_map(now: &BTreeMap<String, u64>, before: &BTreeMap<String, u64>) -> Vec<Compared> {
    let mut names: Vec<&String> = now.keys().chain(before.keys()).collect();
    names.sort();
    names.dedup();
    let mut rows: Vec<Compared> = names
        .into_iter()
        .map(|n| {
            count_row(
                n,
                now.get(n).copied().unwrap_or(0),
                before.get(n).copied().unwrap_or(0),
            )
        })
        .collect();
    rows.sort_by(|a, b| {
        b.now
            .parse::<u64>()
            .unwrap_or(0)
            .cmp(&a.now.parse::<u64>().unwrap_or(0))
            .then_with(|| a.label.cmp(&b.label))
    });
    rows
}

/// A period compared with the one before.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub period: Period,
    pub previous: Period,
    pub now: PeriodFigures,
    pub before: PeriodFigures,
    pub volumes: Vec<Compared>,
    pub timeliness: Vec<Compared>,
    pub outcomes: Vec<Compared>,
    pub refusals: Vec<Compared>,
    pub categories: Vec<Compared>,
    pub areas: Vec<Compared>,
    /// Responses within timescale, this period and the last, by stage.
    pub chart: BarChart,
}

/// The period of the same length just before `period` (the year before a reporting year).
pub fn previous(period: &Period) -> Period {
    match period.year {
        Some(y) => Period::reporting_year(y - 1).unwrap_or_else(|_| period.clone()),
        None => {
            let days = (period.to - period.from).num_days();
            let to = period.from.pred_opt().unwrap_or(period.from);
            // A whole-months period compares with the months before it.
            let months = months_spanned(period);
            let from = match months {
                Some(m) => period.from - Months::new(m),
                None => to - chrono::Duration::days(days),
            };
            Period::range(from, to).unwrap_or_else(|_| period.clone())
        }
    }
}

/// How many whole months `period` covers, if it runs from a first to a last of the month.
fn months_spanned(period: &Period) -> Option<u32> {
    use chrono::Datelike;
    let next = period.to.succ_opt()?;
    if period.from.day() != 1 || next.day() != 1 {
        return None;
    }
    let months =
        (next.year() - period.from.year()) * 12 + next.month() as i32 - period.from.month() as i32;
    u32::try_from(months).ok()
}

pub fn analyse(conn: &mut DbConnection, period: &Period) -> diesel::QueryResult<Analysis> {
    let previous = previous(period);
    let now = figures(conn, period)?;
    let before = figures(conn, &previous)?;
    Ok(compare(period.clone(), previous, now, before))
}

pub fn compare(
    period: Period,
    previous: Period,
    now: PeriodFigures,
    before: PeriodFigures,
) -> Analysis {
    let volumes = vec![
        count_row(
            "Service requests",
            now.service_requests,
            before.service_requests,
        ),
        count_row("Stage 0 (informal)", now.stage0, before.stage0),
        count_row("Stage 1 complaints", now.stage1, before.stage1),
        count_row("Stage 2 complaints", now.stage2, before.stage2),
        count_row("Complaints refused", now.refused, before.refused),
    ];
    let (s1, s2, b1, b2) = (
        &now.stage1_responses,
        &now.stage2_responses,
        &before.stage1_responses,
        &before.stage2_responses,
    );
    let timeliness = vec![
        count_row("Stage 1 responses sent", s1.responded, b1.responded),
        percent_row(
            "Stage 1 responses within timescale",
            s1.within_percent(),
            b1.within_percent(),
        ),
        count_row("Stage 2 responses sent", s2.responded, b2.responded),
        percent_row(
            "Stage 2 responses within timescale",
            s2.within_percent(),
            b2.within_percent(),
        ),
        count_row(
            "Responses after an extension",
            now.all_responses.extended,
            before.all_responses.extended,
        ),
    ];
    let (a, b) = (&now.all_responses, &before.all_responses);
    let outcomes = vec![
        count_row("Upheld", a.upheld, b.upheld),
        count_row("Partly upheld", a.partly_upheld, b.partly_upheld),
        count_row("Not upheld", a.not_upheld, b.not_upheld),
        percent_row(
            "Upheld in full or in part",
            percent(a.upheld + a.partly_upheld, a.responded),
            percent(b.upheld + b.partly_upheld, b.responded),
        ),
    ];
    let chart = BarChart::percentages(
        "Responses within timescale",
        "The percentage of stage 1 and stage 2 responses sent within the case's timescale, this period and the period before; the table beside the chart gives the figures.",
        vec![
            (format!("Stage 1, {}", previous.label()), b1.within_percent()),
            (format!("Stage 1, {}", period.label()), s1.within_percent()),
            (format!("Stage 2, {}", previous.label()), b2.within_percent()),
            (format!("Stage 2, {}", period.label()), s2.within_percent()),
        ],
    );
    Analysis {
        refusals: compare_map(&now.refusals_by_reason, &before.refusals_by_reason),
        categories: compare_map(&now.by_category, &before.by_category),
        areas: compare_map(&now.by_area, &before.by_area),
        volumes,
        timeliness,
        outcomes,
        chart,
        period,
        previous,
        now,
        before,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_quarter_compares_with_the_quarter_before_and_a_year_with_the_year_before() {
        let q = Period::range(d(2025, 7, 1), d(2025, 9, 30)).unwrap();
        let p = previous(&q);
        assert_eq!((p.from, p.to), (d(2025, 4, 1), d(2025, 6, 30)));
        let y = Period::reporting_year(2025).unwrap();
        assert_eq!(previous(&y).year, Some(2024));
    }

    #[test]
    fn changes_are_said_in_words() {
        assert_eq!(count_row("x", 5, 3).change, "Up 2");
        assert_eq!(count_row("x", 3, 5).change, "Down 2");
        assert_eq!(count_row("x", 3, 3).change, "No change");
        assert_eq!(
            percent_row("x", Some(80.0), Some(70.0)).change,
            "Up 10.0 points"
        );
        assert_eq!(percent_row("x", None, Some(70.0)).now, "No responses");
    }
}
