//! The one place that says which role may do what (SPEC section 1). Every handler asks
//! `CurrentUser::require(Permission::…)`; case-level scoping (service areas, assignment)
//! builds on these and lives with the cases.

use crate::domain::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Users, service areas, contractors, categories; read-only policy and landlord pages.
    Administer,
    /// See work lists and case pages (scoped per role where cases are concerned).
    ViewCases,
    /// Log and triage cases, assign, acknowledge, close, send letters.
    ManageCases,
    /// Approve compensation, past-cap extensions and contact restrictions; decide stage 2.
    Approve,
    /// Performance, TSM and learning reports; the annual report, self-assessment and
    /// governing body pack.
    ViewReports,
    /// Write the self-assessment and the annual report's narrative, and publish it.
    ReportToGoverningBody,
}

impl Permission {
    pub const ALL: [Permission; 6] = [
        Permission::Administer,
        Permission::ViewCases,
        Permission::ManageCases,
        Permission::Approve,
        Permission::ViewReports,
        Permission::ReportToGoverningBody,
    ];
}

pub fn allows(role: Role, permission: Permission) -> bool {
    use Permission::*;
    match role {
        Role::Admin => matches!(permission, Administer),
        Role::Officer => matches!(
            permission,
            ViewCases | ManageCases | ViewReports | ReportToGoverningBody
        ),
        Role::Manager => matches!(permission, ViewCases),
        Role::Director => matches!(permission, ViewCases | Approve | ViewReports),
        Role::Member => matches!(permission, ViewCases | ViewReports),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_sees_no_case_content() {
        assert!(allows(Role::Admin, Permission::Administer));
        assert!(!allows(Role::Admin, Permission::ViewCases));
        assert!(!allows(Role::Admin, Permission::ViewReports));
    }

    #[test]
    fn only_directors_approve_and_only_admins_administer() {
        for role in Role::ALL {
            assert_eq!(allows(role, Permission::Approve), role == Role::Director);
            assert_eq!(allows(role, Permission::Administer), role == Role::Admin);
        }
    }

    #[test]
    fn members_only_look() {
        for permission in Permission::ALL {
            let reads = matches!(permission, Permission::ViewCases | Permission::ViewReports);
            assert_eq!(allows(Role::Member, permission), reads, "{permission:?}");
        }
        assert!(!Role::Member.writes());
    }

    #[test]
    fn managers_cannot_see_reports() {
        assert!(!allows(Role::Manager, Permission::ViewReports));
        assert!(allows(Role::Officer, Permission::ViewReports));
        assert!(allows(Role::Director, Permission::ViewReports));
    }
}
