//! The `redress` command line (SPEC section 8).

pub mod backup;
pub mod deadlines;
pub mod intake;
pub mod outbox;
pub mod report;
pub mod retention;
pub mod seed_demo;
pub mod user;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "redress",
    version,
    about = "Staff case management for UK social-housing complaints"
)]
pub struct Cli {
    /// Folder holding default.toml, local.toml, policies/ and bank-holidays.json.
    #[arg(long, global = true, default_value = "config")]
    pub config_dir: PathBuf,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web app (the default).
    Serve {
        /// Address to listen on, e.g. 127.0.0.1:8080.
        #[arg(long)]
        bind: Option<String>,
    },
    /// Run pending database migrations and exit.
    Migrate,
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        command: user::UserCommand,
    },
    /// Print the deadlines the rules engine computes, as JSON.
    Deadlines(deadlines::DeadlinesArgs),
    /// Fill an empty database with realistic demo data (progress on stderr).
    SeedDemo(seed_demo::SeedDemoArgs),
    /// Read the complaints mailbox.
    Intake {
        #[command(subcommand)]
        command: intake::IntakeCommand,
    },
    /// Deliver queued mail.
    Outbox {
        #[command(subcommand)]
        command: outbox::OutboxCommand,
    },
    /// Back up the SQLite database (consistent while serving), attachments and session key
    /// into a new folder.
    Backup(backup::BackupArgs),
    /// Restore a folder written by `backup`; refuses a non-empty database without --force.
    Restore(backup::RestoreArgs),
    /// Remove the personal data of closed cases past their retention period.
    Retention {
        #[command(subcommand)]
        command: retention::RetentionCommand,
    },
    /// Print reports, e.g. `report tsm --year 2025`.
    Report {
        #[command(subcommand)]
        command: report::ReportCommand,
    },
}
