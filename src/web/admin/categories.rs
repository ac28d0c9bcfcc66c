//! Complaint categories: a name and whether new cases may be given it.

use chrono::NaiveDateTime;
use diesel::QueryResult;

use super::reference_data::{Item, Kind, ReferenceData, Values};
use crate::db::categories::{self, CategoryChanges, CategoryRow, NewCategory};
use crate::db::DbConnection;
use crate::domain::CategoryId;

pub struct Categories;

fn item(row: CategoryRow) -> Item {
    Item {
        id: row.id.0,
        name: row.name,
        contact_email: None,
        active: row.active,
    }
}

impl ReferenceData for Categories {
    const KIND: &'static Kind = &Kind {
        path: "/admin/categories",
        noun: "category",
        plural: "categories",
        title: "Category",
        plural_title: "Categories",
        created_action: "category_created",
        updated_action: "category_updated",
        has_email: false,
    };

    fn list(conn: &mut DbConnection) -> QueryResult<Vec<Item>> {
        Ok(categories::list_all(conn)?.into_iter().map(item).collect())
    }

    fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Item>> {
        Ok(categories::find(conn, CategoryId(id))?.map(item))
    }

    fn name_taken(conn: &mut DbConnection, name: &str, except: Option<i32>) -> QueryResult<bool> {
        categories::name_taken(conn, name, except.map(CategoryId))
    }

    fn insert(conn: &mut DbConnection, values: &Values, now: NaiveDateTime) -> QueryResult<i32> {
        let new = NewCategory {
            name: &values.name,
            active: values.active,
            created_at: now,
            updated_at: now,
        };
        Ok(categories::insert(conn, &new)?.id.0)
    }

    fn update(
        conn: &mut DbConnection,
        id: i32,
        values: &Values,
        now: NaiveDateTime,
    ) -> QueryResult<usize> {
        let changes = CategoryChanges {
            name: &values.name,
            active: values.active,
            updated_at: now,
        };
        categories::update(conn, CategoryId(id), &changes)
    }
}
