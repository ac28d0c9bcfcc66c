//! Tenant Satisfaction Measures (SPEC section 7), for a reporting year:
//!
//! - CH01: stage 1 (stage 2) complaints received in the year per 1,000 homes owned, the
//!   homes taken from `reports.homes` for that year. Duplicates are not counted.
//! - CH02: of the stage 1 (stage 2) responses sent in the year, the percentage sent within
//!   the Code's timescales (`hoc-2024`), whatever profile the landlord runs; a properly
//!   notified extension within the Code's cap counts as within. Read from the outcome frozen
//!   when each response was sent (`stage_outcomes.code_met`).
//!
//! Where `reports.tenure_homes` gives the year's homes per tenure, both measures are also
//! given for low cost rental accommodation (LCRA: the complainant is a tenant or licensee)
//! and low cost home ownership (LCHO: a shared owner), as the Regulator asks of a landlord
//! with both; complaints from anyone else (leaseholders, homeowners, private tenants,
//! others) are in the totals only.

use serde::Serialize;

use super::period::{year_label, Period};
use super::{one_decimal, percent};
use crate::config::{ReportsSettings, TenureHomes};
use crate::db::report_summary::{self, Breakdown, Counts};
use crate::db::{reports, DbConnection};
use crate::domain::case::TenancyRelationship;

/// The definitions printed beside the figures.
pub const CH01_DEFINITION: &str = "CH01: the number of stage 1 complaints received in the reporting year per 1,000 homes owned, and the number of stage 2 complaints received per 1,000 homes owned. A complaint is counted at stage 1 on the day its stage 1 clock started and at stage 2 on the day the resident asked to escalate. Complaints closed as duplicates of another are not counted.";
pub const CH02_DEFINITION: &str = "CH02: of the stage 1 responses sent in the reporting year, the percentage sent within the Housing Ombudsman Complaint Handling Code's timescales (10 working days from acknowledgement; stage 2: 20 working days), and the same for stage 2. A properly notified extension within the Code's cap (10 working days at stage 1, 20 at stage 2) counts as within. Always measured against the Code, whatever policy the landlord runs; each response's result is fixed when it is sent.";

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StageMeasures {
    pub received: i64,
    pub responded: i64,
    pub within_timescale: i64,
    /// `None` when the homes owned are not configured for the year.
    pub ch01_per_1000: Option<f64>,
    pub ch02_percent: Option<f64>,
}

impl StageMeasures {
    pub fn new(received: i64, responded: i64, within: i64, homes: Option<u32>) -> StageMeasures {
        StageMeasures {
            received,
            responded,
            within_timescale: within,
            ch01_per_1000: homes.map(|homes| {
                if homes == 0 {
                    0.0
                } else {
                    one_decimal(received as f64 * 1000.0 / f64::from(homes))
                }
            }),
            ch02_percent: percent(within.max(0) as u64, responded.max(0) as u64),
        }
    }
}

/// The `redress report tsm` JSON (SPEC section 8).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tsm {
    pub year: String,
    /// The homes owned, when configured for the year (`reports.homes`); CH01 needs it,
    /// CH02 and the counts do not.
    pub homes: Option<u32>,
    pub stage1: StageMeasures,
    pub stage2: StageMeasures,
    /// Stage 0 complaints received in the year: shown beside the measures, never in them
    /// (CH01 counts stages 1 and 2 only, SPEC section 7). Not in the SPEC's JSON.
    #[serde(skip)]
    pub stage0_received: i64,
    /// The LCRA/LCHO split, when the year's homes per tenure are configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenures: Option<TenureSplit>,
}

/// A Tenant Satisfaction Measures tenure (Regulator of Social Housing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tenure {
    /// Low cost rental accommodation.
    Lcra,
    /// Low cost home ownership.
    Lcho,
}

impl Tenure {
    pub const ALL: [Tenure; 2] = [Tenure::Lcra, Tenure::Lcho];

    pub fn label(self) -> &'static str {
        match self {
            Tenure::Lcra => "Low cost rental accommodation (LCRA)",
            Tenure::Lcho => "Low cost home ownership (LCHO)",
        }
    }

    /// The complainants' tenancy relationships counted in the tenure.
    pub fn relationships(self) -> &'static [TenancyRelationship] {
        match self {
            Tenure::Lcra => &[TenancyRelationship::Tenant, TenancyRelationship::Licensee],
            Tenure::Lcho => &[TenancyRelationship::SharedOwner],
        }
    }

    /// The id of the tenure's table on the page.
    pub fn table_id(self) -> &'static str {
        match self {
            Tenure::Lcra => "tsm-lcra",
            Tenure::Lcho => "tsm-lcho",
        }
    }

    /// The relationships in words, for the page: "tenants and licensees".
    pub fn who(self) -> &'static str {
        match self {
            Tenure::Lcra => "tenants and licensees",
            Tenure::Lcho => "shared owners",
        }
    }

    fn homes(self, homes: TenureHomes) -> u32 {
        match self {
            Tenure::Lcra => homes.lcra,
            Tenure::Lcho => homes.lcho,
        }
    }
}

/// CH01 and CH02 for one tenure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TenureMeasures {
    #[serde(skip)]
    pub tenure: Tenure,
    pub homes: u32,
    pub stage1: StageMeasures,
    pub stage2: StageMeasures,
}

impl TenureMeasures {
    pub fn stages(&self) -> [(&'static str, StageMeasures); 2] {
        [("Stage 1", self.stage1), ("Stage 2", self.stage2)]
    }
}

/// The measures split by tenure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TenureSplit {
    pub lcra: TenureMeasures,
    pub lcho: TenureMeasures,
    /// Stage 1 and stage 2 complaints received from complainants in neither tenure.
    pub neither_received: i64,
}

impl TenureSplit {
    pub fn tenures(&self) -> [&TenureMeasures; 2] {
        [&self.lcra, &self.lcho]
    }
}

/// The year's homes owned are not configured: said to administrators (the CLI), who can.
#[derive(Debug, thiserror::Error)]
#[error(
    "the number of homes owned in {label} is not configured: set `reports.homes.{year}` (for example `{year} = 12000` under `[reports.homes]`, or REDRESS_REPORTS__HOMES__{year})"
)]
pub struct MissingHomes {
    pub year: i32,
    pub label: String,
}

#[derive(Debug, thiserror::Error)]
pub enum TsmError {
    #[error(transparent)]
    Period(#[from] super::period::PeriodError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl Tsm {
    pub fn stages(&self) -> [(&'static str, StageMeasures); 2] {
        [("Stage 1", self.stage1), ("Stage 2", self.stage2)]
    }
}

/// The configured homes for the reporting year starting in `year`.
pub fn homes_for(settings: &ReportsSettings, year: i32) -> Result<u32, MissingHomes> {
    settings
        .homes
        .get(&year.to_string())
        .copied()
        .ok_or_else(|| MissingHomes {
            year,
            label: year_label(year),
        })
}

/// The configured homes per tenure for the reporting year starting in `year`, if any.
pub fn tenure_homes_for(settings: &ReportsSettings, year: i32) -> Option<TenureHomes> {
    settings.tenure_homes.get(&year.to_string()).copied()
}

/// The measures for the reporting year starting in `year`: CH02 and the counts always,
/// CH01 when the year's homes are configured (the CLI insists on them first, [`homes_for`]).
pub fn measure(
    conn: &mut DbConnection,
    settings: &ReportsSettings,
    year: i32,
) -> Result<Tsm, TsmError> {
    measure_period(conn, settings, &Period::reporting_year(year)?)
}

/// The same measures over any period (the governing body pack's quarter), counted the same
/// way. CH01 is per 1,000 of the homes owned in the reporting year the period starts in,
/// and is not annualised: a quarter's CH01 is about a quarter of the year's.
pub fn measure_period(
    conn: &mut DbConnection,
    settings: &ReportsSettings,
    period: &Period,
) -> Result<Tsm, TsmError> {
    let year = Period::year_of(period.from);
    let homes = homes_for(settings, year).ok();
    // Whole months from the summary; the days of a period outside them from the facts.
    let split = period.split_months();
    let summary = match split.months {
        Some((first, last)) => {
            report_summary::rows(conn, first, last, &[Breakdown::All, Breakdown::Tenure])?
        }
        None => Vec::new(),
    };
    let counted = |key: &str, tenancies: Option<&[&str]>| -> Counts {
        let mut counts = Counts::default();
        for row in summary.iter().filter(|row| row.stage == key) {
            let wanted = match tenancies {
                None => row.breakdown == Breakdown::All,
                Some(tenancies) => {
                    row.breakdown == Breakdown::Tenure && tenancies.contains(&row.item.as_str())
                }
            };
            if wanted {
                counts.add(&row.counts, 1);
            }
        }
        counts
    };
    let received =
        |conn: &mut DbConnection, key: &str, tenancies: Option<&[&str]>| -> Result<i64, TsmError> {
            let mut received = counted(key, tenancies).received;
            for (from, to) in &split.days {
                received += reports::count_entries_of(conn, key, *from, *to, tenancies)?;
            }
            Ok(received)
        };
    let stage = |conn: &mut DbConnection,
                 key: &str,
                 tenancies: Option<&[&str]>,
                 homes: Option<u32>|
     -> Result<StageMeasures, TsmError> {
        let counts = counted(key, tenancies);
        let (mut responded, mut within) = (counts.responded, counts.code_within);
        for (from, to) in &split.days {
            let (r, w) =
                reports::count_responses_against_code_of(conn, key, *from, *to, tenancies)?;
            responded += r;
            within += w;
        }
        Ok(StageMeasures::new(
            received(conn, key, tenancies)?,
            responded,
            within,
            homes,
        ))
    };
    let stage1 = stage(conn, "stage1", None, homes)?;
    let stage2 = stage(conn, "stage2", None, homes)?;
    let tenures = match tenure_homes_for(settings, year) {
        None => None,
        Some(configured) => {
            let mut of = |tenure: Tenure| -> Result<TenureMeasures, TsmError> {
                let tenancies: Vec<&str> =
                    tenure.relationships().iter().map(|r| r.as_str()).collect();
                let homes = Some(tenure.homes(configured));
                Ok(TenureMeasures {
                    tenure,
                    homes: tenure.homes(configured),
                    stage1: stage(conn, "stage1", Some(&tenancies), homes)?,
                    stage2: stage(conn, "stage2", Some(&tenancies), homes)?,
                })
            };
            let lcra = of(Tenure::Lcra)?;
            let lcho = of(Tenure::Lcho)?;
            let in_tenures: i64 = [lcra, lcho]
                .iter()
                .map(|t| t.stage1.received + t.stage2.received)
                .sum();
            Some(TenureSplit {
                lcra,
                lcho,
                neither_received: stage1.received + stage2.received - in_tenures,
            })
        }
    };
    Ok(Tsm {
        year: period.label(),
        homes,
        stage1,
        stage2,
        stage0_received: received(conn, "stage0", None)?,
        tenures,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_has_the_spec_shape() {
        let tsm = Tsm {
            year: "2025-26".into(),
            homes: Some(12000),
            stage1: StageMeasures::new(30, 3, 2, Some(12000)),
            stage2: StageMeasures::new(0, 0, 0, Some(12000)),
            stage0_received: 4,
            tenures: None,
        };
        assert_eq!(
            serde_json::to_string(&tsm).unwrap(),
            r#"{"year":"2025-26","homes":12000,"stage1":{"received":30,"responded":3,"within_timescale":2,"ch01_per_1000":2.5,"ch02_percent":66.7},"stage2":{"received":0,"responded":0,"within_timescale":0,"ch01_per_1000":0.0,"ch02_percent":null}}"#
        );
    }

    #[test]
    fn a_missing_year_names_the_key() {
        let err = homes_for(&ReportsSettings::default(), 2025).unwrap_err();
        assert!(err.to_string().contains("reports.homes.2025"), "{err}");
    }
}
