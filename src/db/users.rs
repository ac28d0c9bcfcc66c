//! Queries about staff accounts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{user_service_areas, users};
use super::DbConnection;
use crate::db::literal_limit::FirstRow;
use crate::domain::{ServiceAreaId, UserId};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub password_hash: String,
    pub must_change_password: bool,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub notify_assignment: bool,
    pub notify_digest: bool,
    pub notify_missed: bool,
    /// Sessions issued under another generation are over (see [`end_sessions`]).
    pub session_generation: i32,
    /// Signs letters under the name ("Repairs Manager"); empty until an administrator sets it.
    pub job_title: String,
    /// The authenticator app's secret (base32); none until the user enrols.
    pub second_factor_secret: Option<String>,
    /// The last TOTP time step accepted, so a code works once.
    pub second_factor_last_step: Option<i64>,
    /// Made by `seed-demo`: exempt from the second factor.
    pub demo: bool,
}

impl UserRow {
    pub fn second_factor_enrolled(&self) -> bool {
        self.second_factor_secret.is_some()
    }

    pub fn notifications(&self) -> NotificationChoices {
        NotificationChoices {
            notify_assignment: self.notify_assignment,
            notify_digest: self.notify_digest,
            notify_missed: self.notify_missed,
        }
    }
}

/// Which notification emails a member of staff wants (all on by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, AsChangeset)]
#[diesel(table_name = users)]
pub struct NotificationChoices {
    pub notify_assignment: bool,
    pub notify_digest: bool,
    pub notify_missed: bool,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub password_hash: &'a str,
    pub must_change_password: bool,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: UserId) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first_row(conn)
        .optional()
}

/// The user and their service areas (in id order) in one statement: what every signed-in
/// request reads first (`web::current_user`), where two statements each cost a round trip.
pub fn find_with_areas(
    conn: &mut DbConnection,
    id: UserId,
) -> QueryResult<Option<(UserRow, Vec<ServiceAreaId>)>> {
    let rows: Vec<(UserRow, Option<ServiceAreaId>)> = users::table
        .left_join(user_service_areas::table)
        .filter(users::id.eq(id))
        .select((
            UserRow::as_select(),
            user_service_areas::service_area_id.nullable(),
        ))
        .order(user_service_areas::service_area_id)
        .load(conn)?;
    let mut rows = rows.into_iter();
    Ok(rows.next().map(|(user, first)| {
        let areas = first
            .into_iter()
            .chain(rows.filter_map(|(_, a)| a))
            .collect();
        (user, areas)
    }))
}

pub fn find_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::email.eq(email))
        .select(UserRow::as_select())
        .first_row(conn)
        .optional()
}

pub fn list_all(conn: &mut DbConnection) -> QueryResult<Vec<UserRow>> {
    users::table
        .order((users::active.desc(), users::display_name.asc()))
        .select(UserRow::as_select())
        .load(conn)
}

pub fn list_by_role(conn: &mut DbConnection, role: &str) -> QueryResult<Vec<UserRow>> {
    users::table
        .filter(users::role.eq(role))
        .filter(users::active.eq(true))
        .order(users::display_name.asc())
        .select(UserRow::as_select())
        .load(conn)
}

/// The active users with any of `roles`, by name: one statement for several roles.
pub fn list_by_roles(conn: &mut DbConnection, roles: &[&str]) -> QueryResult<Vec<UserRow>> {
    users::table
        .filter(super::one_of::one_of(users::role, roles.iter().copied()))
        .filter(users::active.eq(true))
        .order((users::display_name.asc(), users::id.asc()))
        .select(UserRow::as_select())
        .load(conn)
}

pub fn insert(conn: &mut DbConnection, new: &NewUser<'_>) -> QueryResult<UserRow> {
    diesel::insert_into(users::table)
        .values(new)
        .returning(users::all_columns)
        .get_result(conn)
}

/// Sets a new password and ends every session of the user (a changed credential must
/// shut out whoever held the old one). Returns the new session generation, for the one
/// session that changed its own password and stays signed in.
pub fn set_password(
    conn: &mut DbConnection,
    id: UserId,
    hash: &str,
    must_change: bool,
    now: NaiveDateTime,
) -> QueryResult<i32> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(hash),
            users::must_change_password.eq(must_change),
            users::session_generation.eq(users::session_generation + 1),
            users::updated_at.eq(now),
        ))
        .returning(users::session_generation)
        .get_result(conn)
}

/// Deactivating also ends every session, so a later reactivation does not bring an old,
/// perhaps copied, cookie back to life.
pub fn set_active(
    conn: &mut DbConnection,
    id: UserId,
    active: bool,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let generation = if active {
        users::session_generation + 0
    } else {
        users::session_generation + 1
    };
    diesel::update(users::table.find(id))
        .set((
            users::active.eq(active),
            users::session_generation.eq(generation),
            users::updated_at.eq(now),
        ))
        .execute(conn)
}

/// Ends every session of the user: each request compares its cookie's generation with
/// this column. Returns the new generation.
pub fn end_sessions(conn: &mut DbConnection, id: UserId) -> QueryResult<i32> {
    diesel::update(users::table.find(id))
        .set(users::session_generation.eq(users::session_generation + 1))
        .returning(users::session_generation)
        .get_result(conn)
}

pub fn set_notifications(
    conn: &mut DbConnection,
    id: UserId,
    choices: &NotificationChoices,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((choices, users::updated_at.eq(now)))
        .execute(conn)
}

pub fn service_area_ids(conn: &mut DbConnection, id: UserId) -> QueryResult<Vec<ServiceAreaId>> {
    user_service_areas::table
        .filter(user_service_areas::user_id.eq(id))
        .select(user_service_areas::service_area_id)
        .order(user_service_areas::service_area_id)
        .load(conn)
}

/// Replaces a user's memberships. Rows go in one at a time: batch inserts do not compile
/// through the multi-backend connection, and a user has a handful of areas at most.
pub fn set_service_areas(
    conn: &mut DbConnection,
    id: UserId,
    areas: &[ServiceAreaId],
) -> QueryResult<()> {
    diesel::delete(user_service_areas::table.filter(user_service_areas::user_id.eq(id)))
        .execute(conn)?;
    for area in areas {
        diesel::insert_into(user_service_areas::table)
            .values((
                user_service_areas::user_id.eq(id),
                user_service_areas::service_area_id.eq(*area),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Marks the account as a demo account (exempt from the second factor).
pub fn mark_demo(conn: &mut DbConnection, id: UserId) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(users::demo.eq(true))
        .execute(conn)
}

/// Stores the authenticator secret of a completed enrolment, with the step of the code
/// that confirmed it (already spent), and ends every session of the user: the session
/// that enrolled is re-issued under the returned generation.
pub fn set_second_factor(
    conn: &mut DbConnection,
    id: UserId,
    secret: &str,
    step: i64,
    now: NaiveDateTime,
) -> QueryResult<i32> {
    diesel::update(users::table.find(id))
        .set((
            users::second_factor_secret.eq(Some(secret)),
            users::second_factor_last_step.eq(Some(step)),
            users::session_generation.eq(users::session_generation + 1),
            users::updated_at.eq(now),
        ))
        .returning(users::session_generation)
        .get_result(conn)
}

/// Forgets the user's authenticator (an administrator's reset): they enrol again at
/// their next sign-in. Ends every session of the user.
pub fn clear_second_factor(
    conn: &mut DbConnection,
    id: UserId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((
            users::second_factor_secret.eq(None::<String>),
            users::second_factor_last_step.eq(None::<i64>),
            users::session_generation.eq(users::session_generation + 1),
            users::updated_at.eq(now),
        ))
        .execute(conn)
}

/// Spends TOTP time step `step` for the user: true only when it is later than every step
/// accepted before. One conditional UPDATE, so two requests racing with the same code
/// cannot both win.
pub fn spend_step(conn: &mut DbConnection, id: UserId, step: i64) -> QueryResult<bool> {
    let changed = diesel::update(
        users::table.find(id).filter(
            users::second_factor_last_step
                .is_null()
                .or(users::second_factor_last_step.lt(step)),
        ),
    )
    .set(users::second_factor_last_step.eq(Some(step)))
    .execute(conn)?;
    Ok(changed == 1)
}
