//! Who may take a case in a service area, and how many open cases each already holds: the
//! assign form lists the people of the chosen area with their caseload.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::db::one_of::one_of;
use crate::db::schema::{cases, user_service_areas, users};
use crate::db::users::UserRow;
use crate::db::DbConnection;
use crate::domain::case::Status;
use crate::domain::{ServiceAreaId, UserId};

/// Active users with one of `roles` who belong to `area`, by name.
pub fn members_of(
    conn: &mut DbConnection,
    area: ServiceAreaId,
    roles: &[&str],
) -> QueryResult<Vec<UserRow>> {
    users::table
        .inner_join(user_service_areas::table)
        .filter(user_service_areas::service_area_id.eq(area))
        .filter(users::active.eq(true))
        .filter(one_of(users::role, roles.to_vec()))
        .order((users::display_name.asc(), users::id.asc()))
        .select(UserRow::as_select())
        .load(conn)
}

/// How many open cases each of `people` is assigned (absent: none).
pub fn open_cases_of(
    conn: &mut DbConnection,
    people: &[UserId],
) -> QueryResult<HashMap<UserId, i64>> {
    if people.is_empty() {
        return Ok(HashMap::new());
    }
    let open: Vec<Status> = Status::ALL
        .iter()
        .copied()
        .filter(|s| s.is_open())
        .collect();
    let counts: Vec<(Option<UserId>, i64)> = cases::table
        .filter(one_of(cases::assignee_id, people.to_vec()))
        .filter(one_of(cases::status, open))
        .group_by(cases::assignee_id)
        .select((cases::assignee_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(counts
        .into_iter()
        .filter_map(|(who, n)| who.map(|who| (who, n)))
        .collect())
}
