//! `redress deadlines`: prints the schedule the rules engine computes (SPEC section 8).
//!
//! Needs no database. Refusals come back as `Err(message)`; the caller prints it on stderr,
//! prints nothing on stdout and exits with code 2.

use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use crate::rules::calendar::{Calendar, Region};
use crate::rules::deadlines::{extend, plan, CaseClock, Stage, RESPOND, RESPOND_EXTENDED};
use crate::rules::policy::PolicySet;

#[derive(clap::Args, Debug, Clone)]
pub struct DeadlinesArgs {
    /// Policy profile name (a file stem in config/policies), e.g. hoc-2024
    #[arg(long)]
    pub policy: String,
    /// The stage to compute
    #[arg(long, value_parser = ["stage0", "stage1", "stage2"])]
    pub stage: String,
    /// Day the stage's complaint was received, YYYY-MM-DD (for a case moved from stage 0, the
    /// day it moved); optional for stage2
    #[arg(long, value_name = "DATE")]
    pub received: Option<String>,
    /// Day the stage's acknowledgement was sent, YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    pub acknowledged: Option<String>,
    /// Day the resident asked to escalate to stage 2, YYYY-MM-DD (required for stage2)
    #[arg(long, value_name = "DATE")]
    pub escalated: Option<String>,
    /// Extend the response by N, in the profile's extension unit for the stage
    #[arg(long, value_name = "N")]
    pub extend: Option<u32>,
    /// The extension past the cap is approved (director's approval, resident's agreement)
    #[arg(long, requires = "extend")]
    pub approved: bool,
    /// The complaint is a health-and-safety matter
    #[arg(long = "health-safety")]
    pub health_safety: bool,
    /// Bank-holiday region: england-and-wales, scotland or northern-ireland
    #[arg(long, value_name = "R")]
    pub region: Option<String>,
}

#[derive(Serialize)]
struct Output<'a> {
    policy: &'a str,
    stage: &'a str,
    deadlines: Vec<OutputDeadline>,
}

#[derive(Serialize)]
struct OutputDeadline {
    name: &'static str,
    due: NaiveDate,
    provisional: bool,
}

fn parse_date(flag: &str, value: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| format!("--{flag} '{value}' is not a valid date (expected YYYY-MM-DD)"))
}

fn parse_optional_date(flag: &str, value: Option<&String>) -> Result<Option<NaiveDate>, String> {
    value.map(|v| parse_date(flag, v)).transpose()
}

/// Computes the schedule and returns the JSON line for stdout, or the refusal for stderr.
pub fn run(
    args: &DeadlinesArgs,
    default_region: Region,
    policies_dir: &Path,
    holidays_file: &Path,
) -> Result<String, String> {
    let stage: Stage = args.stage.parse().map_err(|e| format!("{e}"))?;
    let region = match &args.region {
        Some(r) => r.parse::<Region>().map_err(|e| e.to_string())?,
        None => default_region,
    };
    let received = parse_optional_date("received", args.received.as_ref())?;
    let acknowledged = parse_optional_date("acknowledged", args.acknowledged.as_ref())?;
    let escalated = parse_optional_date("escalated", args.escalated.as_ref())?;

    let received = match (stage, received, escalated) {
        (Stage::Stage2, _, None) => {
            return Err("stage2 needs --escalated (the day the resident asked to escalate)".into())
        }
        // Stage 2's clocks start at the escalation request; the stage 1 receipt is only
        // checked against it, so without one the escalation stands in.
        (Stage::Stage2, received, Some(escalated)) => received.unwrap_or(escalated),
        (_, Some(received), None) => received,
        (_, None, _) => return Err(format!("{stage} needs --received")),
        (_, Some(_), Some(_)) => {
            return Err("--escalated only applies to --stage stage2".into());
        }
    };

    let policies = PolicySet::load_dir(policies_dir).map_err(|e| e.to_string())?;
    let profile = policies.get(&args.policy).ok_or_else(|| {
        format!(
            "unknown policy '{}' (known: {})",
            args.policy,
            policies.names().join(", ")
        )
    })?;
    let calendar = Calendar::load(holidays_file, region).map_err(|e| e.to_string())?;

    let mut clock = CaseClock::new(stage, received);
    clock.escalation_requested = escalated;
    *clock.acknowledged.get_mut(stage) = acknowledged;
    clock.health_and_safety = args.health_safety;

    let planned = plan(profile, &calendar, &clock).map_err(|e| e.to_string())?;
    let mut deadlines: Vec<OutputDeadline> = planned
        .iter()
        .map(|p| OutputDeadline {
            name: p.name,
            due: p.due,
            provisional: p.provisional,
        })
        .collect();

    if let Some(length) = args.extend {
        let respond = planned.iter().find(|p| p.name == RESPOND);
        // The CLI has no grant date: assume the extension is granted in time, on the latest
        // day allowed (the response due date).
        let granted_on = respond.map_or(clock.received, |r| r.due);
        let due = extend(
            profile,
            &calendar,
            &clock,
            stage,
            length,
            granted_on,
            args.approved,
        )
        .map_err(|e| e.to_string())?;
        deadlines.push(OutputDeadline {
            name: RESPOND_EXTENDED,
            due,
            provisional: respond.is_some_and(|r| r.provisional),
        });
    }

    let output = Output {
        policy: profile.name(),
        stage: stage.key(),
        deadlines,
    };
    serde_json::to_string(&output).map_err(|e| format!("cannot write the schedule as JSON: {e}"))
}
