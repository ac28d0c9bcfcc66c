//! A case's deadlines for its current stage: derived, never stored, from the case's dated
//! events, its policy profile and the calendar (SPEC section 4).
//!
//! [`plan`] gives the due dates; [`schedule`] adds each deadline's state for a given "today",
//! the next deadline, working days left and the RAG tag.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::calendar::{Calendar, CalendarError};
use super::extensions::applied_extensions;
pub use super::extensions::{
    extend, preview as preview_extension, standing as extension_standing, ExtensionPreview,
    ExtensionRefusal, ExtensionStanding,
};
use super::policy::{ClockStart, DeadlineKind, DeadlineRule, PolicyProfile};

pub const ACKNOWLEDGE: &str = "acknowledge";
pub const RESPOND: &str = "respond";
pub const RESPOND_EXTENDED: &str = "respond_extended";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Stage0,
    Stage1,
    Stage2,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::Stage0, Stage::Stage1, Stage::Stage2];

    /// The machine key: `stage0`, `stage1`, `stage2`.
    pub fn key(self) -> &'static str {
        match self {
            Stage::Stage0 => "stage0",
            Stage::Stage1 => "stage1",
            Stage::Stage2 => "stage2",
        }
    }

    /// For people: "Stage 1".
    pub fn label(self) -> &'static str {
        match self {
            Stage::Stage0 => "Stage 0",
            Stage::Stage1 => "Stage 1",
            Stage::Stage2 => "Stage 2",
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown stage '{0}' (expected stage0, stage1 or stage2)")]
pub struct UnknownStage(pub String);

impl FromStr for Stage {
    type Err = UnknownStage;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Stage::ALL
            .into_iter()
            .find(|stage| stage.key() == s)
            .ok_or_else(|| UnknownStage(s.to_string()))
    }
}

/// One value per stage, e.g. the date each stage was acknowledged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PerStage<T> {
    pub stage0: T,
    pub stage1: T,
    pub stage2: T,
}

impl<T> PerStage<T> {
    pub fn get(&self, stage: Stage) -> &T {
        match stage {
            Stage::Stage0 => &self.stage0,
            Stage::Stage1 => &self.stage1,
            Stage::Stage2 => &self.stage2,
        }
    }

    pub fn get_mut(&mut self, stage: Stage) -> &mut T {
        match stage {
            Stage::Stage0 => &mut self.stage0,
            Stage::Stage1 => &mut self.stage1,
            Stage::Stage2 => &mut self.stage2,
        }
    }
}

/// An extension recorded on a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtensionGrant {
    pub stage: Stage,
    pub granted_on: NaiveDate,
    /// In the profile's extension unit for the stage.
    pub length: u32,
    /// Director's approval and resident's agreement recorded, allowing it past the cap.
    pub approved_past_cap: bool,
}

/// The dated events of a case that the rules need. Dates are Europe/London calendar dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseClock {
    /// The stage the case is at; deadlines are computed for this stage.
    pub stage: Stage,
    pub received: NaiveDate,
    /// Set when the case moved from stage 0 to stage 1: stage 1's clock starts that day.
    pub moved_to_stage1: Option<NaiveDate>,
    pub escalation_requested: Option<NaiveDate>,
    pub acknowledged: PerStage<Option<NaiveDate>>,
    pub responded: PerStage<Option<NaiveDate>>,
    pub extensions: Vec<ExtensionGrant>,
    pub health_and_safety: bool,
}

impl CaseClock {
    /// A case at `stage` received on `received`, with no other events yet.
    pub fn new(stage: Stage, received: NaiveDate) -> CaseClock {
        CaseClock {
            stage,
            received,
            moved_to_stage1: None,
            escalation_requested: None,
            acknowledged: PerStage::default(),
            responded: PerStage::default(),
            extensions: Vec::new(),
            health_and_safety: false,
        }
    }

    /// The day `stage`'s clock starts: receipt, the move from stage 0, or the escalation
    /// request.
    pub fn stage_start(&self, stage: Stage) -> Result<NaiveDate, DeadlineError> {
        match stage {
            Stage::Stage0 => Ok(self.received),
            Stage::Stage1 => Ok(self.moved_to_stage1.unwrap_or(self.received)),
            Stage::Stage2 => self
                .escalation_requested
                .ok_or(DeadlineError::MissingEscalation),
        }
    }

    fn dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        let per_stage = Stage::ALL
            .into_iter()
            .flat_map(|s| [*self.acknowledged.get(s), *self.responded.get(s)]);
        [
            Some(self.received),
            self.moved_to_stage1,
            self.escalation_requested,
        ]
        .into_iter()
        .chain(per_stage)
        .flatten()
        .chain(self.extensions.iter().map(|e| e.granted_on))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DeadlineError {
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    #[error("policy '{policy}' has no stage 0")]
    NoStage0 { policy: String },
    #[error("a stage 2 case needs the date the resident asked to escalate")]
    MissingEscalation,
    #[error(
        "escalation requested on {escalated} is before the complaint was received on {received}"
    )]
    EscalationBeforeReceipt {
        escalated: NaiveDate,
        received: NaiveDate,
    },
    #[error("moved to stage 1 on {moved} is before the complaint was received on {received}")]
    MovedBeforeReceipt {
        moved: NaiveDate,
        received: NaiveDate,
    },
    #[error("{stage} acknowledged on {acknowledged} is before the stage started on {start}")]
    AcknowledgedBeforeStart {
        stage: Stage,
        acknowledged: NaiveDate,
        start: NaiveDate,
    },
    #[error("{stage} response sent on {responded} is before the stage started on {start}")]
    RespondedBeforeStart {
        stage: Stage,
        responded: NaiveDate,
        start: NaiveDate,
    },
}

/// A deadline's due date, before looking at whether it was met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PlannedDeadline {
    pub name: &'static str,
    pub stage: Stage,
    /// The day the clock started (moved to a working day when counting working days).
    pub start: NaiveDate,
    pub due: NaiveDate,
    /// The clock-start event has not happened; the date assumes it happens on its own due date.
    pub provisional: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum DeadlineState {
    Met,
    MetLate {
        days_late: u32,
    },
    Pending,
    Overdue {
        days_late: u32,
    },
    /// Replaced by `respond_extended` after an extension granted in time.
    Superseded,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Deadline {
    pub name: &'static str,
    pub stage: Stage,
    pub start: NaiveDate,
    pub due: NaiveDate,
    pub provisional: bool,
    pub state: DeadlineState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rag {
    Red,
    Amber,
    Green,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RagThresholds {
    /// Amber when this many working days or fewer are left (due today is 0 left).
    pub amber_within: u32,
}

impl Default for RagThresholds {
    fn default() -> Self {
        RagThresholds { amber_within: 2 }
    }
}

/// Working days left until `due` (`between(today, due)`) and its rating: red once `today` is
/// past `due`, amber with `amber_within` working days or fewer left, green otherwise.
pub fn rag_for(
    cal: &Calendar,
    today: NaiveDate,
    due: NaiveDate,
    rag: &RagThresholds,
) -> Result<(i64, Rag), CalendarError> {
    let left = cal.between(today, due)?;
    let tag = if today > due {
        Rag::Red
    } else if left <= i64::from(rag.amber_within) {
        Rag::Amber
    } else {
        Rag::Green
    };
    Ok((left, tag))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedule {
    pub deadlines: Vec<Deadline>,
    /// `between(today, next.due)`: negative (or 0 on a non-working today) once overdue.
    pub days_left: Option<i64>,
    pub rag: Option<Rag>,
    next: Option<usize>,
}

impl Schedule {
    /// The earliest deadline still pending or overdue.
    pub fn next(&self) -> Option<&Deadline> {
        self.next.map(|i| &self.deadlines[i])
    }

    pub fn get(&self, name: &str) -> Option<&Deadline> {
        self.deadlines.iter().find(|d| d.name == name)
    }
}

fn check_clock(
    profile: &PolicyProfile,
    cal: &Calendar,
    clock: &CaseClock,
) -> Result<NaiveDate, DeadlineError> {
    if clock.stage == Stage::Stage0 && !profile.has_stage0() {
        return Err(DeadlineError::NoStage0 {
            policy: profile.name.clone(),
        });
    }
    for date in clock.dates() {
        cal.check_in_range(date)?;
    }
    if let Some(moved) = clock.moved_to_stage1 {
        if moved < clock.received {
            return Err(DeadlineError::MovedBeforeReceipt {
                moved,
                received: clock.received,
            });
        }
    }
    if let Some(escalated) = clock.escalation_requested {
        if escalated < clock.received {
            return Err(DeadlineError::EscalationBeforeReceipt {
                escalated,
                received: clock.received,
            });
        }
    }
    let stage = clock.stage;
    let start = clock.stage_start(stage)?;
    if let Some(acknowledged) = *clock.acknowledged.get(stage) {
        if acknowledged < start {
            return Err(DeadlineError::AcknowledgedBeforeStart {
                stage,
                acknowledged,
                start,
            });
        }
    }
    if let Some(responded) = *clock.responded.get(stage) {
        if responded < start {
            return Err(DeadlineError::RespondedBeforeStart {
                stage,
                responded,
                start,
            });
        }
    }
    Ok(start)
}

/// Due dates of the current stage's deadlines, in the order acknowledge, respond,
/// respond_extended (only those the profile has; recorded extensions that break the rules
/// are ignored, so a late response stays late).
pub fn plan(
    profile: &PolicyProfile,
    cal: &Calendar,
    clock: &CaseClock,
) -> Result<Vec<PlannedDeadline>, DeadlineError> {
    let stage_start = check_clock(profile, cal, clock)?;
    let stage = clock.stage;
    let rule = |kind| profile.deadline_rule(stage, kind, clock.health_and_safety);
    let mut planned = Vec::with_capacity(3);

    let due_from = |name, rule: DeadlineRule, start: NaiveDate, provisional| {
        Ok::<_, DeadlineError>(PlannedDeadline {
            name,
            stage,
            start: cal.next_working_day_from(start)?,
            due: cal.add(start, rule.length, rule.unit)?,
            provisional,
        })
    };

    let acknowledge = match rule(DeadlineKind::Acknowledge) {
        Some(ack) => Some(due_from(ACKNOWLEDGE, ack, stage_start, false)?),
        None => None,
    };
    planned.extend(acknowledge);

    if let Some(respond) = rule(DeadlineKind::Respond) {
        let (start, provisional) = match respond.clock_start {
            // Validation keeps receipt out of stage 2 and escalation out of stages 0 and 1,
            // so either way the stage's own start is meant.
            ClockStart::Receipt | ClockStart::EscalationRequest => (stage_start, false),
            ClockStart::Acknowledgement => match (*clock.acknowledged.get(stage), acknowledge) {
                (Some(acknowledged), _) => (acknowledged, false),
                (None, Some(ack)) => (ack.due, true),
                // A profile cannot load like this; fall back to the stage start.
                (None, None) => (stage_start, false),
            },
        };
        let respond = due_from(RESPOND, respond, start, provisional)?;
        planned.push(respond);
        if let Some(extended) = applied_extensions(profile, cal, clock, &respond)? {
            planned.push(PlannedDeadline {
                name: RESPOND_EXTENDED,
                due: extended.due,
                ..respond
            });
        }
    }
    Ok(planned)
}

/// The current stage's deadlines with their state on `today`, the next deadline, working
/// days left and the RAG tag.
pub fn schedule(
    profile: &PolicyProfile,
    cal: &Calendar,
    clock: &CaseClock,
    today: NaiveDate,
    rag: &RagThresholds,
) -> Result<Schedule, DeadlineError> {
    cal.check_in_range(today)?;
    let planned = plan(profile, cal, clock)?;
    let extended = planned.iter().any(|p| p.name == RESPOND_EXTENDED);
    let mut deadlines = Vec::with_capacity(planned.len());
    for p in planned {
        let event = match p.name {
            ACKNOWLEDGE => *clock.acknowledged.get(p.stage),
            _ => *clock.responded.get(p.stage),
        };
        let state = if p.name == RESPOND && extended {
            DeadlineState::Superseded
        } else {
            state_of(cal, p.due, event, today)?
        };
        deadlines.push(Deadline {
            name: p.name,
            stage: p.stage,
            start: p.start,
            due: p.due,
            provisional: p.provisional,
            state,
        });
    }

    let next = deadlines
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            matches!(
                d.state,
                DeadlineState::Pending | DeadlineState::Overdue { .. }
            )
        })
        .min_by_key(|(i, d)| (d.due, *i))
        .map(|(i, _)| i);
    let (days_left, rag_tag) = match next.map(|i| &deadlines[i]) {
        Some(d) => {
            let (left, tag) = rag_for(cal, today, d.due, rag)?;
            (Some(left), Some(tag))
        }
        None => (None, None),
    };
    Ok(Schedule {
        deadlines,
        days_left,
        rag: rag_tag,
        next,
    })
}

/// Met or late once the event happened; otherwise pending until the due date passes.
fn state_of(
    cal: &Calendar,
    due: NaiveDate,
    event: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<DeadlineState, DeadlineError> {
    let days_late = |until: NaiveDate| -> Result<u32, DeadlineError> {
        // A late event on a non-working day still counts as at least one day late.
        Ok(cal.between(due, until)?.max(1) as u32)
    };
    Ok(match event {
        Some(on) if on <= due => DeadlineState::Met,
        Some(on) => DeadlineState::MetLate {
            days_late: days_late(on)?,
        },
        None if today <= due => DeadlineState::Pending,
        None => DeadlineState::Overdue {
            days_late: days_late(today)?,
        },
    })
}

#[cfg(test)]
#[path = "deadlines_tests.rs"]
mod tests;
