//! A year's Ombudsman figures: the public API the annual report's section (c) and the
//! governing body pack read (`for_year`, or `for_period` for a financial year).
//!
//! The maladministration rate is findings of severe maladministration, maladministration or
//! service failure ÷ all findings other than outside jurisdiction (a finding that the
//! Ombudsman could not look at says nothing about us), over the determinations dated in the
//! period. "Orders complied with on time" counts the orders of those determinations
//! (recommendations and complaint handling failure orders apart) completed on or before
//! their due date.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use super::{Finding, OrderKind};
use crate::db::ombudsman::{self as table, RegisterFact};
use crate::db::DbConnection;

/// A share: `part` of `whole`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rate {
    pub part: usize,
    pub whole: usize,
}

impl Rate {
    /// The share in per cent; none when there is nothing to divide by.
    pub fn percent(&self) -> Option<f64> {
        (self.whole > 0).then(|| self.part as f64 * 100.0 / self.whole as f64)
    }

    /// "40.0%" or "No findings".
    pub fn text(&self) -> String {
        match self.percent() {
            Some(p) => format!("{p:.1}%"),
            None => "None yet".to_string(),
        }
    }
}

/// Findings of one case category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryFigures {
    /// "No category" when the case had none.
    pub category: String,
    /// Findings per kind, in [`Finding::ALL`]'s order.
    pub by_finding: Vec<(Finding, usize)>,
    pub rate: Rate,
}

/// A complaint handling failure order issued in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChfoLine {
    pub case_reference: String,
    pub ombudsman_reference: String,
    pub issued_on: NaiveDate,
    /// The Complaint Handling Code paragraph.
    pub paragraph: String,
    pub details: String,
    pub due_on: Option<NaiveDate>,
    pub complied_on: Option<NaiveDate>,
}

/// A finding of severe maladministration, maladministration or service failure on one
/// complaint element of a determination in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailingLine {
    pub case_reference: String,
    pub ombudsman_reference: String,
    pub determined_on: NaiveDate,
    pub element: String,
    pub finding: Finding,
    pub reasons: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct YearFigures {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Contacts determined in the period.
    pub determinations: usize,
    /// Findings per kind, in [`Finding::ALL`]'s order (every kind, zeros included).
    pub by_finding: Vec<(Finding, usize)>,
    pub by_category: Vec<CategoryFigures>,
    /// (severe maladministration + maladministration + service failure) ÷ (all findings
    /// except outside jurisdiction).
    pub maladministration_rate: Rate,
    /// Orders made (not recommendations or CHFOs).
    pub orders: usize,
    pub orders_complied: usize,
    /// Orders complied with on or before their due date, over all orders made.
    pub complied_on_time: Rate,
    pub recommendations: usize,
    pub recommendations_accepted: usize,
    pub chfos: Vec<ChfoLine>,
    /// Each failing finding of the period's determinations, oldest determination first.
    pub failings: Vec<FailingLine>,
}

/// The formula as the page and the reports state it.
pub const RATE_FORMULA: &str = "Maladministration rate = findings of severe maladministration, \
     maladministration or service failure ÷ all findings other than outside jurisdiction";

/// The figures for calendar year `year` (1 January to 31 December).
pub fn for_year(conn: &mut DbConnection, year: i32) -> QueryResult<YearFigures> {
    let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    let to = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
    for_period(conn, from, to)
}

fn rate_of(findings: &[Finding]) -> Rate {
    Rate {
        part: findings.iter().filter(|f| f.is_failing()).count(),
        whole: findings.iter().filter(|f| f.is_determined()).count(),
    }
}

fn counted(findings: &[Finding]) -> Vec<(Finding, usize)> {
    Finding::ALL
        .into_iter()
        .map(|kind| (kind, findings.iter().filter(|f| **f == kind).count()))
        .collect()
}

/// The figures for determinations and CHFOs dated `from` to `to` inclusive, organisation-wide.
pub fn for_period(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<YearFigures> {
    let facts: Vec<RegisterFact> = table::register(conn)?;
    let in_period = |d: NaiveDate| d >= from && d <= to;
    let determined: Vec<&RegisterFact> = facts
        .iter()
        .filter(|f| f.contact.determined_on.is_some_and(in_period))
        .collect();
    let ids: Vec<i32> = facts.iter().map(|f| f.contact.id).collect();
    let findings = table::findings_of(conn, &ids)?;
    let orders = table::orders_of(conn, &ids)?;
    let determined_ids: Vec<i32> = determined.iter().map(|f| f.contact.id).collect();

    let mut all: Vec<Finding> = Vec::new();
    let mut by_category: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
    let mut failings: Vec<FailingLine> = Vec::new();
    for fact in &determined {
        let category = fact
            .category
            .clone()
            .unwrap_or_else(|| "No category".to_string());
        for f in findings.iter().filter(|f| f.contact_id == fact.contact.id) {
            if let Some(kind) = Finding::parse(&f.finding) {
                if let (true, Some(on)) = (kind.is_failing(), fact.contact.determined_on) {
                    failings.push(FailingLine {
                        case_reference: fact.reference.clone(),
                        ombudsman_reference: fact.contact.ombudsman_reference.clone(),
                        determined_on: on,
                        element: f.element.clone(),
                        finding: kind,
                        reasons: f.reasons.clone(),
                    });
                }
                all.push(kind);
                by_category.entry(category.clone()).or_default().push(kind);
            }
        }
    }
    let made: Vec<_> = orders
        .iter()
        .filter(|o| determined_ids.contains(&o.contact_id))
        .collect();
    let is = |kind: &str, wanted: OrderKind| OrderKind::parse(kind) == Some(wanted);
    let real_orders: Vec<_> = made
        .iter()
        .filter(|o| OrderKind::parse(&o.kind).is_some_and(|k| OrderKind::ORDERS.contains(&k)))
        .collect();
    let on_time = real_orders
        .iter()
        .filter(|o| match (o.completed_on, o.due_on) {
            (Some(done), Some(due)) => done <= due,
            (Some(_), None) => true,
            _ => false,
        })
        .count();
    let recommendations: Vec<_> = made
        .iter()
        .filter(|o| is(&o.kind, OrderKind::Recommendation))
        .collect();
    let reference_of = |contact: i32| facts.iter().find(|f| f.contact.id == contact);
    let mut chfos: Vec<ChfoLine> = orders
        .iter()
        .filter(|o| is(&o.kind, OrderKind::Chfo) && in_period(o.issued_on))
        .filter_map(|o| {
            let fact = reference_of(o.contact_id)?;
            Some(ChfoLine {
                case_reference: fact.reference.clone(),
                ombudsman_reference: fact.contact.ombudsman_reference.clone(),
                issued_on: o.issued_on,
                paragraph: o.code_paragraph.clone().unwrap_or_default(),
                details: o.details.clone(),
                due_on: o.due_on,
                complied_on: o.completed_on,
            })
        })
        .collect();
    chfos.sort_by_key(|c| c.issued_on);
    failings.sort_by_key(|f| f.determined_on);
    Ok(YearFigures {
        from,
        to,
        determinations: determined.len(),
        by_finding: counted(&all),
        maladministration_rate: rate_of(&all),
        by_category: by_category
            .into_iter()
            .map(|(category, found)| CategoryFigures {
                by_finding: counted(&found),
                rate: rate_of(&found),
                category,
            })
            .collect(),
        orders: real_orders.len(),
        orders_complied: real_orders
            .iter()
            .filter(|o| o.completed_on.is_some())
            .count(),
        complied_on_time: Rate {
            part: on_time,
            whole: real_orders.len(),
        },
        recommendations: recommendations.len(),
        recommendations_accepted: recommendations
            .iter()
            .filter(|o| o.accepted == Some(true))
            .count(),
        chfos,
        failings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Finding::*;

    #[test]
    fn the_rate_leaves_out_outside_jurisdiction() {
        // 2 severe + 1 maladministration + 1 service failure = 4 failings; of 8 findings,
        // 2 are outside jurisdiction, so 4 ÷ 6.
        let found = [
            SevereMaladministration,
            SevereMaladministration,
            Maladministration,
            ServiceFailure,
            ReasonableRedress,
            NoMaladministration,
            OutsideJurisdiction,
            OutsideJurisdiction,
        ];
        let rate = rate_of(&found);
        assert_eq!((rate.part, rate.whole), (4, 6));
        assert_eq!(rate.text(), "66.7%");
        assert_eq!(Rate::default().text(), "None yet");
    }
}
