//! Does an id chosen in a form name a row? Checked by the use-cases before they write, so an
//! unknown id from a tampered or out-of-date select is a form error beside the select, not
//! a foreign-key failure. One check per kind of reference.

use diesel::dsl::exists;
use diesel::prelude::*;

use super::schema::{categories, contractors, properties, service_areas, users};
use super::DbConnection;
use crate::domain::{CategoryId, ContractorId, PropertyId, Refusal, ServiceAreaId, UserId};

/// An id a form refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reference {
    Category(CategoryId),
    Contractor(ContractorId),
    Property(PropertyId),
    ServiceArea(ServiceAreaId),
    User(UserId),
}

impl Reference {
    /// What the select offers, for "Select … from the list".
    pub fn what(self) -> &'static str {
        match self {
            Reference::Category(_) => "a category",
            Reference::Contractor(_) => "a contractor",
            Reference::Property(_) => "a property",
            Reference::ServiceArea(_) => "a service area",
            Reference::User(_) => "a member of staff",
        }
    }
}

pub fn exists_now(conn: &mut DbConnection, reference: Reference) -> QueryResult<bool> {
    match reference {
        Reference::Category(id) => {
            diesel::select(exists(categories::table.find(id))).get_result(conn)
        }
        Reference::Contractor(id) => {
            diesel::select(exists(contractors::table.find(id))).get_result(conn)
        }
        Reference::Property(id) => {
            diesel::select(exists(properties::table.find(id))).get_result(conn)
        }
        Reference::ServiceArea(id) => {
            diesel::select(exists(service_areas::table.find(id))).get_result(conn)
        }
        Reference::User(id) => diesel::select(exists(users::table.find(id))).get_result(conn),
    }
}

/// The refusal for the first of `chosen` (a select's field id and what it posted, if
/// anything) that names nothing.
pub fn first_unknown<F: AsRef<str>>(
    conn: &mut DbConnection,
    chosen: &[(F, Option<Reference>)],
) -> QueryResult<Option<Refusal>> {
    for (field, reference) in chosen {
        if let Some(reference) = reference {
            if !exists_now(conn, *reference)? {
                return Ok(Some(Refusal::UnknownChoice {
                    field: field.as_ref().to_string(),
                    what: reference.what(),
                }));
            }
        }
    }
    Ok(None)
}

/// [`first_unknown`] for a use-case: the refusal as its error (generic, so storage does not
/// depend on the use-cases' error type).
pub fn require_known<F: AsRef<str>, E: From<Refusal> + From<diesel::result::Error>>(
    conn: &mut DbConnection,
    chosen: &[(F, Option<Reference>)],
) -> Result<(), E> {
    match first_unknown(conn, chosen)? {
        Some(refusal) => Err(refusal.into()),
        None => Ok(()),
    }
}
