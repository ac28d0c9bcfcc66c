//! Staff as other people read them: name, role and job title, several at once (the case
//! page names everyone on a timeline with one query, never by their sign-in email).

use std::collections::HashMap;

use diesel::prelude::*;

use super::schema::users;
use super::DbConnection;
use crate::db::one_of::one_of;
use crate::domain::{Role, UserId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub id: UserId,
    pub name: String,
    pub role: Role,
    /// Empty until an administrator sets it.
    pub job_title: String,
}

impl StaffMember {
    /// "Sophie Irving, Service manager": the name and the role, as the timeline shows them.
    pub fn with_role(&self) -> String {
        format!("{}, {}", self.name, self.role.label())
    }

    /// What a letter prints under the name: the job title, or the role without one.
    pub fn title(&self) -> &str {
        if self.job_title.trim().is_empty() {
            self.role.label()
        } else {
            self.job_title.trim()
        }
    }
}

type StaffColumns = (
    users::id,
    users::display_name,
    users::role,
    users::job_title,
);
const COLUMNS: StaffColumns = (
    users::id,
    users::display_name,
    users::role,
    users::job_title,
);

fn member((id, name, role, job_title): (UserId, String, String, String)) -> StaffMember {
    StaffMember {
        id,
        name,
        // A role the code no longer knows reads as the least privileged one's name.
        role: role.parse().unwrap_or(Role::Officer),
        job_title,
    }
}

/// Everyone in `ids` who exists, by id.
pub fn named(conn: &mut DbConnection, ids: &[UserId]) -> QueryResult<HashMap<UserId, StaffMember>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(users::table
        .filter(one_of(users::id, ids))
        .select(COLUMNS)
        .load::<(UserId, String, String, String)>(conn)?
        .into_iter()
        .map(|row| (row.0, member(row)))
        .collect())
}

pub fn find(conn: &mut DbConnection, id: UserId) -> QueryResult<Option<StaffMember>> {
    Ok(named(conn, &[id])?.remove(&id))
}

/// Sets the job title letters are signed with.
pub fn set_job_title(conn: &mut DbConnection, id: UserId, job_title: &str) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(users::job_title.eq(job_title.trim()))
        .execute(conn)
}
