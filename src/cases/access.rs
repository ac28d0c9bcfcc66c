//! Who may see a case (SPEC section 1). Case-level scoping builds on the role permissions in
//! `auth::permissions`; who may see the complainant's identity is `cases::identity`.

use crate::auth::{permissions, Permission};
use crate::cases::available::CaseAction;
use crate::cases::load::LoadedCase;
use crate::db::cases::CaseRow;
use crate::domain::{Role, ServiceAreaId, UserId};

/// The parts of the signed-in user that scoping needs.
pub struct Viewer<'a> {
    pub id: UserId,
    pub role: Role,
    pub service_areas: &'a [ServiceAreaId],
}

/// Which cases a viewer may see. The one statement of the rule: [`can_view`] checks a loaded
/// case against it and the work lists (`db::work_lists`) turn it into a query filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every case.
    All,
    /// Cases assigned to `user` or in one of `areas`.
    AssignedOrInAreas {
        user: UserId,
        areas: Vec<ServiceAreaId>,
    },
    /// No case at all.
    Nothing,
}

impl Scope {
    pub fn allows(&self, assignee: Option<UserId>, area: Option<ServiceAreaId>) -> bool {
        match self {
            Scope::All => true,
            Scope::AssignedOrInAreas { user, areas } => {
                assignee == Some(*user) || area.is_some_and(|a| areas.contains(&a))
            }
            Scope::Nothing => false,
        }
    }
}

/// Officers see every case; managers those assigned to them or in their service areas;
/// directors those in their service areas or assigned to them (stage 2); admins none.
pub fn scope(viewer: &Viewer<'_>) -> Scope {
    match viewer.role {
        Role::Officer => Scope::All,
        Role::Manager | Role::Director => Scope::AssignedOrInAreas {
            user: viewer.id,
            areas: viewer.service_areas.to_vec(),
        },
        Role::Admin => Scope::Nothing,
    }
}

pub fn can_view(viewer: &Viewer<'_>, case: &CaseRow) -> bool {
    scope(viewer).allows(case.assignee_id, case.service_area_id)
}

/// Vulnerability notes: officers and the assigned manager only.
pub fn can_see_vulnerability(viewer: &Viewer<'_>, case: &CaseRow) -> bool {
    viewer.role == Role::Officer || case.assignee_id == Some(viewer.id)
}

/// Who may use an action, by role and relation to the case (always within what they may see).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// The complaints team (officers).
    Officers,
    /// Officers, or the manager the case is assigned to.
    OfficersOrAssignedManager,
    /// Everyone working the case: officers, and managers and directors who may see it.
    CaseTeam,
    /// The manager (or, at stage 2, director) the case is assigned to.
    Assignee,
    /// The assignee, unless an officer (who acts for others instead).
    AssigneeNotOfficer,
    /// A director who may see the case.
    Director,
}

/// Does `who` include `viewer` on `case`?
pub fn permits(viewer: &Viewer<'_>, case: &CaseRow, who: Who) -> bool {
    permits_on(viewer, case.assignee_id, case.service_area_id, who)
}

/// [`permits`] for a case known by its assignee and service area.
pub fn permits_on(
    viewer: &Viewer<'_>,
    assignee: Option<UserId>,
    area: Option<ServiceAreaId>,
    who: Who,
) -> bool {
    let role_may = |permission| permissions::allows(viewer.role, permission);
    if !role_may(Permission::ViewCases) || !scope(viewer).allows(assignee, area) {
        return false;
    }
    let assignee = assignee == Some(viewer.id);
    match who {
        Who::Officers => role_may(Permission::ManageCases),
        Who::OfficersOrAssignedManager => assignee || role_may(Permission::ManageCases),
        Who::CaseTeam => true,
        Who::Assignee => assignee,
        Who::AssigneeNotOfficer => assignee && viewer.role != Role::Officer,
        Who::Director => role_may(Permission::Approve),
    }
}

/// Why an action may not be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denied {
    /// Not by this viewer, whatever the case's state.
    NotPermitted,
    /// Not with the case as it stands: why, in words.
    NotNow(&'static str),
}

/// May `viewer` take `action` on `case` now? The one check the routes and the case page make.
pub fn may(viewer: &Viewer<'_>, case: &LoadedCase, action: CaseAction) -> Result<(), Denied> {
    if !permits(viewer, &case.row, action.who()) {
        return Err(Denied::NotPermitted);
    }
    action.applies(case).map_err(Denied::NotNow)
}
