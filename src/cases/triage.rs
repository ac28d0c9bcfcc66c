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

/// "Occurred too long ago" only when the profile's time limit is past (SPEC section 4): the
/// limit is counted from when the problem happened, or the resident became aware of it.
fn check_time_limit(profile: &PolicyProfile, case: &LoadedCase) -> Result<(), Refusal> {
    let Some(occurred) = case.row.occurred_on else {
        return Err(Refusal::OccurredDateUnknown);
    };
    match exclusion_limit_date(profile, occurred, case.row.aware_on) {
        None if profile.exclusion_limit_months().is_none() => Err(Refusal::NoTimeLimit {
            policy: profile.display_name().to_string(),
        }),
        Some(limit) if case.row.received_on <= limit => Err(Refusal::WithinTimeLimit { limit }),
        _ => Ok(()),
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
