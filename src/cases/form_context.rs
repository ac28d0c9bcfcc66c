//! What the case's action forms show beside their fields, so a decision is made with the
//! complaint in view (issue 21): triage shows the complaint itself; the decision form the
//! response deadline, the notes and contacts, and the evidence. Identity through the
//! identity gate, as on the case page.

use chrono::NaiveDate;
use diesel::QueryResult;

use crate::cases::access::{self, Viewer};
use crate::cases::identity::{self, Reader, WITHHELD_NAME};
use crate::cases::load::LoadedCase;
use crate::cases::page::{self, timeline, TimelineEntry, TimelineFilter};
use crate::db::attachments;
use crate::db::complainants;
use crate::db::staff;
use crate::db::DbConnection;
use crate::domain::case::Channel;
use crate::domain::AttachmentId;
use crate::rules::{Calendar, PolicyProfile, Rag, RagThresholds};

/// The complaint as triage needs to see it.
pub struct ComplaintSummary {
    /// The complainant's name, or "Confidential complainant" for a viewer who may not know it.
    pub complainant: String,
    pub description: String,
    pub outcome_sought: String,
    pub channel: Channel,
    pub received_on: NaiveDate,
    pub occurred_on: Option<NaiveDate>,
    pub aware_on: Option<NaiveDate>,
    /// "Health and safety", "Safeguarding", "Confidential".
    pub flags: Vec<&'static str>,
    /// Reasonable adjustments as people read them; empty when the identity is withheld.
    pub adjustments: Vec<String>,
}

/// The complaint of `case` as `reader` may see it on `place` (a confidential complainant's
/// view is audited by the identity gate).
pub fn complaint_summary(
    conn: &mut DbConnection,
    reader: &Reader,
    case: &LoadedCase,
    place: &str,
) -> QueryResult<ComplaintSummary> {
    let row = &case.row;
    let sight = identity::sight(conn, reader, row, place)?;
    let complainant = complainants::find(conn, row.complainant_id)?;
    let (name, adjustments) = match complainant {
        Some(c) if sight.shown() => {
            let name = c.name.clone();
            (name, page::complainant(c).adjustments)
        }
        _ => (WITHHELD_NAME.to_string(), Vec::new()),
    };
    Ok(ComplaintSummary {
        complainant: name,
        description: sight.text(&row.description),
        outcome_sought: sight.text(&row.outcome_sought),
        channel: row.channel,
        received_on: row.received_on,
        occurred_on: row.occurred_on,
        aware_on: row.aware_on,
        flags: page::flags(row),
        adjustments,
    })
}

/// The response due at the case's current stage, as the rules engine has it today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseDue {
    pub due: NaiveDate,
    /// Working days left (negative once overdue).
    pub days_left: i64,
    pub rag: Rag,
    pub extended: bool,
}

/// The current stage's response deadline (the extended one when there is one); `None` when
/// the case has no running clock or the policy sets no response timescale.
pub fn response_due(
    case: &LoadedCase,
    profile: &PolicyProfile,
    calendar: &Calendar,
    today: NaiveDate,
) -> Option<ResponseDue> {
    let clock = crate::cases::schedule::clock_for(&case.state)?;
    let thresholds = RagThresholds::default();
    let schedule = crate::rules::schedule(profile, calendar, &clock, today, &thresholds).ok()?;
    let at_stage = |name: &str| {
        schedule
            .deadlines
            .iter()
            .find(|d| d.stage == clock.stage && d.name == name)
    };
    let (deadline, extended) = match at_stage(crate::rules::deadlines::RESPOND_EXTENDED) {
        Some(d) => (d, true),
        None => (at_stage(crate::rules::deadlines::RESPOND)?, false),
    };
    let (days_left, rag) =
        crate::rules::rag_for(calendar, today, deadline.due, &thresholds).ok()?;
    Some(ResponseDue {
        due: deadline.due,
        days_left,
        rag,
        extended,
    })
}

/// One evidence file as the decision form lists it.
pub struct EvidenceFile {
    pub id: AttachmentId,
    pub file_name: String,
    /// The day it was added, in London.
    pub added_on: NaiveDate,
    pub by: String,
}

/// What the decision form shows beside the decision: the notes and contacts (sensitive ones
/// only to who may read them, identity withheld as on the case page) and the evidence.
pub struct InvestigationRecord {
    /// Newest first.
    pub notes: Vec<TimelineEntry>,
    /// Oldest first.
    pub evidence: Vec<EvidenceFile>,
}

pub fn investigation_record(
    conn: &mut DbConnection,
    viewer: &Viewer<'_>,
    reader: &Reader,
    case: &LoadedCase,
    place: &str,
) -> QueryResult<InvestigationRecord> {
    let sight = identity::sight(conn, reader, &case.row, place)?;
    let (people, _) = timeline::people_in(&case.events);
    let staff = staff::named(conn, &people)?;
    let notes = timeline::entries(
        &case.events,
        TimelineFilter::NotesAndContacts,
        &timeline::TimelineContext {
            staff: &staff,
            areas: &Default::default(),
            sight: &sight,
            sees_sensitive: access::can_see_vulnerability(viewer, &case.row),
        },
    );
    let evidence = attachments::for_case_with_uploader(conn, case.row.id)?
        .into_iter()
        .map(|(a, by)| EvidenceFile {
            id: a.id,
            file_name: a.file_name,
            added_on: a
                .uploaded_at
                .and_utc()
                .with_timezone(&chrono_tz::Europe::London)
                .date_naive(),
            by,
        })
        .collect();
    Ok(InvestigationRecord { notes, evidence })
}
