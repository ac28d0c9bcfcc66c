//! `redress retention run [--dry-run]`: anonymises the closed cases past their retention
//! period (the server does it daily at `retention.run_time`), printing as JSON the cases
//! removed and those kept past their period with the reason. With `--dry-run` nothing
//! changes: the same lists say what a run today would do.

use clap::Subcommand;

use crate::config::Settings;
use crate::privacy::retention::{self, Plan};

#[derive(Debug, Subcommand)]
pub enum RetentionCommand {
    /// Anonymise the cases past their retention period (or, with --dry-run, list them).
    Run {
        /// List what would be anonymised and what is kept, changing nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, serde::Serialize)]
struct Report {
    dry_run: bool,
    years: u32,
    #[serde(flatten)]
    plan: Plan,
}

pub fn run(command: &RetentionCommand, settings: &Settings) -> anyhow::Result<String> {
    let RetentionCommand::Run { dry_run } = command;
    let pool = crate::startup::open_database(settings)?;
    let mut conn = pool.get()?;
    let clock = crate::clock::Clock::System;
    let policy = settings.retention.policy();
    let plan = if *dry_run {
        retention::plan(&mut conn, &policy, clock.today())?
    } else {
        retention::run(
            &mut conn,
            &settings.storage.data_dir,
            &policy,
            clock.today(),
            clock.now_naive(),
        )?
    };
    Ok(serde_json::to_string_pretty(&Report {
        dry_run: *dry_run,
        years: policy.years,
        plan,
    })?)
}
