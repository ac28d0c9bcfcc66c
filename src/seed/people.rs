//! Demo staff and service areas: each area has a director (its head of service) and two or
//! three managers as members; four complaints officers triage everything. Everyone signs in
//! with [`super::DEMO_PASSWORD`]. Existing accounts and areas with the same email or code are
//! reused, so seeding never duplicates them.

use chrono::NaiveDateTime;
use diesel::QueryResult;

use crate::db::service_areas::{self, NewServiceArea, ServiceAreaChanges};
use crate::db::users::{self, NewUser};
use crate::db::DbConnection;
use crate::domain::{Role, ServiceAreaId, UserId};

/// The email domain of every demo account.
pub const EMAIL_DOMAIN: &str = "demo.redress.local";

struct AreaPlan {
    name: &'static str,
    code: &'static str,
    director: &'static str,
    managers: &'static [&'static str],
}

const AREAS: &[AreaPlan] = &[
    AreaPlan {
        name: "Repairs",
        code: "REP",
        director: "Helen Marsh",
        managers: &["Tom Fielding", "Nadia Rahman", "Gareth Pryce"],
    },
    AreaPlan {
        name: "Estate services",
        code: "EST",
        director: "Colin Ashworth",
        managers: &["Joy Adeyemi", "Mark Kershaw"],
    },
    AreaPlan {
        name: "Income and rents",
        code: "INC",
        director: "Sunita Varma",
        managers: &["Lisa Hargreaves", "Owen Blake"],
    },
    AreaPlan {
        name: "Anti-social behaviour",
        code: "ASB",
        director: "Richard Okoye",
        managers: &["Claire Dunmore", "Imran Siddiqui", "Beth Lawson"],
    },
    AreaPlan {
        name: "Lettings",
        code: "LET",
        director: "Fiona Gallagher",
        managers: &["Darren Pike", "Anita Kowal"],
    },
    AreaPlan {
        name: "Customer services",
        code: "CUS",
        director: "Martin Hale",
        managers: &["Sophie Irving", "Kofi Asante"],
    },
];

const OFFICERS: &[&str] = &["Emma Carter", "Raj Mistry", "Hannah Doyle", "Sam Whitfield"];

/// A member of staff as the timeline names them.
#[derive(Debug, Clone)]
pub struct StaffMember {
    pub id: UserId,
    /// `email (role)`, as staff actions are labelled on the timeline and in the audit log.
    pub label: String,
}

#[derive(Debug, Clone)]
pub struct Area {
    pub id: ServiceAreaId,
    pub name: &'static str,
    pub director: StaffMember,
    pub managers: Vec<StaffMember>,
}

#[derive(Debug, Clone)]
pub struct Staff {
    pub areas: Vec<Area>,
    pub officers: Vec<StaffMember>,
    /// Accounts this run created (existing ones reused are not counted).
    pub created: usize,
}

/// `Helen Marsh` → `helen.marsh@demo.redress.local`.
pub fn email_for(name: &str) -> String {
    let local: String = name
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(".")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    format!("{local}@{EMAIL_DOMAIN}")
}

struct Accounts<'a> {
    password_hash: &'a str,
    now: NaiveDateTime,
    created: usize,
}

impl Accounts<'_> {
    fn ensure(
        &mut self,
        conn: &mut DbConnection,
        name: &str,
        role: Role,
    ) -> QueryResult<StaffMember> {
        let email = email_for(name);
        let id = match users::find_by_email(conn, &email)? {
            Some(user) => user.id,
            None => {
                self.created += 1;
                let id = users::insert(
                    conn,
                    &NewUser {
                        email: &email,
                        display_name: name,
                        role: role.as_str(),
                        password_hash: self.password_hash,
                        must_change_password: false,
                        active: true,
                        created_at: self.now,
                        updated_at: self.now,
                    },
                )?
                .id;
                // Demo accounts sign in with the documented password alone (issue 29).
                users::mark_demo(conn, id)?;
                id
            }
        };
        Ok(StaffMember {
            id,
            label: format!("{email} ({role})"),
        })
    }
}

/// Creates (or finds) the demo service areas and staff.
pub fn ensure_staff(
    conn: &mut DbConnection,
    password_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Staff> {
    let mut accounts = Accounts {
        password_hash,
        now,
        created: 0,
    };
    let existing = service_areas::list_all(conn)?;
    let mut areas = Vec::new();
    for plan in AREAS {
        let director = accounts.ensure(conn, plan.director, Role::Director)?;
        let changes = ServiceAreaChanges {
            name: plan.name,
            code: plan.code,
            head_of_service_id: Some(director.id),
            active: true,
            updated_at: now,
        };
        let id = match existing.iter().find(|a| a.code == plan.code) {
            Some(area) => {
                service_areas::update(conn, area.id, &changes)?;
                area.id
            }
            None => {
                service_areas::insert(
                    conn,
                    &NewServiceArea {
                        name: plan.name,
                        code: plan.code,
                        head_of_service_id: Some(director.id),
                        active: true,
                        created_at: now,
                        updated_at: now,
                    },
                )?
                .id
            }
        };
        users::set_service_areas(conn, director.id, &[id])?;
        let mut managers = Vec::new();
        for name in plan.managers {
            let manager = accounts.ensure(conn, name, Role::Manager)?;
            users::set_service_areas(conn, manager.id, &[id])?;
            managers.push(manager);
        }
        areas.push(Area {
            id,
            name: plan.name,
            director,
            managers,
        });
    }
    let officers = OFFICERS
        .iter()
        .map(|name| accounts.ensure(conn, name, Role::Officer))
        .collect::<QueryResult<Vec<_>>>()?;
    Ok(Staff {
        areas,
        officers,
        created: accounts.created,
    })
}
