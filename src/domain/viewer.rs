//! Who is looking, and which cases that lets them see (SPEC section 1). Pure: the database
//! turns a [`Scope`] into a query filter in one place (`db::scope`), and `cases::access`
//! checks a loaded case against it.

use crate::domain::{Role, ServiceAreaId, UserId};

/// The parts of the signed-in user that scoping needs.
pub struct Viewer<'a> {
    pub id: UserId,
    pub role: Role,
    pub service_areas: &'a [ServiceAreaId],
}

impl Viewer<'_> {
    /// Officers see every case; managers those assigned to them or in their service areas;
    /// directors those in their service areas or assigned to them (stage 2); the governing
    /// body's member every case (read-only); admins none.
    pub fn scope(&self) -> Scope {
        match self.role {
            Role::Officer | Role::Member => Scope::All,
            Role::Manager | Role::Director => Scope::AssignedOrInAreas {
                user: self.id,
                areas: self.service_areas.to_vec(),
            },
            Role::Admin => Scope::Nothing,
        }
    }
}

/// What everyone but the complaints team sees where a confidential complainant's name would
/// be (`cases::identity` applies the rule everywhere else).
pub const WITHHELD_NAME: &str = "Confidential complainant";

/// Only the complaints team sees a confidential complainant's identity.
pub fn may_see_identity(role: Role, confidential: bool) -> bool {
    !confidential || role == Role::Officer
}

/// Which cases a viewer may see: the one statement of the rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_has_its_scope() {
        let areas = [ServiceAreaId(3)];
        let viewer = |role| Viewer {
            id: UserId(7),
            role,
            service_areas: &areas,
        };
        assert_eq!(viewer(Role::Officer).scope(), Scope::All);
        assert_eq!(viewer(Role::Admin).scope(), Scope::Nothing);
        for role in [Role::Manager, Role::Director] {
            let scope = viewer(role).scope();
            assert!(scope.allows(Some(UserId(7)), None), "assigned to them");
            assert!(scope.allows(None, Some(ServiceAreaId(3))), "in their area");
            assert!(!scope.allows(Some(UserId(8)), Some(ServiceAreaId(4))));
        }
    }
}
