//! Category, contractor, service area and property (officers, any time). Reports read these
//! from the case row, so they follow; outcomes already recorded keep what they froze. The
//! service area is in the lifecycle state; a case assigned to a manager who is not a member
//! of the new area is refused with a request to reassign it (assignment sets both).

use chrono::NaiveDateTime;

use super::decided;
use crate::cases::load::LoadedCase;
use crate::cases::transition::{CaseError, Decided, Rules};
use crate::db::{cases, categories, complainants, contractors, service_areas, users, DbConnection};
use crate::domain::case::{Correction, Named, PrivateField};
use crate::domain::{CategoryId, ContractorId, PropertyId, ServiceAreaId};

/// The property as typed: one address line and a postcode (both empty: no property).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyInput {
    pub address: String,
    pub postcode: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    pub category: Option<CategoryId>,
    pub contractor: Option<ContractorId>,
    pub service_area: Option<ServiceAreaId>,
    pub property: Option<PropertyInput>,
}

/// What the checks before the transaction found: the names the timeline reads, the
/// property the address names (if it exists already).
pub struct Looked {
    current: CurrentNames,
    category: Option<String>,
    contractor: Option<String>,
    area: Option<Named<ServiceAreaId>>,
    property: Option<PropertyId>,
}

fn unknown(field: &str, what: &'static str) -> CaseError {
    CaseError::Refused(crate::domain::Refusal::UnknownChoice {
        field: field.to_string(),
        what,
    })
}

/// Checks the choices name things in use (or already on the case) and the area fits the
/// assigned manager, before the transaction.
pub fn look_up(
    conn: &mut DbConnection,
    case: &LoadedCase,
    wanted: &Classification,
) -> Result<Looked, CaseError> {
    let row = &case.row;
    let category = match wanted.category {
        Some(id) => Some(
            categories::find(conn, id)?
                .filter(|c| c.active || row.category_id == Some(id))
                .ok_or_else(|| unknown("category", "a category"))?
                .name,
        ),
        None => None,
    };
    let contractor = match wanted.contractor {
        Some(id) => Some(
            contractors::find(conn, id)?
                .filter(|c| c.active || row.contractor_id == Some(id))
                .ok_or_else(|| unknown("contractor", "a contractor"))?
                .name,
        ),
        None => None,
    };
    let area = match wanted.service_area {
        Some(id) => {
            let area = service_areas::find(conn, id)?
                .filter(|a| a.active || row.service_area_id == Some(id))
                .ok_or_else(|| unknown("service-area", "a service area"))?;
            if let Some(manager) = row.assignee_id {
                if row.service_area_id != Some(id)
                    && !users::service_area_ids(conn, manager)?.contains(&id)
                {
                    let name = users::find(conn, manager)?
                        .map(|u| u.display_name)
                        .unwrap_or_default();
                    return Err(CaseError::Invalid(format!(
                        "The case is assigned to {name}, who is not a member of {}: reassign the case to a manager in {} instead (Assign to a manager)",
                        area.name, area.name
                    )));
                }
            }
            Some(Named {
                id,
                name: area.name,
            })
        }
        None => None,
    };
    let property = match &wanted.property {
        Some(p) => complainants::find_property_by_address(conn, &p.address, &p.postcode)?,
        None => None,
    };
    Ok(Looked {
        current: current_names(conn, case)?,
        category,
        contractor,
        area,
        property,
    })
}

pub fn decide(
    case: &LoadedCase,
    wanted: Classification,
    looked: Looked,
    rules: &Rules<'_>,
    now: NaiveDateTime,
) -> Result<Decided, CaseError> {
    let row = &case.row;
    let current_names = looked.current;
    let mut changes = Vec::new();
    if row.category_id != wanted.category {
        changes.push(Correction::Category {
            from: current_names.category,
            to: looked.category.clone(),
        });
    }
    if row.contractor_id != wanted.contractor {
        changes.push(Correction::Contractor {
            from: current_names.contractor,
            to: looked.contractor.clone(),
        });
    }
    if let Some(area) = looked.area.clone() {
        if row.service_area_id != Some(area.id) {
            changes.push(Correction::ServiceArea {
                from: current_names.area,
                to: area,
            });
        }
    }
    let property_changes = match (&wanted.property, row.property_id) {
        (None, None) => false,
        (None, Some(_)) => true,
        (Some(_), current) => looked.property.is_none() || looked.property != current,
    };
    if property_changes {
        changes.push(Correction::Private {
            which: PrivateField::Property,
        });
    }
    decided(
        case,
        changes,
        rules,
        Box::new(move |conn, id| {
            let property = match &wanted.property {
                Some(p) => Some(complainants::find_or_create_property(
                    conn,
                    &p.address,
                    &p.postcode,
                    now,
                )?),
                None => None,
            };
            cases::set_classification(conn, id, wanted.category, wanted.contractor, property)
        }),
    )
}

/// The names of what the case has now, for the timeline's "from".
#[derive(Debug, Clone, Default)]
pub struct CurrentNames {
    pub category: Option<String>,
    pub contractor: Option<String>,
    pub area: Option<Named<ServiceAreaId>>,
}

fn current_names(conn: &mut DbConnection, case: &LoadedCase) -> Result<CurrentNames, CaseError> {
    let row = &case.row;
    Ok(CurrentNames {
        category: match row.category_id {
            Some(id) => categories::find(conn, id)?.map(|c| c.name),
            None => None,
        },
        contractor: match row.contractor_id {
            Some(id) => contractors::find(conn, id)?.map(|c| c.name),
            None => None,
        },
        area: match row.service_area_id {
            Some(id) => service_areas::find(conn, id)?.map(|a| Named { id, name: a.name }),
            None => None,
        },
    })
}
