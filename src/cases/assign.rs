//! Assignment to a service area and an investigating manager who is a member of it and has
//! not declared involvement; recording declared involvement (by the officer for a manager,
//! or by the manager themself), which takes the case off that manager.

use std::collections::BTreeSet;

use crate::cases::load::LoadedCase;
use crate::cases::transition::{CaseError, Decided, Rules};
use crate::db::{service_areas, users, DbConnection};
use crate::domain::{CaseEvent, Role, ServiceAreaId, UserId};
use crate::mail::links::Links;
use crate::rules::Stage;

/// Managers who have declared involvement in this case's matter, from its timeline.
pub fn involved_managers(case: &LoadedCase) -> BTreeSet<UserId> {
    case.events
        .iter()
        .filter_map(|e| match e.event() {
            Some(CaseEvent::InvolvementDeclared { manager, .. }) => Some(manager),
            _ => None,
        })
        .collect()
}

/// Who investigates the case as it stands: a manager (or director) at stages 0 and 1, a
/// director who did not answer stage 1 at stage 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Investigator {
    Manager,
    Director,
}

impl Investigator {
    pub fn for_case(case: &LoadedCase) -> Investigator {
        if case.state.stage == Some(Stage::Stage2) {
            Investigator::Director
        } else {
            Investigator::Manager
        }
    }

    /// The roles that may be chosen.
    fn roles(self) -> &'static [&'static str] {
        match self {
            Investigator::Manager => &["manager", "director"],
            Investigator::Director => &["director"],
        }
    }

    /// The role the stage usually asks for: directors may investigate at stage 1, but it is
    /// a manager's job.
    fn usual_role(self) -> Role {
        match self {
            Investigator::Manager => Role::Manager,
            Investigator::Director => Role::Director,
        }
    }
}

/// Who the assign form suggests (issue 21): the only person who can take the case, else
/// of those in the stage's usual role the one with the fewest open cases (the first by name
/// on a tie), so the work spreads and the officer changes the choice only when they know
/// better. `None` when no one in the usual role is offered.
pub fn suggested(who: Investigator, people: &[Candidate]) -> Option<UserId> {
    if let [only] = people {
        return Some(only.id);
    }
    people
        .iter()
        .filter(|p| p.role == who.usual_role())
        .min_by_key(|p| p.open_cases)
        .map(|p| p.id)
}

/// Someone who may be assigned the case, with how many open cases they hold already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: UserId,
    pub name: String,
    pub role: Role,
    pub open_cases: i64,
}

/// The people of `area` who may be assigned `case`: the right role for its stage, not
/// involved in the matter and, at stage 2, not a stage 1 responder; with their caseload.
/// Also those left out, each named with why: declared involvement, or (at stage 2) what
/// they did at stage 1.
pub fn candidates(
    conn: &mut DbConnection,
    case: &LoadedCase,
    area: ServiceAreaId,
) -> diesel::QueryResult<(Vec<Candidate>, Vec<String>)> {
    let who = Investigator::for_case(case);
    let involved = involved_managers(case);
    // At stage 2, only directors independent of stage 1 (Code 6.13) are offered.
    let earlier = match who {
        Investigator::Director => crate::cases::access::before_stage2(case),
        Investigator::Manager => Vec::new(),
    };
    let members = crate::db::caseload::members_of(conn, area, who.roles())?;
    let ids: Vec<UserId> = members.iter().map(|m| m.id).collect();
    let open = crate::db::caseload::open_cases_of(conn, &ids)?;
    let mut offered = Vec::new();
    let mut left_out = Vec::new();
    for m in members {
        if involved.contains(&m.id) {
            left_out.push(format!("{} (declared involvement)", m.display_name));
        } else if let Some(part) = crate::cases::access::stage2_part(m.id, &earlier) {
            left_out.push(format!("{} ({part})", m.display_name));
        } else {
            offered.push(Candidate {
                id: m.id,
                // Members are loaded by these roles, so the role reads back as one of them.
                role: m.role.parse().unwrap_or(who.usual_role()),
                open_cases: open.get(&m.id).copied().unwrap_or(0),
                name: m.display_name,
            });
        }
    }
    Ok((offered, left_out))
}

/// The user a case is being assigned to, as checked before the transaction.
#[derive(Debug, Clone)]
pub struct Assignee {
    pub role: Role,
    pub name: String,
}

/// Checks that `manager` is an active manager (or director) who belongs to `area`.
pub fn check_assignee(
    conn: &mut DbConnection,
    area: ServiceAreaId,
    manager: UserId,
) -> Result<Assignee, CaseError> {
    let area_row = service_areas::find(conn, area)?
        .filter(|a| a.active)
        .ok_or_else(|| CaseError::Invalid("Select a service area that is in use".into()))?;
    let user = users::find(conn, manager)?
        .filter(|u| u.active)
        .ok_or_else(|| CaseError::Invalid("Select an investigating manager".into()))?;
    let role: Role = user
        .role
        .parse()
        .map_err(|_| CaseError::Invalid("Select an investigating manager".into()))?;
    if !matches!(role, Role::Manager | Role::Director) {
        return Err(CaseError::Invalid(
            "The investigating manager must be a service manager or director".into(),
        ));
    }
    if !users::service_area_ids(conn, manager)?.contains(&area) {
        return Err(CaseError::Invalid(format!(
            "{} is not a member of {}: choose someone from that service area",
            user.display_name, area_row.name
        )));
    }
    Ok(Assignee {
        role,
        name: user.display_name,
    })
}

/// At stage 2 the reviewer is a director who did not answer the complaint at stage 1.
pub fn check_stage2_reviewer(
    case: &LoadedCase,
    manager: UserId,
    assignee: &Assignee,
) -> Result<(), CaseError> {
    if case.state.stage != Some(Stage::Stage2) {
        return Ok(());
    }
    if assignee.role != Role::Director {
        return Err(CaseError::Invalid(format!(
            "{} is not a director: a stage 2 review must be done by a service director",
            assignee.name
        )));
    }
    let earlier = crate::cases::access::before_stage2(case);
    match crate::cases::access::stage2_problem(manager, &assignee.name, &earlier) {
        Some(why) => Err(CaseError::Invalid(why)),
        None => Ok(()),
    }
}

pub fn decide_assign(
    case: &LoadedCase,
    area: ServiceAreaId,
    manager: UserId,
    assignee: &Assignee,
    rules: &Rules<'_>,
    links: Links,
) -> Result<Decided, CaseError> {
    check_stage2_reviewer(case, manager, assignee)?;
    let involved: Vec<UserId> = involved_managers(case).into_iter().collect();
    let (state, event) = case.state.assign(area, manager, &involved)?;
    let mut decided = Decided::new(state, event, rules.today);
    // The assignee hears of it through the outbox, in the same transaction.
    let reference = case.row.reference.clone();
    let now = rules.now;
    decided.also = Some(Box::new(move |conn, _| {
        crate::mail::notify::case_assigned(conn, &links, &reference, manager, now).map(|_| ())
    }));
    Ok(decided)
}

pub fn decide_involvement(
    case: &LoadedCase,
    manager: UserId,
    rules: &Rules<'_>,
) -> Result<Decided, CaseError> {
    if involved_managers(case).contains(&manager) {
        return Err(CaseError::Invalid(
            "That manager's involvement is already recorded".into(),
        ));
    }
    let (state, event) = case.state.declare_involvement(manager)?;
    Ok(Decided::new(state, event, rules.today))
}
