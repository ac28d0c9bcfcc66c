//! The active policy profile and landlord details, read-only: they are set in config.

use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;

use crate::auth::Permission;
use crate::config::{LandlordSettings, ReportsSettings};
use crate::reports::period::{year_label, Period};
use crate::reports::tsm;
use crate::rules::policy::{ClockStart, DeadlineKind, DeadlineRule, PolicyProfile};
use crate::rules::{Stage, Unit};
use crate::web::current_user::CurrentUser;
use crate::web::error::AppResult;
use crate::web::page::PageCtx;
use crate::web::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "admin/settings.html")]
pub struct SettingsPage {
    pub ctx: PageCtx,
    pub policy: String,
    pub policy_summary: Vec<(String, String)>,
    pub region: String,
    pub landlord: LandlordSettings,
    pub available: Vec<String>,
    /// The homes owned the Tenant Satisfaction Measures need this reporting year, as
    /// label/value rows: what is set, or which setting to add (said to administrators only).
    pub tsm_homes: Vec<(String, String)>,
}

/// The TSM homes rows for the reporting year starting in `year`.
fn tsm_homes(reports: &ReportsSettings, year: i32) -> Vec<(String, String)> {
    let label = year_label(year);
    let homes = match tsm::homes_for(reports, year) {
        Ok(homes) => homes.to_string(),
        Err(_) => format!(
            "Not set: the TSM page shows CH02 and the counts but not CH01. Add the number of homes for {year} to the reports section of the configuration file (default.toml shows how)."
        ),
    };
    let tenure = match tsm::tenure_homes_for(reports, year) {
        Some(t) => format!("LCRA {}, LCHO {}", t.lcra, t.lcho),
        None => format!(
            "Not set (optional): add the low cost rental (LCRA) and low cost home ownership (LCHO) homes for {year} to the reports section of the configuration file to split the measures by tenure (default.toml shows how)."
        ),
    };
    vec![
        (format!("Homes owned, {label}"), homes),
        (format!("Homes per tenure, {label}"), tenure),
    ]
}

pub async fn show(state: web::Data<AppState>, user: CurrentUser) -> AppResult<SettingsPage> {
    user.require(Permission::Administer)?;
    let rules = &state.settings.rules;
    let policy_summary = state
        .policies
        .get(&rules.policy)
        .map(summary)
        .unwrap_or_default();
    Ok(SettingsPage {
        ctx: user.page().current("/admin/settings"),
        policy: rules.policy.clone(),
        policy_summary,
        region: rules.region.clone(),
        landlord: state.settings.landlord.clone(),
        available: state
            .policies
            .names()
            .into_iter()
            .map(String::from)
            .collect(),
        tsm_homes: tsm_homes(
            &state.settings.reports,
            Period::year_of(state.clock.today()),
        ),
    })
}

fn describe_rule(rule: Option<DeadlineRule>) -> String {
    match rule {
        None => "No timescale".into(),
        Some(rule) => {
            let unit = match rule.unit {
                Unit::WorkingDays => "working days",
                Unit::CalendarDays => "calendar days",
            };
            let start = match rule.clock_start {
                ClockStart::Receipt => "receipt",
                ClockStart::Acknowledgement => "acknowledgement",
                ClockStart::EscalationRequest => "the escalation request",
            };
            format!("{} {unit} from {start}", rule.length)
        }
    }
}

/// The profile's numbers as label/value rows for the read-only page.
fn summary(profile: &PolicyProfile) -> Vec<(String, String)> {
    let mut rows = vec![
        ("Name".to_string(), profile.display_name().to_string()),
        ("Source".to_string(), profile.source().to_string()),
        (
            "Stage 0 (informal)".to_string(),
            if profile.has_stage0() { "Yes" } else { "No" }.to_string(),
        ),
    ];
    for (stage, label) in [
        (Stage::Stage0, "Stage 0"),
        (Stage::Stage1, "Stage 1"),
        (Stage::Stage2, "Stage 2"),
    ] {
        if profile.stage(stage).is_none() {
            continue;
        }
        rows.push((
            format!("{label} acknowledgement"),
            describe_rule(profile.deadline_rule(stage, DeadlineKind::Acknowledge, false)),
        ));
        rows.push((
            format!("{label} response"),
            describe_rule(profile.deadline_rule(stage, DeadlineKind::Respond, false)),
        ));
        let cap = match profile.extension_cap(stage) {
            Some((n, Unit::WorkingDays)) => format!("{n} working days"),
            Some((n, Unit::CalendarDays)) => format!("{n} calendar days"),
            None => "No cap: the resident is told the new date".into(),
        };
        rows.push((format!("{label} extension cap"), cap));
    }
    rows.push((
        "Exclusion time limit".to_string(),
        profile
            .exclusion_limit_months()
            .map(|m| format!("{m} months"))
            .unwrap_or_else(|| "None".into()),
    ));
    rows.push((
        "Solicitors as representatives".to_string(),
        if profile.accepts_solicitors() {
            "Accepted"
        } else {
            "Not accepted"
        }
        .to_string(),
    ));
    rows.push((
        "Health and safety rule".to_string(),
        if profile.health_and_safety().is_some() {
            "Yes"
        } else {
            "No"
        }
        .to_string(),
    ));
    rows
}
