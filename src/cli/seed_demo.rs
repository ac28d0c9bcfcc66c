//! `redress seed-demo --cases N [--seed S]`: fills an empty database with demo data,
//! reporting progress on stderr.

use std::io::Write;
use std::time::Instant;

use chrono::NaiveDate;
use clap::Args;

use crate::config::Settings;
use crate::seed::{self, Load, SeedOptions, SeedRefusal, DEMO_PASSWORD};

#[derive(Debug, Args)]
pub struct SeedDemoArgs {
    /// How many cases to create.
    #[arg(long)]
    pub cases: u32,
    /// The random seed: the same seed (and day) gives the same data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The day the demo ends on (YYYY-MM-DD), instead of today's London date; tests pin it
    /// so that two runs agree.
    #[arg(long, hide = true)]
    pub today: Option<NaiveDate>,
    /// Write as before bulk loading (a transaction per run of cases, every index kept up to
    /// date row by row), to compare the two.
    #[arg(long, hide = true)]
    pub ordinary_load: bool,
}

/// How the command failed: refusals (exit code 2) or errors (exit code 1).
pub enum SeedDemoError {
    Refused(String),
    Failed(anyhow::Error),
}

/// Runs the command; progress and the summary go to stderr.
pub fn run(args: &SeedDemoArgs, settings: &Settings) -> Result<(), SeedDemoError> {
    let started = Instant::now();
    let (calendar, policies) =
        crate::startup::load_rules(settings).map_err(SeedDemoError::Failed)?;
    let profile = policies
        .get(&settings.rules.policy)
        .expect("load_rules checks the active profile exists");
    let pool = crate::startup::open_database(settings).map_err(SeedDemoError::Failed)?;
    if let Some(password) = crate::startup::bootstrap_admin(&pool).map_err(SeedDemoError::Failed)? {
        println!(
            "Created the first administrator.\n  email:    {}\n  password: {}\nThis password is shown once; you must change it when you first sign in.",
            crate::startup::BOOTSTRAP_ADMIN_EMAIL,
            password
        );
    }
    let mut conn = pool.get().map_err(|e| SeedDemoError::Failed(e.into()))?;
    let options = SeedOptions {
        cases: args.cases,
        seed: args.seed,
        today: args.today.unwrap_or_else(crate::cases::london_today),
    };
    eprintln!(
        "Seeding {} demo cases (seed {}, received in the {} years to {}, policy {})",
        options.cases,
        options.seed,
        seed::YEARS,
        options.today,
        profile.name()
    );
    let mut last_percent = None;
    let mut progress = |done: u32, total: u32| {
        let percent = u64::from(done) * 100 / u64::from(total.max(1));
        if last_percent != Some(percent) {
            last_percent = Some(percent);
            eprintln!(
                "  {percent:>3}%  {done}/{total} cases  {:.1}s",
                started.elapsed().as_secs_f64()
            );
            let _ = std::io::stderr().flush();
        }
    };
    let load = if args.ordinary_load {
        Load::Ordinary
    } else {
        Load::Bulk
    };
    let summary =
        seed::seed_demo_with(&mut conn, &calendar, profile, &options, load, &mut progress)
            .map_err(|e| match e.downcast::<SeedRefusal>() {
                Ok(refusal) => SeedDemoError::Refused(refusal.to_string()),
                Err(e) => SeedDemoError::Failed(e),
            })?;
    let timings = summary
        .timings
        .iter()
        .map(|(what, took)| format!("{what} {:.1}s", took.as_secs_f64()))
        .collect::<Vec<_>>()
        .join(", ");
    eprintln!(
        "Cases seeded in {:.1}s: {timings}",
        started.elapsed().as_secs_f64()
    );
    // Issue 27: a spread of Housing Ombudsman contacts, recorded by a demo officer.
    let ombudsman = match crate::db::users::find_by_email(
        &mut conn,
        &format!("emma.carter@{}", seed::people::EMAIL_DOMAIN),
    )
    .map_err(|e| SeedDemoError::Failed(e.into()))?
    {
        Some(officer) => {
            let label = format!("{} (officer)", officer.email);
            let actor = crate::cases::transition::ActingUser {
                id: officer.id,
                label: &label,
                ip: None,
            };
            seed::ombudsman::seed(
                &mut conn,
                &calendar,
                options.today,
                &crate::mail::links::Links::from_settings(settings),
                &actor,
            )
            .map_err(SeedDemoError::Failed)?
        }
        None => 0,
    };
    let statuses = summary
        .by_status
        .iter()
        .map(|(status, n)| format!("{status} {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    eprintln!(
        "Done in {:.1}s: {} cases ({statuses}), {} timeline events, {} complainants, {} representatives, {} properties; {} service areas and {} new staff accounts; {ombudsman} Housing Ombudsman contacts.",
        started.elapsed().as_secs_f64(),
        summary.cases,
        summary.events,
        summary.complainants,
        summary.representatives,
        summary.properties,
        summary.service_areas,
        summary.staff_created,
    );
    eprintln!(
        "Demo staff sign in as firstname.lastname@{} (e.g. emma.carter@{} for an officer) with the password: {DEMO_PASSWORD}",
        seed::people::EMAIL_DOMAIN,
        seed::people::EMAIL_DOMAIN,
    );
    Ok(())
}
