//! Who may see a case (SPEC section 1). Case-level scoping builds on the role permissions in
//! `auth::permissions`; who may see the complainant's identity is `cases::identity`.

use crate::auth::{permissions, Permission};
use crate::cases::available::CaseAction;
use crate::cases::load::LoadedCase;
use crate::db::cases::CaseRow;
use crate::domain::{Role, ServiceAreaId, UserId};
pub use crate::domain::{Scope, Viewer};
// Who may review a case at stage 2 (Code 6.13) is an access rule too; it lives beside this.
pub use crate::cases::independence::{before_stage2, stage2_part, stage2_problem};

pub fn can_view(viewer: &Viewer<'_>, case: &CaseRow) -> bool {
    viewer
        .scope()
        .allows(case.assignee_id, case.service_area_id)
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
    if !role_may(Permission::ViewCases) || !viewer.scope().allows(assignee, area) {
        return false;
    }
    if !viewer.role.writes() {
        // A read-only member is of the case team only for reading its letters and files.
        return who == Who::CaseTeam;
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
    if !viewer.role.writes() || !permits(viewer, &case.row, action.who()) {
        return Err(Denied::NotPermitted);
    }
    if case.anonymised() {
        return Err(Denied::NotNow(
            "This case's personal data has been removed: it is kept for reports only",
        ));
    }
    action.applies(case).map_err(Denied::NotNow)
}
