//! Who may place and lift legal holds and see what retention would remove: the complaints
//! team (officers), within the cases they may see. A governing body member only reads.

use crate::auth::{permissions, Permission};
use crate::cases::access::{permits, Who};
use crate::db::cases::CaseRow;
use crate::domain::Viewer;

/// May `viewer` place or lift a legal hold on `case`?
pub fn may_hold(viewer: &Viewer<'_>, case: &CaseRow) -> bool {
    permits(viewer, case, Who::Officers)
}

/// May `viewer` see a case's hold and retention state (the case page's section)?
pub fn may_see(viewer: &Viewer<'_>, case: &CaseRow) -> bool {
    permits(viewer, case, Who::CaseTeam)
}

/// May `viewer` open the retention page (what the next run would remove, and what is kept)?
pub fn may_see_retention(viewer: &Viewer<'_>) -> bool {
    viewer.role.writes() && permissions::allows(viewer.role, Permission::ManageCases)
}

/// May `viewer` record and answer subject access requests, mark notes and files for them and
/// export a person's data? The complaints team (officers), who see every case.
pub fn may_handle_subject_access(viewer: &Viewer<'_>) -> bool {
    may_see_retention(viewer)
}
