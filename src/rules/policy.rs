//! Landlord policy profiles: the timescales, caps and limits a complaints procedure promises.
//!
//! One TOML file per profile in `config/policies/`; the file stem is the profile's name (the
//! name a case records and keeps). The format is described in `docs/rules.md`. Unknown keys
//! are rejected so that a typo cannot silently drop a timescale.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::calendar::Unit;
use super::deadlines::Stage;
use super::methods::{SendMethod, SentStep, StageMethods};

#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("cannot read policy directory {path}: {source}")]
    Dir {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read policy profile {path}: {source}")]
    File {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("policy profile {file}: {message}")]
    Invalid { file: String, message: String },
    #[error("policy profile '{0}' is defined twice")]
    Duplicate(String),
    #[error("no policy profiles (*.toml) found in {0}")]
    Empty(String),
}

/// When a deadline's clock starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockStart {
    /// The day the stage's complaint was received (for stage 1 after stage 0: the day it moved).
    Receipt,
    /// The day the stage's acknowledgement was sent.
    Acknowledgement,
    /// The day the resident asked to escalate to stage 2.
    EscalationRequest,
}

/// Which of a stage's deadlines a rule sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineKind {
    Acknowledge,
    Respond,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineRule {
    pub length: u32,
    pub unit: Unit,
    pub clock_start: ClockStart,
}

fn working_days() -> Unit {
    Unit::WorkingDays
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtensionRule {
    /// Cumulative maximum per stage; absent means no cap (the resident is told the new date).
    pub cap: Option<u32>,
    /// Working days unless the document says otherwise.
    #[serde(default = "working_days")]
    pub unit: Unit,
}

impl Default for ExtensionRule {
    fn default() -> Self {
        ExtensionRule {
            cap: None,
            unit: Unit::WorkingDays,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageRules {
    pub acknowledge: Option<DeadlineRule>,
    pub respond: Option<DeadlineRule>,
    #[serde(default)]
    pub extension: ExtensionRule,
    /// How the stage's acknowledgement, response and extension notices may reach the
    /// resident (absent: the Code's rule, `rules::methods`).
    pub acknowledge_by: Option<Vec<SendMethod>>,
    pub respond_by: Option<Vec<SendMethod>>,
    pub notify_extension_by: Option<Vec<SendMethod>>,
}

/// A window for asking to escalate, counted from the response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationWindow {
    pub length: u32,
    #[serde(default = "working_days")]
    pub unit: Unit,
}

/// Deadlines that replace a stage's own when a case is flagged health and safety.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthAndSafetyRule {
    /// The stages a case can be received into where the rule applies.
    pub applies_to: Vec<Stage>,
    pub acknowledge: Option<DeadlineRule>,
    pub respond: Option<DeadlineRule>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    display_name: String,
    source: String,
    has_stage0: bool,
    accepts_solicitors: bool,
    solicitor_refusal_reason: Option<String>,
    exclusion_limit_months: Option<u32>,
    /// How long a resident has to ask for the next stage after a response, when the policy
    /// names a window. None of the shipped policies does (the Code asks landlords not to
    /// restrict escalation unreasonably), so letters then give no date.
    escalate_within: Option<EscalationWindow>,
    /// How often, in working days, a resident is updated while a response is extended or
    /// late or an action is outstanding, when the policy names an interval (Code 5.9 asks
    /// the landlord to agree one with the resident). None of the shipped policies names
    /// one, so a case has none until the officer records the interval agreed.
    #[serde(default)]
    progress_updates_every: Option<u32>,
    stage0: Option<StageRules>,
    stage1: StageRules,
    stage2: StageRules,
    health_and_safety: Option<HealthAndSafetyRule>,
}

/// A validated policy profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyProfile {
    /// The file stem, e.g. `hoc-2024`.
    pub name: String,
    rules: ProfileFile,
}

impl PolicyProfile {
    /// Parses and validates one profile. `name` is also used in error messages as the file.
    pub fn from_toml(name: &str, text: &str) -> Result<PolicyProfile, PolicyError> {
        let invalid = |message: String| PolicyError::Invalid {
            file: format!("{name}.toml"),
            message,
        };
        let rules: ProfileFile =
            toml::from_str(text).map_err(|e| invalid(e.to_string().trim_end().to_string()))?;
        let profile = PolicyProfile {
            name: name.to_string(),
            rules,
        };
        profile.validate().map_err(invalid)?;
        Ok(profile)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn display_name(&self) -> &str {
        &self.rules.display_name
    }

    /// The document the numbers come from.
    pub fn source(&self) -> &str {
        &self.rules.source
    }

    pub fn has_stage0(&self) -> bool {
        self.rules.has_stage0
    }

    pub fn accepts_solicitors(&self) -> bool {
        self.rules.accepts_solicitors
    }

    /// The policy's own reason, shown when a solicitor is refused as representative.
    pub fn solicitor_refusal_reason(&self) -> Option<&str> {
        self.rules.solicitor_refusal_reason.as_deref()
    }

    pub fn exclusion_limit_months(&self) -> Option<u32> {
        self.rules.exclusion_limit_months
    }

    /// The window for asking to escalate after a response, if the policy names one.
    pub fn escalate_within(&self) -> Option<EscalationWindow> {
        self.rules.escalate_within
    }

    /// The interval between progress updates, in working days, if the policy names one.
    pub fn progress_updates_every(&self) -> Option<u32> {
        self.rules.progress_updates_every.filter(|n| *n > 0)
    }

    /// The stage's rules; `None` only for stage 0 on a profile without one.
    pub fn stage(&self, stage: Stage) -> Option<&StageRules> {
        match stage {
            Stage::Stage0 => self.rules.stage0.as_ref(),
            Stage::Stage1 => Some(&self.rules.stage1),
            Stage::Stage2 => Some(&self.rules.stage2),
        }
    }

    pub fn health_and_safety(&self) -> Option<&HealthAndSafetyRule> {
        self.rules.health_and_safety.as_ref()
    }

    /// The rule in force for one deadline of a stage, taking a health-and-safety flag into
    /// account (the flag only changes deadlines where the profile has such a rule).
    pub fn deadline_rule(
        &self,
        stage: Stage,
        kind: DeadlineKind,
        health_and_safety: bool,
    ) -> Option<DeadlineRule> {
        let pick = |acknowledge: Option<DeadlineRule>, respond: Option<DeadlineRule>| match kind {
            DeadlineKind::Acknowledge => acknowledge,
            DeadlineKind::Respond => respond,
        };
        if health_and_safety {
            if let Some(rule) = self.health_and_safety() {
                if rule.applies_to.contains(&stage) {
                    if let Some(found) = pick(rule.acknowledge, rule.respond) {
                        return Some(found);
                    }
                }
            }
        }
        let rules = self.stage(stage)?;
        pick(rules.acknowledge, rules.respond)
    }

    /// The cumulative extension cap of a stage and its unit; `None` when uncapped.
    pub fn extension_cap(&self, stage: Stage) -> Option<(u32, Unit)> {
        let extension = self.stage(stage)?.extension;
        extension.cap.map(|cap| (cap, extension.unit))
    }

    /// The ways of reaching the resident that complete `step` at `stage` (none for a stage
    /// the profile does not have).
    pub fn methods(&self, stage: Stage, step: SentStep) -> Vec<SendMethod> {
        self.stage(stage)
            .map(|rules| {
                StageMethods {
                    acknowledge_by: rules.acknowledge_by.clone(),
                    respond_by: rules.respond_by.clone(),
                    notify_extension_by: rules.notify_extension_by.clone(),
                }
                .for_step(step)
            })
            .unwrap_or_default()
    }

    /// The unit extensions are granted in at a stage (working days when not stated).
    pub fn extension_unit(&self, stage: Stage) -> Unit {
        self.stage(stage)
            .map(|rules| rules.extension.unit)
            .unwrap_or(Unit::WorkingDays)
    }

    /// Checks what serde cannot: consistency between keys. Messages name the key.
    fn validate(&self) -> Result<(), String> {
        let rules = &self.rules;
        match (rules.has_stage0, &rules.stage0) {
            (false, Some(_)) => {
                return Err("[stage0] is given but has_stage0 = false".to_string());
            }
            (true, None) => {
                return Err(
                    "has_stage0 = true needs a [stage0] table (it may be empty)".to_string()
                );
            }
            _ => {}
        }
        if !rules.accepts_solicitors && rules.solicitor_refusal_reason.is_none() {
            return Err(
                "solicitor_refusal_reason is required when accepts_solicitors = false".to_string(),
            );
        }
        for stage in Stage::ALL {
            if let Some(stage_rules) = self.stage(stage) {
                check_stage(
                    &stage.to_string(),
                    stage,
                    stage_rules.acknowledge,
                    stage_rules.respond,
                )?;
            }
        }
        if let Some(hs) = &rules.health_and_safety {
            if hs.applies_to.is_empty() {
                return Err("health_and_safety.applies_to must name at least one stage".into());
            }
            for &stage in &hs.applies_to {
                if self.stage(stage).is_none() {
                    return Err(format!(
                        "health_and_safety.applies_to names {stage}, which this profile does not have"
                    ));
                }
                let acknowledge = hs
                    .acknowledge
                    .or_else(|| self.stage(stage).and_then(|r| r.acknowledge));
                let respond = hs
                    .respond
                    .or_else(|| self.stage(stage).and_then(|r| r.respond));
                check_stage("health_and_safety", stage, acknowledge, respond)?;
            }
        }
        Ok(())
    }
}

fn check_stage(
    key: &str,
    stage: Stage,
    acknowledge: Option<DeadlineRule>,
    respond: Option<DeadlineRule>,
) -> Result<(), String> {
    // Stage 2 has no "receipt" of its own: its clock is the escalation request.
    let allowed_start = |start: ClockStart| match stage {
        Stage::Stage2 => start != ClockStart::Receipt,
        Stage::Stage0 | Stage::Stage1 => start != ClockStart::EscalationRequest,
    };
    if let Some(rule) = acknowledge {
        if rule.clock_start == ClockStart::Acknowledgement || !allowed_start(rule.clock_start) {
            return Err(format!(
                "{key}.acknowledge.clock_start cannot be {:?} at {stage}",
                rule.clock_start
            ));
        }
    }
    if let Some(rule) = respond {
        if !allowed_start(rule.clock_start) {
            return Err(format!(
                "{key}.respond.clock_start cannot be {:?} at {stage}",
                rule.clock_start
            ));
        }
        if rule.clock_start == ClockStart::Acknowledgement && acknowledge.is_none() {
            return Err(format!(
                "{key}.respond.clock_start is acknowledgement but {stage} has no acknowledge deadline"
            ));
        }
    }
    Ok(())
}

/// All loaded profiles, by name.
#[derive(Debug, Clone, Default)]
pub struct PolicySet {
    profiles: BTreeMap<String, PolicyProfile>,
}

impl PolicySet {
    /// Loads every `*.toml` in `dir`; any invalid profile fails the whole load.
    pub fn load_dir(dir: &Path) -> Result<PolicySet, PolicyError> {
        let dir_error = |source| PolicyError::Dir {
            path: dir.display().to_string(),
            source,
        };
        let mut paths = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(dir_error)? {
            let path = entry.map_err(dir_error)?.path();
            if path.extension().is_some_and(|ext| ext == "toml") {
                paths.push(path);
            }
        }
        paths.sort();
        let mut named = Vec::new();
        for path in &paths {
            let text = std::fs::read_to_string(path).map_err(|source| PolicyError::File {
                path: path.display().to_string(),
                source,
            })?;
            let name = path
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
                .unwrap_or_default();
            named.push((name, text));
        }
        if named.is_empty() {
            return Err(PolicyError::Empty(dir.display().to_string()));
        }
        let borrowed: Vec<(&str, &str)> = named
            .iter()
            .map(|(name, text)| (name.as_str(), text.as_str()))
            .collect();
        PolicySet::from_named_strs(&borrowed)
    }

    /// Builds a set from `(name, toml)` pairs, e.g. files embedded with `include_str!`.
    pub fn from_named_strs(profiles: &[(&str, &str)]) -> Result<PolicySet, PolicyError> {
        let mut set = PolicySet::default();
        for (name, text) in profiles {
            let profile = PolicyProfile::from_toml(name, text)?;
            if set.profiles.insert(name.to_string(), profile).is_some() {
                return Err(PolicyError::Duplicate(name.to_string()));
            }
        }
        Ok(set)
    }

    pub fn get(&self, name: &str) -> Option<&PolicyProfile> {
        self.profiles.get(name)
    }

    /// Profile names in alphabetical order.
    pub fn names(&self) -> Vec<&str> {
        self.profiles.keys().map(String::as_str).collect()
    }
}

/// SPEC section 2's exclusion time limit: counted in calendar months from the later of the
/// date the matter occurred and the date the resident became aware of it, clamped to the end
/// of a shorter month (31 Aug + 6 months = end of February). Received exactly at the limit is
/// within it. Profiles without a limit never exclude.
pub fn outside_exclusion_limit(
    profile: &PolicyProfile,
    occurred: NaiveDate,
    aware: Option<NaiveDate>,
    received: NaiveDate,
) -> bool {
    exclusion_limit_date(profile, occurred, aware).is_some_and(|limit| received > limit)
}

/// The last day a complaint about a problem that `occurred` (or that the resident became
/// `aware` of, if later) is within the profile's time limit; `None` when the profile sets
/// none. A month added to the 31st ends on the month's last day (31 August + 6 months is the
/// end of February); a complaint received on the day itself is within the limit.
pub fn exclusion_limit_date(
    profile: &PolicyProfile,
    occurred: NaiveDate,
    aware: Option<NaiveDate>,
) -> Option<NaiveDate> {
    let months = profile.exclusion_limit_months()?;
    let counted_from = aware.map_or(occurred, |aware| aware.max(occurred));
    // Beyond chrono's range: no received date can be past it.
    counted_from.checked_add_months(Months::new(months))
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;
