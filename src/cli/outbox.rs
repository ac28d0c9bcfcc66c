//! `redress outbox run-once`: queues the scheduled notifications that are due, delivers
//! everything due in the outbox, and prints what it did as JSON (for cron, or when the
//! server's background worker is off).

use chrono::Utc;
use clap::Subcommand;
use serde::Serialize;

use crate::config::Settings;
use crate::mail::notify::Scheduled;
use crate::mail::worker::{self, Summary, Worker};
use crate::mail::Mailer;

#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// Queue due notifications and deliver the outbox once, then exit.
    RunOnce,
}

#[derive(Debug, Serialize)]
struct Report {
    queued: Scheduled,
    delivery: Summary,
}

pub fn run(command: &OutboxCommand, settings: &Settings) -> anyhow::Result<String> {
    match command {
        OutboxCommand::RunOnce => {
            let pool = crate::startup::open_database(settings)?;
            let (calendar, policies) = crate::startup::load_rules(settings)?;
            let mailer = Mailer::from_settings(settings)?;
            let updates = crate::letters::progress::UpdatesDue::new(policies);
            let (queued, delivery) = worker::round(
                &pool,
                settings,
                &calendar,
                &updates,
                &Worker::new(settings),
                &mailer,
                Utc::now().naive_utc(),
            )?;
            Ok(serde_json::to_string(&Report { queued, delivery })?)
        }
    }
}
