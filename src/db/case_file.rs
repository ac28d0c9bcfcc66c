//! The queries behind the case page's read model ([`crate::cases::page`]): each loads one
//! kind of record for the whole case at once, where the page once asked row by row.

use diesel::prelude::*;

use super::decisions::{DecisionRow, RemedyRow};
use super::schema::{categories, contractors, decisions, findings, remedies, service_areas};
use super::DbConnection;
use crate::db::one_of::one_of;
use crate::domain::{CategoryId, ContractorId, ServiceAreaId};

/// The names of the reference data a case points at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferenceNames {
    pub service_area: Option<String>,
    pub category: Option<String>,
    pub contractor: Option<String>,
}

/// The names of `area`, `category` and `contractor`, in one query (none of them may be set).
pub fn reference_names(
    conn: &mut DbConnection,
    area: Option<ServiceAreaId>,
    category: Option<CategoryId>,
    contractor: Option<ContractorId>,
) -> QueryResult<ReferenceNames> {
    // Three scalar subqueries in one round trip: the same on SQLite and PostgreSQL.
    let area_name = service_areas::table
        .filter(service_areas::id.nullable().eq(area))
        .select(service_areas::name)
        .single_value();
    let category_name = categories::table
        .filter(categories::id.nullable().eq(category))
        .select(categories::name)
        .single_value();
    let contractor_name = contractors::table
        .filter(contractors::id.nullable().eq(contractor))
        .select(contractors::name)
        .single_value();
    let (service_area, category, contractor) = diesel::select((
        area_name,
        category_name,
        contractor_name,
    ))
    .get_result::<(Option<String>, Option<String>, Option<String>)>(conn)?;
    Ok(ReferenceNames {
        service_area,
        category,
        contractor,
    })
}

/// Every decision of the case (one per stage), oldest stage first.
pub fn decisions_of(
    conn: &mut DbConnection,
    case: crate::domain::CaseId,
) -> QueryResult<Vec<DecisionRow>> {
    decisions::table
        .filter(decisions::case_id.eq(case))
        .order(decisions::id)
        .select(DecisionRow::as_select())
        .load(conn)
}

/// The findings of `decision_ids`: `(decision, point number, finding, reasons)`.
pub fn findings_of(
    conn: &mut DbConnection,
    decision_ids: &[i32],
) -> QueryResult<Vec<(i32, i32, String, String)>> {
    findings::table
        .filter(one_of(findings::decision_id, decision_ids))
        .order((findings::decision_id, findings::point_number))
        .select((
            findings::decision_id,
            findings::point_number,
            findings::finding,
            findings::reasons,
        ))
        .load(conn)
}

/// The remedies of `decision_ids`, in the order they were recorded.
pub fn remedies_of(conn: &mut DbConnection, decision_ids: &[i32]) -> QueryResult<Vec<RemedyRow>> {
    remedies::table
        .filter(one_of(remedies::decision_id, decision_ids))
        .order(remedies::id)
        .select(RemedyRow::as_select())
        .load(conn)
}
