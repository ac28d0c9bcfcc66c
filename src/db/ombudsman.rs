//! The Ombudsman register's tables (issue 27): contacts, evidence requests, findings and
//! orders. Written by `crate::ombudsman::record`, each write in the transaction that also
//! puts it on the case's timeline and in the audit log.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{
    cases, categories, ombudsman_contacts, ombudsman_evidence_requests, ombudsman_findings,
    ombudsman_orders,
};
use super::DbConnection;
use crate::db::literal_limit::FirstRow;
use crate::db::one_of::one_of;
use crate::domain::{CaseId, CategoryId, ServiceAreaId, UserId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ombudsman_contacts)]
pub struct ContactRow {
    pub id: i32,
    pub case_id: CaseId,
    pub kind: String,
    pub contacted_on: NaiveDate,
    pub ombudsman_reference: String,
    pub contact_name: String,
    pub notes: String,
    pub determined_on: Option<NaiveDate>,
    pub determination_summary: Option<String>,
    pub review_requested_on: Option<NaiveDate>,
    pub review_outcome: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub version: i32,
    pub recorded_by: Option<UserId>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = ombudsman_contacts)]
pub struct NewContact<'a> {
    pub case_id: CaseId,
    pub kind: &'a str,
    pub contacted_on: NaiveDate,
    pub ombudsman_reference: &'a str,
    pub contact_name: &'a str,
    pub notes: &'a str,
    pub recorded_by: Option<UserId>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ombudsman_evidence_requests)]
pub struct EvidenceRequestRow {
    pub id: i32,
    pub contact_id: i32,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
    pub due_basis: String,
    pub asked: String,
    pub sent_on: Option<NaiveDate>,
    pub sent_summary: Option<String>,
    pub sent_attachments: String,
    pub bundle_sha256: Option<String>,
    pub bundle_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

impl EvidenceRequestRow {
    /// The case attachments recorded as sent.
    pub fn attachment_ids(&self) -> Vec<i32> {
        self.sent_attachments
            .split(',')
            .filter_map(|id| id.trim().parse().ok())
            .collect()
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = ombudsman_evidence_requests)]
pub struct NewEvidenceRequest<'a> {
    pub contact_id: i32,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
    pub due_basis: &'a str,
    pub asked: &'a str,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ombudsman_findings)]
pub struct FindingRow {
    pub id: i32,
    pub contact_id: i32,
    pub element: String,
    pub finding: String,
    pub reasons: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ombudsman_orders)]
pub struct OrderRow {
    pub id: i32,
    pub contact_id: i32,
    pub kind: String,
    pub details: String,
    pub amount_pence: Option<i64>,
    pub issued_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub accepted: Option<bool>,
    pub response_reason: Option<String>,
    pub code_paragraph: Option<String>,
    pub completed_on: Option<NaiveDate>,
    pub completion_evidence: Option<String>,
    pub evidence_sent_on: Option<NaiveDate>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = ombudsman_orders)]
pub struct NewOrder<'a> {
    pub contact_id: i32,
    pub kind: &'a str,
    pub details: &'a str,
    pub amount_pence: Option<i64>,
    pub issued_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub accepted: Option<bool>,
    pub response_reason: Option<&'a str>,
    pub code_paragraph: Option<&'a str>,
}

pub fn insert_contact(conn: &mut DbConnection, new: &NewContact<'_>) -> QueryResult<i32> {
    diesel::insert_into(ombudsman_contacts::table)
        .values(new)
        .returning(ombudsman_contacts::id)
        .get_result(conn)
}

pub fn find_contact(conn: &mut DbConnection, id: i32) -> QueryResult<Option<ContactRow>> {
    ombudsman_contacts::table
        .find(id)
        .select(ContactRow::as_select())
        .first_row(conn)
        .optional()
}

pub fn contacts_of_case(conn: &mut DbConnection, case: CaseId) -> QueryResult<Vec<ContactRow>> {
    ombudsman_contacts::table
        .filter(ombudsman_contacts::case_id.eq(case))
        .order(ombudsman_contacts::id)
        .select(ContactRow::as_select())
        .load(conn)
}

/// Takes the contact at `seen_version` and moves it on one version: 0 rows when someone
/// else changed it first (the form is stale).
pub fn bump(
    conn: &mut DbConnection,
    id: i32,
    seen_version: i32,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        ombudsman_contacts::table
            .find(id)
            .filter(ombudsman_contacts::version.eq(seen_version)),
    )
    .set((
        ombudsman_contacts::version.eq(seen_version + 1),
        ombudsman_contacts::updated_at.eq(now),
    ))
    .execute(conn)
}

pub fn set_determination(
    conn: &mut DbConnection,
    id: i32,
    on: NaiveDate,
    summary: &str,
) -> QueryResult<usize> {
    diesel::update(ombudsman_contacts::table.find(id))
        .set((
            ombudsman_contacts::determined_on.eq(Some(on)),
            ombudsman_contacts::determination_summary.eq(Some(summary)),
        ))
        .execute(conn)
}

pub fn set_review(
    conn: &mut DbConnection,
    id: i32,
    on: NaiveDate,
    outcome: &str,
) -> QueryResult<usize> {
    diesel::update(ombudsman_contacts::table.find(id))
        .set((
            ombudsman_contacts::review_requested_on.eq(Some(on)),
            ombudsman_contacts::review_outcome.eq(Some(outcome)),
        ))
        .execute(conn)
}

pub fn set_closed(conn: &mut DbConnection, id: i32, on: NaiveDate) -> QueryResult<usize> {
    diesel::update(ombudsman_contacts::table.find(id))
        .set(ombudsman_contacts::closed_on.eq(Some(on)))
        .execute(conn)
}

pub fn insert_request(conn: &mut DbConnection, new: &NewEvidenceRequest<'_>) -> QueryResult<i32> {
    diesel::insert_into(ombudsman_evidence_requests::table)
        .values(new)
        .returning(ombudsman_evidence_requests::id)
        .get_result(conn)
}

pub fn requests_of(
    conn: &mut DbConnection,
    contacts: &[i32],
) -> QueryResult<Vec<EvidenceRequestRow>> {
    // Most cases have no contact: no round trip for an empty answer (the case page).
    if contacts.is_empty() {
        return Ok(Vec::new());
    }
    ombudsman_evidence_requests::table
        .filter(one_of(ombudsman_evidence_requests::contact_id, contacts))
        .order(ombudsman_evidence_requests::id)
        .select(EvidenceRequestRow::as_select())
        .load(conn)
}

pub fn find_request(
    conn: &mut DbConnection,
    contact: i32,
    id: i32,
) -> QueryResult<Option<EvidenceRequestRow>> {
    ombudsman_evidence_requests::table
        .find(id)
        .filter(ombudsman_evidence_requests::contact_id.eq(contact))
        .select(EvidenceRequestRow::as_select())
        .first_row(conn)
        .optional()
}

pub fn set_sent(
    conn: &mut DbConnection,
    id: i32,
    on: NaiveDate,
    summary: &str,
    attachments: &str,
) -> QueryResult<usize> {
    diesel::update(ombudsman_evidence_requests::table.find(id))
        .set((
            ombudsman_evidence_requests::sent_on.eq(Some(on)),
            ombudsman_evidence_requests::sent_summary.eq(Some(summary)),
            ombudsman_evidence_requests::sent_attachments.eq(attachments),
        ))
        .execute(conn)
}

pub fn set_bundle(
    conn: &mut DbConnection,
    id: i32,
    sha256: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(ombudsman_evidence_requests::table.find(id))
        .set((
            ombudsman_evidence_requests::bundle_sha256.eq(Some(sha256)),
            ombudsman_evidence_requests::bundle_at.eq(Some(at)),
        ))
        .execute(conn)
}

pub fn insert_finding(
    conn: &mut DbConnection,
    contact: i32,
    element: &str,
    finding: &str,
    reasons: &str,
) -> QueryResult<usize> {
    diesel::insert_into(ombudsman_findings::table)
        .values((
            ombudsman_findings::contact_id.eq(contact),
            ombudsman_findings::element.eq(element),
            ombudsman_findings::finding.eq(finding),
            ombudsman_findings::reasons.eq(reasons),
        ))
        .execute(conn)
}

pub fn findings_of(conn: &mut DbConnection, contacts: &[i32]) -> QueryResult<Vec<FindingRow>> {
    ombudsman_findings::table
        .filter(one_of(ombudsman_findings::contact_id, contacts))
        .order(ombudsman_findings::id)
        .select(FindingRow::as_select())
        .load(conn)
}

pub fn insert_order(conn: &mut DbConnection, new: &NewOrder<'_>) -> QueryResult<i32> {
    diesel::insert_into(ombudsman_orders::table)
        .values(new)
        .returning(ombudsman_orders::id)
        .get_result(conn)
}

pub fn orders_of(conn: &mut DbConnection, contacts: &[i32]) -> QueryResult<Vec<OrderRow>> {
    if contacts.is_empty() {
        return Ok(Vec::new());
    }
    ombudsman_orders::table
        .filter(one_of(ombudsman_orders::contact_id, contacts))
        .order(ombudsman_orders::id)
        .select(OrderRow::as_select())
        .load(conn)
}

pub fn find_order(conn: &mut DbConnection, contact: i32, id: i32) -> QueryResult<Option<OrderRow>> {
    ombudsman_orders::table
        .find(id)
        .filter(ombudsman_orders::contact_id.eq(contact))
        .select(OrderRow::as_select())
        .first_row(conn)
        .optional()
}

pub fn set_complied(
    conn: &mut DbConnection,
    id: i32,
    completed_on: NaiveDate,
    evidence: &str,
    evidence_sent_on: Option<NaiveDate>,
) -> QueryResult<usize> {
    diesel::update(ombudsman_orders::table.find(id))
        .set((
            ombudsman_orders::completed_on.eq(Some(completed_on)),
            ombudsman_orders::completion_evidence.eq(Some(evidence)),
            ombudsman_orders::evidence_sent_on.eq(evidence_sent_on),
        ))
        .execute(conn)
}

/// A contact with the facts of its case the register shows and filters on.
#[derive(Debug, Clone, Queryable)]
pub struct RegisterFact {
    pub contact: ContactRow,
    pub reference: String,
    pub assignee_id: Option<UserId>,
    pub service_area_id: Option<ServiceAreaId>,
    pub category_id: Option<CategoryId>,
    pub category: Option<String>,
}

/// Every contact with its case's reference, assignee, area and category, oldest first.
pub fn register(conn: &mut DbConnection) -> QueryResult<Vec<RegisterFact>> {
    ombudsman_contacts::table
        .inner_join(cases::table.left_join(categories::table))
        .order(ombudsman_contacts::id)
        .select((
            ContactRow::as_select(),
            cases::reference,
            cases::assignee_id,
            cases::service_area_id,
            cases::category_id,
            categories::name.nullable(),
        ))
        .load(conn)
}

/// An email filed to a case, as the evidence bundle lists it.
#[derive(Debug, Clone, Queryable)]
pub struct CaseEmail {
    pub id: i32,
    pub from_name: String,
    pub from_address: String,
    pub subject: String,
    pub received_at: NaiveDateTime,
    pub body_text: String,
}

/// The emails filed to `case`, oldest first.
pub fn emails_of_case(conn: &mut DbConnection, case: CaseId) -> QueryResult<Vec<CaseEmail>> {
    use super::schema::incoming_emails as e;
    e::table
        .filter(e::case_id.eq(Some(case)))
        .order(e::received_at.asc())
        .select((
            e::id,
            e::from_name,
            e::from_address,
            e::subject,
            e::received_at,
            e::body_text,
        ))
        .load(conn)
}

/// Something we still owe the Ombudsman by a date, for the daily digest: evidence asked for
/// and not sent, or an order (or complaint handling failure order) not complied with, on a
/// contact still open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owed {
    pub contact_id: i32,
    pub reference: String,
    pub assignee_id: Option<UserId>,
    pub service_area_id: Option<ServiceAreaId>,
    /// `true` for evidence, `false` for an order.
    pub evidence: bool,
    pub due_on: NaiveDate,
}

/// The case facts of one contact: id, case reference, assignee, area.
type ContactOfCase = (i32, String, Option<UserId>, Option<ServiceAreaId>);

/// Everything owed by `until` (overdue included), earliest first.
pub fn owed_by(conn: &mut DbConnection, until: NaiveDate) -> QueryResult<Vec<Owed>> {
    use ombudsman_contacts as c;
    use ombudsman_evidence_requests as r;
    use ombudsman_orders as o;
    let of_case = (
        c::id,
        cases::reference,
        cases::assignee_id,
        cases::service_area_id,
    );
    let evidence: Vec<(ContactOfCase, NaiveDate)> = r::table
        .inner_join(c::table.inner_join(cases::table))
        .filter(r::sent_on.is_null())
        .filter(r::due_on.le(until))
        .filter(c::closed_on.is_null())
        .select((of_case, r::due_on))
        .load(conn)?;
    // A recommendation is accepted or not, never complied with (`OrderKind::must_comply`).
    let orders: Vec<(ContactOfCase, Option<NaiveDate>)> = o::table
        .inner_join(c::table.inner_join(cases::table))
        .filter(o::completed_on.is_null())
        .filter(o::kind.ne("recommendation"))
        .filter(o::due_on.le(until))
        .filter(c::closed_on.is_null())
        .select((of_case, o::due_on))
        .load(conn)?;
    let owed = |evidence: bool| {
        move |((contact_id, reference, assignee_id, service_area_id), due_on): (
            ContactOfCase,
            NaiveDate,
        )| Owed {
            contact_id,
            reference,
            assignee_id,
            service_area_id,
            evidence,
            due_on,
        }
    };
    let mut all: Vec<Owed> = evidence.into_iter().map(owed(true)).collect();
    all.extend(
        orders
            .into_iter()
            .filter_map(|(contact, due)| Some((contact, due?)))
            .map(owed(false)),
    );
    all.sort_by(|a, b| (a.due_on, &a.reference).cmp(&(b.due_on, &b.reference)));
    Ok(all)
}
