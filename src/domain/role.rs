//! The five roles (SPEC section 1): four staff roles and the governing body's read-only
//! member. Each user has exactly one.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Corporate resources / complaints team.
    Officer,
    /// Service manager: investigates and replies.
    Manager,
    /// Service director / chief executive: approvals and stage 2.
    Director,
    /// System administrator: users and reference data, no case content.
    Admin,
    /// The Member Responsible for Complaints or another governing-body member: sees every
    /// case, report and the governance pages, changes nothing (Code section 9.5–9.6).
    Member,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Officer,
        Role::Manager,
        Role::Director,
        Role::Admin,
        Role::Member,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Officer => "officer",
            Role::Manager => "manager",
            Role::Director => "director",
            Role::Admin => "admin",
            Role::Member => "member",
        }
    }

    /// How the role is named to people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Officer => "Complaints officer",
            Role::Manager => "Service manager",
            Role::Director => "Director",
            Role::Admin => "Administrator",
            Role::Member => "Governing body member",
        }
    }

    /// May this role change anything? The governing body's member only reads; every write
    /// they try is refused (`web::current_user`) and no action is offered to them.
    pub fn writes(self) -> bool {
        self != Role::Member
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a role: use officer, manager, director, admin or member")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Role, UnknownRole> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_role() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("root".parse::<Role>().is_err());
    }
}
