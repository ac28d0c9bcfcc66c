//! Legal holds and anonymisation (issue 30): the `case_privacy` row of a case, the closed
//! cases retention looks at, and the statements that remove a case's personal data.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{
    approval_requests, attachments, case_events, case_privacy, cases, complainants,
    complaint_points, contact_restrictions, decisions, findings, incoming_email_files,
    incoming_emails, letters, ombudsman_contacts, ombudsman_evidence_requests, ombudsman_findings,
    outbox, properties, representatives, stage_outcomes,
};
use super::DbConnection;
use crate::db::literal_limit::FirstRow;
use crate::domain::{CaseId, ComplainantId, PropertyId, Status, UserId};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = case_privacy)]
pub struct PrivacyRow {
    pub case_id: CaseId,
    pub legal_hold_reason: Option<String>,
    pub legal_hold_by: Option<UserId>,
    pub legal_hold_at: Option<NaiveDateTime>,
    pub anonymised_at: Option<NaiveDateTime>,
    pub version: i32,
}

impl PrivacyRow {
    pub fn held(&self) -> bool {
        self.legal_hold_reason.is_some()
    }
}

pub fn find(conn: &mut DbConnection, case: CaseId) -> QueryResult<Option<PrivacyRow>> {
    case_privacy::table
        .find(case)
        .select(PrivacyRow::as_select())
        .first_row(conn)
        .optional()
}

/// Makes sure `case` has a row (version 1, nothing set).
fn ensure(conn: &mut DbConnection, case: CaseId) -> QueryResult<()> {
    if find(conn, case)?.is_none() {
        diesel::insert_into(case_privacy::table)
            .values((case_privacy::case_id.eq(case), case_privacy::version.eq(1)))
            .execute(conn)?;
    }
    Ok(())
}

/// Places (`Some(reason)`) or lifts (`None`) the legal hold, if the row is still at
/// `seen_version` (a case without a row is at version 1). Gives the rows changed (0: stale).
pub fn set_hold(
    conn: &mut DbConnection,
    case: CaseId,
    reason: Option<&str>,
    by: UserId,
    at: NaiveDateTime,
    seen_version: i32,
) -> QueryResult<usize> {
    ensure(conn, case)?;
    diesel::update(
        case_privacy::table
            .find(case)
            .filter(case_privacy::version.eq(seen_version)),
    )
    .set((
        case_privacy::legal_hold_reason.eq(reason),
        case_privacy::legal_hold_by.eq(reason.map(|_| by)),
        case_privacy::legal_hold_at.eq(reason.map(|_| at)),
        case_privacy::version.eq(seen_version + 1),
    ))
    .execute(conn)
}

/// A closed case that still has its personal data, with what retention needs to know.
#[derive(Debug, Clone)]
pub struct ClosedCaseRow {
    pub id: CaseId,
    pub reference: String,
    pub closed_on: NaiveDate,
    pub outcome: Option<String>,
    pub legal_hold: bool,
    pub open_ombudsman_contact: bool,
}

/// Every closed case not yet anonymised, oldest closure first.
pub fn closed_not_anonymised(conn: &mut DbConnection) -> QueryResult<Vec<ClosedCaseRow>> {
    let rows: Vec<(CaseId, String, Status, Option<NaiveDateTime>)> = cases::table
        .filter(cases::closed_at.is_not_null())
        .order((cases::closed_at.asc(), cases::id.asc()))
        .select((cases::id, cases::reference, cases::status, cases::closed_at))
        .load(conn)?;
    let privacy: HashMap<CaseId, PrivacyRow> = case_privacy::table
        .select(PrivacyRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|p| (p.case_id, p))
        .collect();
    let with_ombudsman: HashSet<CaseId> = ombudsman_contacts::table
        .filter(ombudsman_contacts::closed_on.is_null())
        .select(ombudsman_contacts::case_id)
        .load::<CaseId>(conn)?
        .into_iter()
        .collect();
    // The last response's outcome (stage outcomes in the order recorded).
    let mut outcomes: HashMap<CaseId, String> = HashMap::new();
    for (case, outcome) in stage_outcomes::table
        .order(stage_outcomes::id.asc())
        .select((stage_outcomes::case_id, stage_outcomes::outcome))
        .load::<(CaseId, String)>(conn)?
    {
        outcomes.insert(case, outcome);
    }
    Ok(rows
        .into_iter()
        .filter(|(_, _, status, _)| !status.is_open())
        .filter_map(|(id, reference, _, closed_at)| {
            let p = privacy.get(&id);
            if p.is_some_and(|p| p.anonymised_at.is_some()) {
                return None;
            }
            Some(ClosedCaseRow {
                id,
                reference,
                closed_on: crate::clock::london_date_of(closed_at?),
                outcome: outcomes.get(&id).cloned(),
                legal_hold: p.is_some_and(PrivacyRow::held),
                open_ombudsman_contact: with_ombudsman.contains(&id),
            })
        })
        .collect())
}

/// Files kept in the attachments store that an anonymisation leaves without a row: removed
/// from disk once the transaction has committed.
#[derive(Debug, Default)]
pub struct Removed {
    pub storage_keys: Vec<String>,
    pub notes: usize,
    pub letters: usize,
    pub attachments: usize,
    pub emails: usize,
    pub outbox: usize,
}

const NAME_REMOVED: &str = "Name removed";

/// Removes the personal data of case `id` (the caller holds the transaction and writes the
/// timeline and audit lines). `rewrite_event` gives each event's detail and summary without
/// personal data.
pub fn remove_personal_data(
    conn: &mut DbConnection,
    id: CaseId,
    rewrite_event: impl Fn(&str) -> Option<(String, String)>,
    now: NaiveDateTime,
) -> QueryResult<Removed> {
    let mut removed = Removed::default();
    let (complainant, property): (ComplainantId, Option<PropertyId>) = cases::table
        .find(id)
        .select((cases::complainant_id, cases::property_id))
        .first_row(conn)?;
    let complainant_email: Option<String> = complainants::table
        .find(complainant)
        .select(complainants::email)
        .first_row(conn)?;

    // The complainant: in place when this is their only case, else a stand-in for this case.
    let cases_of_complainant: i64 = cases::table
        .filter(cases::complainant_id.eq(complainant))
        .count()
        .get_result(conn)?;
    let anonymous = (
        complainants::name.eq(NAME_REMOVED),
        complainants::email.eq(None::<String>),
        complainants::phone.eq(None::<String>),
        complainants::address.eq(None::<String>),
        complainants::postcode.eq(None::<String>),
        complainants::adjustments.eq(""),
        complainants::interpreter_language.eq(None::<String>),
        complainants::vulnerability_notes.eq(None::<String>),
        complainants::updated_at.eq(now),
    );
    if cases_of_complainant <= 1 {
        diesel::update(complainants::table.find(complainant))
            .set(anonymous)
            .execute(conn)?;
    } else {
        let (channel, tenancy): (String, String) = complainants::table
            .find(complainant)
            .select((
                complainants::preferred_channel,
                complainants::tenancy_relationship,
            ))
            .first_row(conn)?;
        let stand_in: ComplainantId = diesel::insert_into(complainants::table)
            .values((
                anonymous,
                complainants::preferred_channel.eq(channel),
                complainants::tenancy_relationship.eq(tenancy),
                complainants::created_at.eq(now),
            ))
            .returning(complainants::id)
            .get_result(conn)?;
        diesel::update(cases::table.find(id))
            .set(cases::complainant_id.eq(stand_in))
            .execute(conn)?;
    }

    // The property's address: unlinked, and gone when no other case names it.
    if let Some(property) = property {
        diesel::update(cases::table.find(id))
            .set(cases::property_id.eq(None::<PropertyId>))
            .execute(conn)?;
        let others: i64 = cases::table
            .filter(cases::property_id.eq(property))
            .count()
            .get_result(conn)?;
        if others == 0 {
            diesel::delete(properties::table.find(property)).execute(conn)?;
        }
    }

    // What the resident wrote.
    diesel::update(cases::table.find(id))
        .set((cases::description.eq(""), cases::outcome_sought.eq("")))
        .execute(conn)?;
    diesel::update(complaint_points::table.filter(complaint_points::case_id.eq(id)))
        .set(complaint_points::text.eq(""))
        .execute(conn)?;
    diesel::delete(representatives::table.filter(representatives::case_id.eq(id))).execute(conn)?;
    // Markings for subject access: their reasons may name people, and the items go too.
    diesel::delete(
        crate::db::schema::personal_data_markings::table
            .filter(crate::db::schema::personal_data_markings::case_id.eq(id)),
    )
    .execute(conn)?;

    // The timeline: each event without what people wrote.
    let events: Vec<(crate::domain::CaseEventId, String, String)> = case_events::table
        .filter(case_events::case_id.eq(id))
        .select((case_events::id, case_events::kind, case_events::detail))
        .load(conn)?;
    for (event, kind, detail) in events {
        if kind == "note" {
            removed.notes += 1;
        }
        let (detail, summary) = rewrite_event(&detail).unwrap_or_default();
        diesel::update(case_events::table.filter(case_events::id.eq(event)))
            .set((
                case_events::detail.eq(detail),
                case_events::summary.eq(summary),
            ))
            .execute(conn)?;
    }

    // Decisions and findings: the outcome and the amounts stay, the words go.
    diesel::update(decisions::table.filter(decisions::case_id.eq(id)))
        .set((
            decisions::summary.eq(""),
            decisions::check_comment.eq(None::<String>),
        ))
        .execute(conn)?;
    let decision_ids = decisions::table
        .filter(decisions::case_id.eq(id))
        .select(decisions::id);
    diesel::update(findings::table.filter(findings::decision_id.eq_any(decision_ids)))
        .set(findings::reasons.eq(""))
        .execute(conn)?;
    diesel::update(contact_restrictions::table.filter(contact_restrictions::case_id.eq(id)))
        .set((
            contact_restrictions::what.eq(""),
            contact_restrictions::reason.eq(""),
            contact_restrictions::decline_reason.eq(None::<String>),
            contact_restrictions::end_reason.eq(None::<String>),
        ))
        .execute(conn)?;
    diesel::update(approval_requests::table.filter(approval_requests::case_id.eq(id)))
        .set((
            approval_requests::reason.eq(""),
            approval_requests::comment.eq(None::<String>),
        ))
        .execute(conn)?;

    // Letters: kind, stage, dates and how they went stay; the words and the addressee go.
    removed.letters = diesel::update(letters::table.filter(letters::case_id.eq(id)))
        .set((
            letters::body.eq(""),
            letters::details.eq("{}"),
            letters::recipient_name.eq(None::<String>),
            letters::recipient_address.eq(None::<String>),
            letters::recipient_email.eq(None::<String>),
            letters::frozen_html.eq(None::<String>),
            letters::frozen_text.eq(None::<String>),
            letters::copy_attachment_id.eq(None::<i32>),
        ))
        .execute(conn)?;
    removed.outbox = diesel::update(outbox::table.filter(outbox::case_id.eq(id)))
        .set((
            outbox::recipient.eq(""),
            outbox::subject.eq(""),
            outbox::body_text.eq(""),
            outbox::body_html.eq(None::<String>),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)?;

    // Evidence files: rows deleted, files removed after commit.
    let files: Vec<String> = attachments::table
        .filter(attachments::case_id.eq(id))
        .select(attachments::storage_key)
        .load(conn)?;
    removed.attachments = files.len();
    removed.storage_keys.extend(files);
    diesel::delete(attachments::table.filter(attachments::case_id.eq(id))).execute(conn)?;

    // Emails added to the case, and quarantined ones from the complainant's address.
    let mut email_ids: Vec<i32> = incoming_emails::table
        .filter(incoming_emails::case_id.eq(id))
        .select(incoming_emails::id)
        .load(conn)?;
    if let Some(address) = complainant_email.filter(|a| !a.trim().is_empty()) {
        let quarantined: Vec<(i32, String)> = incoming_emails::table
            .filter(incoming_emails::case_id.is_null())
            .filter(incoming_emails::status.eq(super::incoming_emails::QUARANTINED))
            .select((incoming_emails::id, incoming_emails::from_address))
            .load(conn)?;
        email_ids.extend(
            quarantined
                .into_iter()
                .filter(|(_, from)| from.trim().eq_ignore_ascii_case(address.trim()))
                .map(|(e, _)| e),
        );
    }
    removed.emails = email_ids.len();
    let originals: Vec<String> = incoming_emails::table
        .filter(incoming_emails::id.eq_any(&email_ids))
        .select(incoming_emails::eml_key)
        .load(conn)?;
    removed
        .storage_keys
        .extend(originals.into_iter().filter(|k| !k.is_empty()));
    let email_files: Vec<String> = incoming_email_files::table
        .filter(incoming_email_files::email_id.eq_any(&email_ids))
        .select(incoming_email_files::storage_key)
        .load(conn)?;
    removed
        .storage_keys
        .extend(email_files.into_iter().filter(|k| !k.is_empty()));
    diesel::delete(
        incoming_email_files::table.filter(incoming_email_files::email_id.eq_any(&email_ids)),
    )
    .execute(conn)?;
    diesel::update(incoming_emails::table.filter(incoming_emails::id.eq_any(&email_ids)))
        .set((
            incoming_emails::from_address.eq(""),
            incoming_emails::from_name.eq(""),
            incoming_emails::subject.eq(""),
            incoming_emails::body_text.eq(""),
            incoming_emails::quoted_text.eq(""),
            incoming_emails::reason.eq(None::<String>),
            incoming_emails::eml_key.eq(""),
            incoming_emails::eml_sha256.eq(""),
            incoming_emails::eml_size.eq(0i64),
        ))
        .execute(conn)?;

    // The Housing Ombudsman's contacts (all closed, or the case would have been kept).
    let contact_ids = ombudsman_contacts::table
        .filter(ombudsman_contacts::case_id.eq(id))
        .select(ombudsman_contacts::id);
    diesel::update(ombudsman_contacts::table.filter(ombudsman_contacts::case_id.eq(id)))
        .set((
            ombudsman_contacts::contact_name.eq(""),
            ombudsman_contacts::notes.eq(""),
            ombudsman_contacts::determination_summary.eq(None::<String>),
            ombudsman_contacts::review_outcome.eq(None::<String>),
        ))
        .execute(conn)?;
    diesel::update(
        ombudsman_evidence_requests::table
            .filter(ombudsman_evidence_requests::contact_id.eq_any(contact_ids)),
    )
    .set((
        ombudsman_evidence_requests::asked.eq(""),
        ombudsman_evidence_requests::sent_summary.eq(None::<String>),
    ))
    .execute(conn)?;
    let contact_ids = ombudsman_contacts::table
        .filter(ombudsman_contacts::case_id.eq(id))
        .select(ombudsman_contacts::id);
    diesel::update(
        ombudsman_findings::table.filter(ombudsman_findings::contact_id.eq_any(contact_ids)),
    )
    .set(ombudsman_findings::reasons.eq(""))
    .execute(conn)?;

    ensure(conn, id)?;
    diesel::update(case_privacy::table.find(id))
        .set((
            case_privacy::anonymised_at.eq(Some(now)),
            case_privacy::legal_hold_reason.eq(None::<String>),
            case_privacy::version.eq(case_privacy::version + 1),
        ))
        .execute(conn)?;
    Ok(removed)
}
