//! `redress intake run-once`: reads the complaints mailbox once (every message waiting is
//! stored, filed and moved) and prints what it did as JSON (for cron, or when the server's
//! mailbox reader is off).

use clap::Subcommand;

use crate::clock::Clock;
use crate::config::Settings;

#[derive(Debug, Subcommand)]
pub enum IntakeCommand {
    /// Read the complaints mailbox once, then exit.
    RunOnce,
}

pub fn run(command: &IntakeCommand, settings: &Settings) -> anyhow::Result<String> {
    match command {
        IntakeCommand::RunOnce => {
            if !settings.intake.enabled() {
                anyhow::bail!(
                    "no complaints mailbox is configured: set `intake.host` (see the README)"
                );
            }
            let pool = crate::startup::open_database(settings)?;
            let summary = crate::intake::worker::run_once(&pool, settings, Clock::System)?;
            Ok(serde_json::to_string(&summary)?)
        }
    }
}
