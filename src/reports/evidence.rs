//! The evidence pack for the Complaint Handling Code's annual self-assessment: for one
//! reporting year, the figures the self-assessment asks about — volumes, timescales met,
//! extensions, escalations, remedies, learning — with sample cases for each.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::learning::{self, LearningRegister};
use super::performance::{self, Dimension, Figures, PerformanceReport};
use super::tsm::{self, Tsm, TsmError};
use super::{percent, pounds, Period};
use crate::config::ReportsSettings;
use crate::db::reports::{self, Sample};
use crate::db::DbConnection;
use crate::domain::case::RemedyKind;

#[derive(Debug, Clone)]
pub struct SampleCase {
    pub reference: String,
    pub stage: String,
    pub sent_on: String,
}

#[derive(Debug, Clone)]
pub struct SampleSet {
    pub title: &'static str,
    pub cases: Vec<SampleCase>,
}

#[derive(Debug, Clone)]
pub struct EvidencePack {
    pub period: Period,
    /// `None` when the homes for the year are not configured (the message says which key).
    pub tsm: Tsm,
    pub performance: PerformanceReport,
    pub stage_figures: Vec<(String, Figures)>,
    pub escalation_rate: Option<f64>,
    /// `(label, count)` of remedies in decisions sent in the year.
    pub remedies: Vec<(String, usize)>,
    pub compensation_offered: String,
    pub compensation_paid: String,
    pub learning: LearningRegister,
    pub samples: Vec<SampleSet>,
}

const SAMPLE_SIZE: i64 = 5;

pub fn build(
    conn: &mut DbConnection,
    settings: &ReportsSettings,
    year: i32,
    today: NaiveDate,
) -> Result<EvidencePack, TsmError> {
    let period = Period::reporting_year(year)?;
    let tsm = tsm::measure(conn, settings, year)?;
    let performance = performance::build(conn, &period, &[Dimension::Stage])?;
    let stage_figures: Vec<(String, Figures)> = performance
        .table(Dimension::Stage)
        .map(|t| {
            t.rows
                .iter()
                .map(|r| (r.label.clone(), r.figures))
                .collect()
        })
        .unwrap_or_default();
    let get = |label: &str| {
        stage_figures
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, f)| *f)
            .unwrap_or_default()
    };
    let escalation_rate = percent(get("Stage 2").received, get("Stage 1").responded);
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for (kind, _) in reports::remedies(conn, period.from, period.to)? {
        let label = kind
            .parse::<RemedyKind>()
            .map(|k| k.label().to_string())
            .unwrap_or_else(|_| kind.replace('_', " "));
        *kinds.entry(label).or_default() += 1;
    }
    let offered = performance
        .table(Dimension::Stage)
        .map(|t| t.total.figures.compensation_offered_pence)
        .unwrap_or(0);
    let learning = learning::build(conn, &period, today)?;
    let mut samples = Vec::new();
    for (title, which) in [
        ("Responses sent late", Sample::Late),
        ("Responses after an extension", Sample::Extended),
        ("Stage 2 responses", Sample::Stage2),
        ("Responses offering compensation", Sample::Remedy),
    ] {
        let cases = reports::sample_responses(conn, period.from, period.to, which, SAMPLE_SIZE)?
            .into_iter()
            .map(|(reference, stage, sent)| SampleCase {
                reference,
                stage: stage.replace("stage", "Stage "),
                sent_on: sent.format("%-d %B %Y").to_string(),
            })
            .collect();
        samples.push(SampleSet { title, cases });
    }
    Ok(EvidencePack {
        compensation_paid: pounds(performance.compensation_paid_pence),
        period,
        tsm,
        stage_figures,
        escalation_rate,
        remedies: kinds.into_iter().collect(),
        compensation_offered: pounds(offered),
        performance,
        learning,
        samples,
    })
}
