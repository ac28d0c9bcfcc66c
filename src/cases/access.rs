//! Who may see a case and its complainant's identity (SPEC section 1). Case-level scoping
//! builds on the role permissions in `auth::permissions`.

use crate::db::cases::CaseRow;
use crate::domain::{Role, ServiceAreaId, UserId};

/// The parts of the signed-in user that scoping needs.
pub struct Viewer<'a> {
    pub id: UserId,
    pub role: Role,
    pub service_areas: &'a [ServiceAreaId],
}

/// Officers see every case; managers those assigned to them or in their service areas;
/// directors those in their service areas or assigned to them (stage 2); admins none.
pub fn can_view(viewer: &Viewer<'_>, case: &CaseRow) -> bool {
    match viewer.role {
        Role::Officer => true,
        Role::Manager | Role::Director => {
            case.assignee_id == Some(viewer.id)
                || case
                    .service_area_id
                    .is_some_and(|area| viewer.service_areas.contains(&area))
        }
        Role::Admin => false,
    }
}

/// Confidential and anonymous identities are for the complaints team only.
pub fn can_see_identity(viewer: &Viewer<'_>, case: &CaseRow) -> bool {
    !case.confidential || viewer.role == Role::Officer
}

/// Vulnerability notes: officers and the assigned manager only.
pub fn can_see_vulnerability(viewer: &Viewer<'_>, case: &CaseRow) -> bool {
    viewer.role == Role::Officer || case.assignee_id == Some(viewer.id)
}
