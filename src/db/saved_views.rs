//! A user's saved work-list views (issue 24): a name and the list's canonical query string.
//! Every read and write names the owner, so one user can never reach another's view.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::saved_views;
use super::DbConnection;
use crate::db::literal_limit::FirstRow;
use crate::domain::UserId;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = saved_views)]
pub struct SavedView {
    pub id: i32,
    pub owner_id: UserId,
    pub name: String,
    /// The `/cases` query string, without the `?`; empty for the owner's default list.
    pub query: String,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = saved_views)]
struct NewView<'a> {
    owner_id: UserId,
    name: &'a str,
    query: &'a str,
    created_at: NaiveDateTime,
}

/// The owner's views, by name.
pub fn list_for(conn: &mut DbConnection, owner: UserId) -> QueryResult<Vec<SavedView>> {
    saved_views::table
        .filter(saved_views::owner_id.eq(owner))
        .order(saved_views::name.asc())
        .select(SavedView::as_select())
        .load(conn)
}

/// The view `id`, if `owner` owns it.
pub fn find(conn: &mut DbConnection, owner: UserId, id: i32) -> QueryResult<Option<SavedView>> {
    saved_views::table
        .filter(saved_views::id.eq(id))
        .filter(saved_views::owner_id.eq(owner))
        .select(SavedView::as_select())
        .first_row(conn)
        .optional()
}

/// Whether `owner` has a view called `name` other than `except`.
pub fn name_taken(
    conn: &mut DbConnection,
    owner: UserId,
    name: &str,
    except: Option<i32>,
) -> QueryResult<bool> {
    let mut query = saved_views::table
        .filter(saved_views::owner_id.eq(owner))
        .filter(saved_views::name.eq(name))
        .into_boxed();
    if let Some(id) = except {
        query = query.filter(saved_views::id.ne(id));
    }
    Ok(query.count().get_result::<i64>(conn)? > 0)
}

pub fn create(
    conn: &mut DbConnection,
    owner: UserId,
    name: &str,
    query: &str,
    now: NaiveDateTime,
) -> QueryResult<i32> {
    diesel::insert_into(saved_views::table)
        .values(&NewView {
            owner_id: owner,
            name,
            query,
            created_at: now,
        })
        .returning(saved_views::id)
        .get_result(conn)
}

/// Renames `owner`'s view `id`; 0 when they have no such view.
pub fn rename(conn: &mut DbConnection, owner: UserId, id: i32, name: &str) -> QueryResult<usize> {
    diesel::update(
        saved_views::table
            .filter(saved_views::id.eq(id))
            .filter(saved_views::owner_id.eq(owner)),
    )
    .set(saved_views::name.eq(name))
    .execute(conn)
}

/// Deletes `owner`'s view `id`; 0 when they have no such view.
pub fn delete(conn: &mut DbConnection, owner: UserId, id: i32) -> QueryResult<usize> {
    diesel::delete(
        saved_views::table
            .filter(saved_views::id.eq(id))
            .filter(saved_views::owner_id.eq(owner)),
    )
    .execute(conn)
}
