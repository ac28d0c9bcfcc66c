//! Extending a stage's response deadline (SPEC section 4): caps are cumulative per stage and
//! counted from the original due date; an extension must be granted on or before the due date
//! it extends; past the cap only with approval.

use chrono::NaiveDate;

use super::calendar::{Calendar, Unit};
use super::deadlines::{
    plan, CaseClock, DeadlineError, ExtensionGrant, PlannedDeadline, Stage, RESPOND,
};
use super::policy::PolicyProfile;

#[derive(Debug, thiserror::Error)]
pub enum ExtensionRefusal {
    #[error("an extension must be at least one day")]
    ZeroLength,
    #[error("the case is at {current}, so {requested} cannot be extended")]
    NotCurrentStage { requested: Stage, current: Stage },
    #[error("{} has no response timescale under this policy, so there is nothing to extend", .stage.label())]
    NoRespondDeadline { stage: Stage },
    #[error("the {} response was already sent on {sent}", .stage.label())]
    AlreadyResponded { stage: Stage, sent: NaiveDate },
    #[error("an extension cannot be granted on {granted_on}, before the stage started on {start}")]
    GrantedBeforeStart {
        granted_on: NaiveDate,
        start: NaiveDate,
    },
    #[error(
        "an extension must be granted on or before the due date it extends ({due}); on {granted_on} the response is already late"
    )]
    GrantedAfterDue {
        granted_on: NaiveDate,
        due: NaiveDate,
    },
    #[error(
        "{} would be extended by {total} {unit} in total, past the policy's cap of {cap} {unit}; that needs a director's approval and the resident's agreement",
        .stage.label()
    )]
    PastCap {
        stage: Stage,
        total: u32,
        cap: u32,
        unit: Unit,
    },
    #[error(transparent)]
    Deadline(#[from] DeadlineError),
}

/// Where a stage's extensions have got to: total length granted and the current due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ExtensionProgress {
    pub total: u32,
    pub due: NaiveDate,
}

/// Checks one more grant against the stage's rules and returns the progress after it.
fn apply_grant(
    profile: &PolicyProfile,
    cal: &Calendar,
    original_due: NaiveDate,
    progress: ExtensionProgress,
    grant: &ExtensionGrant,
) -> Result<ExtensionProgress, ExtensionRefusal> {
    if grant.length == 0 {
        return Err(ExtensionRefusal::ZeroLength);
    }
    if grant.granted_on > progress.due {
        return Err(ExtensionRefusal::GrantedAfterDue {
            granted_on: grant.granted_on,
            due: progress.due,
        });
    }
    let unit = profile.extension_unit(grant.stage);
    let total = progress.total.saturating_add(grant.length);
    if let Some((cap, cap_unit)) = profile.extension_cap(grant.stage) {
        if total > cap && !grant.approved_past_cap {
            return Err(ExtensionRefusal::PastCap {
                stage: grant.stage,
                total,
                cap,
                unit: cap_unit,
            });
        }
    }
    // Counted from the original due date so that several short extensions land where one
    // extension of their total length would.
    let due = cal
        .add(original_due, total, unit)
        .map_err(DeadlineError::from)?;
    Ok(ExtensionProgress { total, due })
}

/// Applies the case's recorded extensions for the respond deadline's stage, in the order they
/// were granted. Grants that break the rules are skipped: recording them later cannot turn a
/// missed deadline into a met one.
pub(crate) fn applied_extensions(
    profile: &PolicyProfile,
    cal: &Calendar,
    clock: &CaseClock,
    respond: &PlannedDeadline,
) -> Result<Option<ExtensionProgress>, DeadlineError> {
    let mut grants: Vec<&ExtensionGrant> = clock
        .extensions
        .iter()
        .filter(|g| g.stage == respond.stage)
        .collect();
    if grants.is_empty() {
        return Ok(None);
    }
    grants.sort_by_key(|g| g.granted_on);
    let mut progress = ExtensionProgress {
        total: 0,
        due: respond.due,
    };
    for grant in grants {
        match apply_grant(profile, cal, respond.due, progress, grant) {
            Ok(next) => progress = next,
            Err(ExtensionRefusal::Deadline(e)) => return Err(e),
            Err(_) => {}
        }
    }
    Ok((progress.total > 0).then_some(progress))
}

/// Where a stage's response deadline stands before a new extension: what the extend form
/// shows on opening.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtensionStanding {
    /// The response due date as it stands (after earlier extensions at this stage).
    pub current_due: NaiveDate,
    /// The unit extensions are counted in at this stage.
    pub unit: Unit,
    /// Length already granted at this stage.
    pub granted: u32,
    /// The policy's cap at this stage without a director's approval, if it has one.
    pub cap: Option<(u32, Unit)>,
    /// The stage's response deadline before any extension (extensions count from it).
    original_due: NaiveDate,
    start: NaiveDate,
}

impl ExtensionStanding {
    /// How much of the cap is left (`None`: no cap).
    pub fn cap_left(&self) -> Option<u32> {
        self.cap.map(|(cap, _)| cap.saturating_sub(self.granted))
    }
}

/// What a new extension would do, worked out before it is granted: the form shows it and
/// [`extend`] records exactly its `new_due`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtensionPreview {
    pub before: ExtensionStanding,
    /// The due date this extension would set.
    pub new_due: NaiveDate,
    /// Length granted at this stage with this extension.
    pub total: u32,
}

impl ExtensionPreview {
    /// How much of the cap is left after this extension (`None`: no cap).
    pub fn cap_left_after(&self) -> Option<u32> {
        self.before
            .cap
            .map(|(cap, _)| cap.saturating_sub(self.total))
    }

    /// Does this extension take the stage past its cap (needing a director's approval and
    /// the resident's agreement)?
    pub fn past_cap(&self) -> bool {
        self.before.cap.is_some_and(|(cap, _)| self.total > cap)
    }
}

/// Where `stage`'s response deadline stands, refusing a stage that cannot be extended.
pub fn standing(
    profile: &PolicyProfile,
    cal: &Calendar,
    clock: &CaseClock,
    stage: Stage,
) -> Result<ExtensionStanding, ExtensionRefusal> {
    if stage != clock.stage {
        return Err(ExtensionRefusal::NotCurrentStage {
            requested: stage,
            current: clock.stage,
        });
    }
    let planned = plan(profile, cal, clock)?;
    let respond = planned
        .iter()
        .find(|p| p.name == RESPOND)
        .ok_or(ExtensionRefusal::NoRespondDeadline { stage })?;
    if let Some(sent) = *clock.responded.get(stage) {
        return Err(ExtensionRefusal::AlreadyResponded { stage, sent });
    }
    let progress = applied_extensions(profile, cal, clock, respond)?.unwrap_or(ExtensionProgress {
        total: 0,
        due: respond.due,
    });
    Ok(ExtensionStanding {
        current_due: progress.due,
        unit: profile.extension_unit(stage),
        granted: progress.total,
        cap: profile.extension_cap(stage),
        original_due: respond.due,
        start: clock.stage_start(stage)?,
    })
}

/// Works out what an extension of `length` granted on `granted_on` would do, refusing what
/// can never be granted (a grant past the cap is previewed: it needs approval, see
/// [`ExtensionPreview::past_cap`]).
pub fn preview(
    profile: &PolicyProfile,
    cal: &Calendar,
    clock: &CaseClock,
    stage: Stage,
    length: u32,
    granted_on: NaiveDate,
) -> Result<ExtensionPreview, ExtensionRefusal> {
    cal.check_in_range(granted_on)
        .map_err(DeadlineError::from)?;
    let before = standing(profile, cal, clock, stage)?;
    if granted_on < before.start {
        return Err(ExtensionRefusal::GrantedBeforeStart {
            granted_on,
            start: before.start,
        });
    }
    // Approved here so the date past the cap can be shown; `extend` refuses it unapproved.
    let grant = ExtensionGrant {
        stage,
        granted_on,
        length,
        approved_past_cap: true,
    };
    let progress = ExtensionProgress {
        total: before.granted,
        due: before.current_due,
    };
    let after = apply_grant(profile, cal, before.original_due, progress, &grant)?;
    Ok(ExtensionPreview {
        before,
        new_due: after.due,
        total: after.total,
    })
}

/// Checks a new extension of `length` (in the profile's extension unit for `stage`) granted on
/// `granted_on` and returns the new response due date: the [`preview`]'s. `approved` records
/// the director's approval and the resident's agreement needed past the cap.
pub fn extend(
    profile: &PolicyProfile,
    cal: &Calendar,
    clock: &CaseClock,
    stage: Stage,
    length: u32,
    granted_on: NaiveDate,
    approved: bool,
) -> Result<NaiveDate, ExtensionRefusal> {
    let preview = preview(profile, cal, clock, stage, length, granted_on)?;
    match preview.before.cap {
        Some((cap, unit)) if preview.past_cap() && !approved => Err(ExtensionRefusal::PastCap {
            stage,
            total: preview.total,
            cap,
            unit,
        }),
        _ => Ok(preview.new_due),
    }
}
