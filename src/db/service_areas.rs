//! Queries about service areas and who belongs to them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{service_areas, user_service_areas, users};
use super::{name_in, DbConnection};
use crate::db::literal_limit::FirstRow;
use crate::domain::{ServiceAreaId, UserId};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = service_areas)]
pub struct ServiceAreaRow {
    pub id: ServiceAreaId,
    pub name: String,
    pub code: String,
    pub head_of_service_id: Option<UserId>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = service_areas)]
pub struct NewServiceArea<'a> {
    pub name: &'a str,
    pub code: &'a str,
    pub head_of_service_id: Option<UserId>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = service_areas, treat_none_as_null = true)]
pub struct ServiceAreaChanges<'a> {
    pub name: &'a str,
    pub code: &'a str,
    pub head_of_service_id: Option<UserId>,
    pub active: bool,
    pub updated_at: NaiveDateTime,
}

pub fn list_all(conn: &mut DbConnection) -> QueryResult<Vec<ServiceAreaRow>> {
    service_areas::table
        .order((service_areas::active.desc(), service_areas::name.asc()))
        .select(ServiceAreaRow::as_select())
        .load(conn)
}

pub fn find(conn: &mut DbConnection, id: ServiceAreaId) -> QueryResult<Option<ServiceAreaRow>> {
    service_areas::table
        .find(id)
        .select(ServiceAreaRow::as_select())
        .first_row(conn)
        .optional()
}

/// Is `name` or `code` already used by another area? (`except` is the area being edited.)
pub fn name_or_code_taken(
    conn: &mut DbConnection,
    name: &str,
    code: &str,
    except: Option<ServiceAreaId>,
) -> QueryResult<(bool, bool)> {
    let others = service_areas::table
        .filter(service_areas::id.ne(except.unwrap_or(ServiceAreaId(-1))))
        .select((service_areas::name, service_areas::code))
        .load::<(String, String)>(conn)?;
    let (names, codes): (Vec<String>, Vec<String>) = others.into_iter().unzip();
    Ok((name_in(&names, name), name_in(&codes, code)))
}

pub fn insert(conn: &mut DbConnection, new: &NewServiceArea<'_>) -> QueryResult<ServiceAreaRow> {
    diesel::insert_into(service_areas::table)
        .values(new)
        .returning(service_areas::all_columns)
        .get_result(conn)
}

pub fn update(
    conn: &mut DbConnection,
    id: ServiceAreaId,
    changes: &ServiceAreaChanges<'_>,
) -> QueryResult<usize> {
    diesel::update(service_areas::table.find(id))
        .set(changes)
        .execute(conn)
}

/// Names of members of each area, for the admin list.
pub fn members(conn: &mut DbConnection, id: ServiceAreaId) -> QueryResult<Vec<(UserId, String)>> {
    user_service_areas::table
        .inner_join(users::table)
        .filter(user_service_areas::service_area_id.eq(id))
        .order(users::display_name)
        .select((users::id, users::display_name))
        .load(conn)
}
