//! Contractors the landlord uses: a name, an optional contact email, and whether cases may
//! name them now.

use chrono::NaiveDateTime;
use diesel::QueryResult;

use super::reference_data::{Item, Kind, ReferenceData, Values};
use crate::db::contractors::{self, ContractorChanges, ContractorRow, NewContractor};
use crate::db::DbConnection;
use crate::domain::ContractorId;

pub struct Contractors;

fn item(row: ContractorRow) -> Item {
    Item {
        id: row.id.0,
        name: row.name,
        contact_email: row.contact_email,
        active: row.active,
    }
}

impl ReferenceData for Contractors {
    const KIND: &'static Kind = &Kind {
        path: "/admin/contractors",
        noun: "contractor",
        plural: "contractors",
        title: "Contractor",
        plural_title: "Contractors",
        created_action: "contractor_created",
        updated_action: "contractor_updated",
        has_email: true,
    };

    fn list(conn: &mut DbConnection) -> QueryResult<Vec<Item>> {
        Ok(contractors::list_all(conn)?.into_iter().map(item).collect())
    }

    fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Item>> {
        Ok(contractors::find(conn, ContractorId(id))?.map(item))
    }

    fn name_taken(conn: &mut DbConnection, name: &str, except: Option<i32>) -> QueryResult<bool> {
        contractors::name_taken(conn, name, except.map(ContractorId))
    }

    fn insert(conn: &mut DbConnection, values: &Values, now: NaiveDateTime) -> QueryResult<i32> {
        let new = NewContractor {
            name: &values.name,
            contact_email: values.contact_email.as_deref(),
            active: values.active,
            created_at: now,
            updated_at: now,
        };
        Ok(contractors::insert(conn, &new)?.id.0)
    }

    fn update(
        conn: &mut DbConnection,
        id: i32,
        values: &Values,
        now: NaiveDateTime,
    ) -> QueryResult<usize> {
        let changes = ContractorChanges {
            name: &values.name,
            contact_email: values.contact_email.as_deref(),
            active: values.active,
            updated_at: now,
        };
        contractors::update(conn, ContractorId(id), &changes)
    }
}
