//! `redress report tsm --year YYYY`: the Tenant Satisfaction Measures CH01 and CH02 for the
//! April–March reporting year starting in YYYY, as the JSON SPEC section 8 shows.

use clap::Subcommand;
use diesel::Connection;

use crate::config::Settings;
use crate::reports::tsm::{self, TsmError};

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Tenant Satisfaction Measures CH01 and CH02 for a reporting year, as JSON.
    Tsm {
        /// The year the April–March reporting year starts, e.g. 2025 for 2025-26.
        #[arg(long)]
        year: i32,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Bad input or missing configuration: exit code 2.
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

pub fn run(command: &ReportCommand, settings: &Settings) -> Result<String, ReportError> {
    match command {
        ReportCommand::Tsm { year } => {
            // Configuration first: a missing homes count needs no database.
            tsm::homes_for(&settings.reports, *year)
                .map_err(|e| ReportError::Refused(e.to_string()))?;
            let pool = crate::startup::open_database(settings)?;
            let mut conn = pool.get().map_err(anyhow::Error::from)?;
            let measured = conn
                .transaction(|conn| tsm::measure(conn, &settings.reports, *year))
                .map_err(|e| match e {
                    TsmError::Database(e) => ReportError::Failed(e.into()),
                    TsmError::Period(e) => ReportError::Refused(e.to_string()),
                })?;
            serde_json::to_string(&measured).map_err(|e| ReportError::Failed(e.into()))
        }
    }
}
