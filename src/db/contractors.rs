//! Queries about the contractors the landlord uses.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::contractors;
use super::{name_in, DbConnection};
use crate::db::literal_limit::FirstRow;
use crate::domain::ContractorId;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = contractors)]
pub struct ContractorRow {
    pub id: ContractorId,
    pub name: String,
    pub contact_email: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = contractors)]
pub struct NewContractor<'a> {
    pub name: &'a str,
    pub contact_email: Option<&'a str>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = contractors, treat_none_as_null = true)]
pub struct ContractorChanges<'a> {
    pub name: &'a str,
    pub contact_email: Option<&'a str>,
    pub active: bool,
    pub updated_at: NaiveDateTime,
}

/// Every contractor, those in use first, then by name.
pub fn list_all(conn: &mut DbConnection) -> QueryResult<Vec<ContractorRow>> {
    contractors::table
        .order((contractors::active.desc(), contractors::name.asc()))
        .select(ContractorRow::as_select())
        .load(conn)
}

/// The contractors a case may name now.
pub fn list_active(conn: &mut DbConnection) -> QueryResult<Vec<ContractorRow>> {
    contractors::table
        .filter(contractors::active.eq(true))
        .order(contractors::name.asc())
        .select(ContractorRow::as_select())
        .load(conn)
}

pub fn find(conn: &mut DbConnection, id: ContractorId) -> QueryResult<Option<ContractorRow>> {
    contractors::table
        .find(id)
        .select(ContractorRow::as_select())
        .first_row(conn)
        .optional()
}

/// Is `name` already used, ignoring case, by another contractor? (`except` is the one being
/// edited.)
pub fn name_taken(
    conn: &mut DbConnection,
    name: &str,
    except: Option<ContractorId>,
) -> QueryResult<bool> {
    let others = contractors::table
        .filter(contractors::id.ne(except.unwrap_or(ContractorId(-1))))
        .select(contractors::name)
        .load::<String>(conn)?;
    Ok(name_in(&others, name))
}

pub fn insert(conn: &mut DbConnection, new: &NewContractor<'_>) -> QueryResult<ContractorRow> {
    diesel::insert_into(contractors::table)
        .values(new)
        .returning(contractors::all_columns)
        .get_result(conn)
}

pub fn update(
    conn: &mut DbConnection,
    id: ContractorId,
    changes: &ContractorChanges<'_>,
) -> QueryResult<usize> {
    diesel::update(contractors::table.find(id))
        .set(changes)
        .execute(conn)
}
