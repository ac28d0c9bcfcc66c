//! Queries about complaint categories (e.g. Repairs: damp and mould).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::categories;
use super::{name_in, DbConnection};
use crate::db::literal_limit::FirstRow;
use crate::domain::CategoryId;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = categories)]
pub struct CategoryRow {
    pub id: CategoryId,
    pub name: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = categories)]
pub struct NewCategory<'a> {
    pub name: &'a str,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = categories)]
pub struct CategoryChanges<'a> {
    pub name: &'a str,
    pub active: bool,
    pub updated_at: NaiveDateTime,
}

/// Every category, those in use first, then by name.
pub fn list_all(conn: &mut DbConnection) -> QueryResult<Vec<CategoryRow>> {
    categories::table
        .order((categories::active.desc(), categories::name.asc()))
        .select(CategoryRow::as_select())
        .load(conn)
}

/// The categories a case may be given now.
pub fn list_active(conn: &mut DbConnection) -> QueryResult<Vec<CategoryRow>> {
    categories::table
        .filter(categories::active.eq(true))
        .order(categories::name.asc())
        .select(CategoryRow::as_select())
        .load(conn)
}

pub fn find(conn: &mut DbConnection, id: CategoryId) -> QueryResult<Option<CategoryRow>> {
    categories::table
        .find(id)
        .select(CategoryRow::as_select())
        .first_row(conn)
        .optional()
}

/// Is `name` already used, ignoring case, by another category? (`except` is the one being
/// edited.)
pub fn name_taken(
    conn: &mut DbConnection,
    name: &str,
    except: Option<CategoryId>,
) -> QueryResult<bool> {
    let others = categories::table
        .filter(categories::id.ne(except.unwrap_or(CategoryId(-1))))
        .select(categories::name)
        .load::<String>(conn)?;
    Ok(name_in(&others, name))
}

pub fn insert(conn: &mut DbConnection, new: &NewCategory<'_>) -> QueryResult<CategoryRow> {
    diesel::insert_into(categories::table)
        .values(new)
        .returning(categories::all_columns)
        .get_result(conn)
}

pub fn update(
    conn: &mut DbConnection,
    id: CategoryId,
    changes: &CategoryChanges<'_>,
) -> QueryResult<usize> {
    diesel::update(categories::table.find(id))
        .set(changes)
        .execute(conn)
}
