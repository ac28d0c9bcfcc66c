//! Who may read and write the Ombudsman register: the one rule the routes, the case page's
//! Ombudsman section and the register's filter all ask. Officers keep the register; directors
//! read it for the cases they may see (their service areas); the governing body's `member`
//! reads all of it (Code 9.7: the governing body sees Ombudsman outcomes and compliance).
//!
//! (Lives in `domain` so the daily digest in `mail` can ask it too: `ombudsman` queues mail,
//! so `mail` may not name `ombudsman`. `crate::ombudsman::access` is this module.)

use super::{Role, ServiceAreaId, UserId, Viewer};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterAction {
    /// See contacts, determinations, orders and figures; download the register.
    Read,
    /// Record and update contacts, evidence, determinations and compliance; export bundles.
    Write,
}

/// How far a role's right reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Every case's contacts.
    All,
    /// The contacts of cases the viewer may see.
    CasesInScope,
    None,
}

/// How far `role` may take `action` on the register.
pub fn reach(role: Role, action: RegisterAction) -> Reach {
    match (role, action) {
        (Role::Officer, _) => Reach::All,
        (Role::Director, RegisterAction::Read) => Reach::CasesInScope,
        (Role::Member, RegisterAction::Read) => Reach::All,
        _ => Reach::None,
    }
}

/// May `viewer` open the register at all (its rows are then filtered by [`may`])?
pub fn may_open(viewer: &Viewer<'_>, action: RegisterAction) -> bool {
    reach(viewer.role, action) != Reach::None
}

/// May `viewer` take `action` on the contacts of a case with this assignee and area?
pub fn may(
    viewer: &Viewer<'_>,
    assignee: Option<UserId>,
    area: Option<ServiceAreaId>,
    action: RegisterAction,
) -> bool {
    match reach(viewer.role, action) {
        Reach::All => true,
        Reach::CasesInScope => viewer.scope().allows(assignee, area),
        Reach::None => false,
    }
}

/// Is `viewer` reminded, in their daily digest, of evidence and orders due on a case with
/// this assignee and area? Those who keep the register (officers) and the directors who may
/// read it; the governing body's member reads it but is not chased.
pub fn reminded(
    viewer: &Viewer<'_>,
    assignee: Option<UserId>,
    area: Option<ServiceAreaId>,
) -> bool {
    viewer.role != Role::Member && may(viewer, assignee, area, RegisterAction::Read)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn officers_keep_it_directors_read_their_areas_members_read_all_others_nothing() {
        let areas = [ServiceAreaId(1)];
        let v = |role| Viewer {
            id: UserId(9),
            role,
            service_areas: &areas,
        };
        let (mine, other) = (Some(ServiceAreaId(1)), Some(ServiceAreaId(2)));
        use RegisterAction::*;
        assert!(may(&v(Role::Officer), None, other, Write));
        assert!(may(&v(Role::Director), None, mine, Read));
        assert!(!may(&v(Role::Director), None, other, Read));
        assert!(!may(&v(Role::Director), None, mine, Write));
        assert!(may(&v(Role::Member), None, other, Read));
        assert!(!may(&v(Role::Member), None, other, Write));
        for role in [Role::Manager, Role::Admin] {
            assert!(!may_open(&v(role), Read), "{role}");
            assert!(!may(&v(role), None, mine, Read), "{role}");
        }
    }
}
