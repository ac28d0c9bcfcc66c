//! Triage (officer): the case becomes a service request, stage 0, stage 1, excluded, a
//! compliment or a comment. The officer becomes its case officer. Category and contractor
//! are set here when not yet known; an exclusion records when and how the decline was sent.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::cases::load::LoadedCase;
use crate::cases::transition::CaseError;
use crate::cases::transition::{Decided, Rules};
use crate::db::references::{self, Reference};
use crate::db::schema::cases;
use crate::domain::case::{ContactMethod, ExclusionReason, TriageDecision};
use crate::domain::{CaseEvent, CategoryId, ContractorId, Refusal, UserId};
use crate::rules::policy::exclusion_limit_date;
use crate::rules::PolicyProfile;

pub struct TriageCommand {
    pub decision: TriageDecision,
    pub category: Option<CategoryId>,
    pub contractor: Option<ContractorId>,
    /// For an exclusion: the day the decline was sent and how.
    pub decline_sent: Option<(NaiveDate, ContactMethod)>,
}

/// Refuses a category or contractor id that names nothing, beside its select.
pub fn check_choices(
    conn: &mut crate::db::DbConnection,
    category: Option<CategoryId>,
    contractor: Option<ContractorId>,
) -> Result<(), CaseError> {
    let chosen = [
        ("category", category.map(Reference::Category)),
        ("contractor", contractor.map(Reference::Contractor)),
    ];
    references::require_known(conn, &chosen)
}

/// Where a case stands against its policy's exclusion time limit (SPEC section 4), as the
/// triage form shows it beside "occurred too long ago" and as triage checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeLimit {
    /// The limit runs `months` from `from` (when it happened, or when the resident became
    /// aware of it if later: `from_awareness`) to `ends`; `received` is past it or not.
    Counted {
        months: u32,
        from: NaiveDate,
        from_awareness: bool,
        ends: NaiveDate,
        received: NaiveDate,
    },
    /// The policy sets no time limit.
    NoLimit { policy: String },
    /// When the problem happened is not recorded.
    OccurredUnknown,
    /// Health and safety or safeguarding complaints are never excluded on the time limit.
    Urgent,
}

impl TimeLimit {
    /// May the complaint be excluded because it happened too long ago?
    pub fn passed(&self) -> bool {
        matches!(self, TimeLimit::Counted { ends, received, .. } if received > ends)
    }
}

/// The case's time limit under `profile`, computed by the rules engine.
pub fn time_limit(profile: &PolicyProfile, case: &crate::db::cases::CaseRow) -> TimeLimit {
    if case.health_and_safety || case.safeguarding {
        return TimeLimit::Urgent;
    }
    let Some(months) = profile.exclusion_limit_months() else {
        return TimeLimit::NoLimit {
            policy: profile.display_name().to_string(),
        };
    };
    let Some(occurred) = case.occurred_on else {
        return TimeLimit::OccurredUnknown;
    };
    let from_awareness = case.aware_on.is_some_and(|aware| aware > occurred);
    TimeLimit::Counted {
        months,
        from: case.aware_on.map_or(occurred, |aware| aware.max(occurred)),
        from_awareness,
        // Beyond chrono's range no received date can be past it.
        ends: exclusion_limit_date(profile, occurred, case.aware_on).unwrap_or(NaiveDate::MAX),
        received: case.received_on,
    }
}

/// "Occurred too long ago" only when the profile's time limit is past (SPEC section 4): the
/// limit is counted from when the problem happened, or the resident became aware of it. An
/// urgent case is refused by the domain before this is asked.
fn check_time_limit(profile: &PolicyProfile, case: &LoadedCase) -> Result<(), Refusal> {
    if case.row.occurred_on.is_none() {
        return Err(Refusal::OccurredDateUnknown);
    }
    match time_limit(profile, &case.row) {
        TimeLimit::OccurredUnknown => Err(Refusal::OccurredDateUnknown),
        TimeLimit::NoLimit { policy } => Err(Refusal::NoTimeLimit { policy }),
        TimeLimit::Counted { ends, received, .. } if received <= ends => {
            Err(Refusal::WithinTimeLimit { limit: ends })
        }
        TimeLimit::Counted { .. } => Ok(()),
        TimeLimit::Urgent => Err(Refusal::TimeLimitNotForUrgent),
    }
}

pub fn decide(
    case: &LoadedCase,
    officer: UserId,
    rules: &Rules<'_>,
    command: TriageCommand,
) -> Result<Decided, CaseError> {
    let profile = rules.policies.get(&case.row.policy).ok_or_else(|| {
        CaseError::Invalid(format!(
            "The policy profile `{}` is not loaded",
            case.row.policy
        ))
    })?;
    let excluded = matches!(command.decision, TriageDecision::Excluded { .. });
    if excluded && command.decline_sent.is_none() {
        return Err(CaseError::Invalid(
            "Enter the date the decline was sent and how it was sent".into(),
        ));
    }
    if let Some((on, _)) = command.decline_sent {
        if on > rules.today || on < case.row.received_on {
            return Err(CaseError::Invalid(
                "The date the decline was sent must be between the date received and today".into(),
            ));
        }
    }
    let too_long_ago = matches!(&command.decision, TriageDecision::Excluded { reasons, .. }
        if reasons.contains(&ExclusionReason::OccurredTooLongAgo));
    let (state, event) = case
        .state
        .triage(command.decision, profile, officer, rules.today)?;
    // After the domain's own checks, so an urgent case hears that it can never be excluded
    // on the time limit rather than whether it is past it.
    if too_long_ago {
        check_time_limit(profile, case)?;
    }
    let mut decided = Decided::new(state, event, rules.today);
    if let (true, Some((on, method))) = (excluded, command.decline_sent) {
        decided.follow_ups.push((
            CaseEvent::LetterSent {
                letter: "decline".into(),
                on,
                method,
                elsewhere: false,
            },
            on,
        ));
    }
    let (category, contractor) = (command.category, command.contractor);
    let (had_category, had_contractor) = (
        case.row.category_id.is_some(),
        case.row.contractor_id.is_some(),
    );
    decided.also = Some(Box::new(move |conn, id| {
        if let (Some(category), false) = (category, had_category) {
            diesel::update(cases::table.find(id))
                .set(cases::category_id.eq(category))
                .execute(conn)?;
        }
        if let (Some(contractor), false) = (contractor, had_contractor) {
            diesel::update(cases::table.find(id))
                .set(cases::contractor_id.eq(contractor))
                .execute(conn)?;
        }
        Ok(())
    }));
    Ok(decided)
}
