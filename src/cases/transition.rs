//! Running one domain transition against a stored case, safely:
//! 1. the first statement bumps the case's version where it still equals the version the
//!    user saw — a stale form changes nothing and gets a clear conflict (and on SQLite it
//!    takes the write lock up front, so concurrent writers queue instead of deadlocking);
//! 2. the case is loaded and the transition decided by the domain;
//! 3. the event is appended, the case row re-projected from the new state, the reports'
//!    summary moved with the case's facts (`db::report_summary`), and the audit entry
//!    written — all in the same transaction.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::cases::load::{self, LoadedCase};
use crate::db::audit::{self, AuditEntry};
use crate::db::case_events::{self, Actor};
use crate::db::report_summary;
use crate::db::schema::cases;
use crate::db::DbConnection;
use crate::domain::{CaseEvent, CaseId, CaseState, Refusal, Status, UserId};
use crate::rules::{Calendar, PolicySet, Stage};

#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("{0}")]
    Refused(#[from] Refusal),
    /// A refusal the use-case adds on top of the domain's (e.g. a manager outside the area).
    #[error("{0}")]
    Invalid(String),
    #[error("This case has been changed by someone else since you opened it")]
    Stale,
    #[error("no such case")]
    NotFound,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error("deadlines: {0}")]
    Deadlines(#[from] crate::rules::DeadlineError),
}

/// Who is acting.
pub struct ActingUser<'a> {
    pub id: UserId,
    pub label: &'a str,
    pub ip: Option<&'a str>,
}

/// More writes an action makes in the case's transaction, given the case id.
pub type AfterWrite = Box<dyn FnOnce(&mut DbConnection, CaseId) -> QueryResult<()>>;

/// What the transition produced, and what the use-case wants written besides the event.
pub struct Decided {
    pub state: CaseState,
    pub event: CaseEvent,
    /// The date the event happened (for the timeline), e.g. the acknowledgement date.
    pub occurred_on: NaiveDate,
    /// Extra writes in the same transaction (complaint points, category…), run after the
    /// event is appended.
    pub also: Option<AfterWrite>,
    /// Audit detail beyond the event summary.
    pub audit_detail: String,
    /// Further events the same action records (e.g. the decline letter sent at triage),
    /// each with the date it happened. They must not change the state.
    pub follow_ups: Vec<(CaseEvent, NaiveDate)>,
}

impl Decided {
    pub fn new(state: CaseState, event: CaseEvent, occurred_on: NaiveDate) -> Decided {
        Decided {
            state,
            event,
            occurred_on,
            also: None,
            audit_detail: String::new(),
            follow_ups: Vec::new(),
        }
    }
}

/// The context a transition needs besides the case.
pub struct Rules<'a> {
    pub calendar: &'a Calendar,
    pub policies: &'a PolicySet,
    pub today: NaiveDate,
    /// The instant of the action (for what it writes besides the event, e.g. an email).
    pub now: NaiveDateTime,
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = cases, treat_none_as_null = true)]
struct ProjectionChanges {
    channel: crate::domain::case::Channel,
    received_on: NaiveDate,
    health_and_safety: bool,
    safeguarding: bool,
    status: Status,
    stage: Option<Stage>,
    classification: Option<String>,
    case_officer_id: Option<UserId>,
    assignee_id: Option<UserId>,
    service_area_id: Option<crate::domain::ServiceAreaId>,
    stage_started_on: Option<NaiveDate>,
    acknowledged_on: Option<NaiveDate>,
    next_due_on: Option<NaiveDate>,
    closed_at: Option<NaiveDateTime>,
    duplicate_of_id: Option<CaseId>,
    updated_at: NaiveDateTime,
}

/// Applies `decide` to the case `id` if its version is still `seen_version`.
pub fn apply<F>(
    conn: &mut DbConnection,
    id: CaseId,
    seen_version: i32,
    actor: &ActingUser<'_>,
    rules: &Rules<'_>,
    now: NaiveDateTime,
    decide: F,
) -> Result<LoadedCase, CaseError>
where
    F: FnOnce(&LoadedCase) -> Result<Decided, CaseError>,
{
    conn.transaction(|conn| {
        let bumped = diesel::update(
            cases::table
                .find(id)
                .filter(cases::version.eq(seen_version)),
        )
        .set((
            cases::version.eq(cases::version + 1),
            cases::updated_at.eq(now),
        ))
        .execute(conn)?;
        if bumped == 0 {
            return Err(match crate::db::cases::find(conn, id)? {
                Some(_) => CaseError::Stale,
                None => CaseError::NotFound,
            });
        }
        let loaded = load::by_id(conn, id)?.ok_or(CaseError::NotFound)?;
        // What the case adds to the reports' summary before this action's writes (the case
        // is locked by the version bump above, so only this transaction changes its facts).
        let facts_before = report_summary::facts_of(conn, &[id])?;
        let decided = decide(&loaded)?;
        let profile = rules.policies.get(&loaded.row.policy).ok_or_else(|| {
            CaseError::Invalid(format!(
                "The policy profile `{}` is not loaded",
                loaded.row.policy
            ))
        })?;
        let next_due =
            crate::cases::schedule::next_due(&decided.state, profile, rules.calendar, rules.today)?;
        let projected = crate::cases::projection::Projection::of(&decided.state);
        let closed = projected.closed_on.is_some() && !decided.state.status.is_open();
        diesel::update(cases::table.find(id))
            .set(&ProjectionChanges {
                channel: projected.channel,
                received_on: projected.received_on,
                health_and_safety: projected.health_and_safety,
                safeguarding: projected.safeguarding,
                status: projected.status,
                stage: projected.stage,
                classification: projected.classification.map(str::to_string),
                case_officer_id: projected.case_officer_id,
                assignee_id: projected.assignee_id,
                // An area set on the row before assignment (by an officer) stays.
                service_area_id: projected.service_area_id.or(loaded.row.service_area_id),
                stage_started_on: projected.stage_started_on,
                acknowledged_on: projected.acknowledged_on,
                next_due_on: next_due,
                closed_at: if closed {
                    Some(loaded.row.closed_at.unwrap_or(now))
                } else {
                    None
                },
                duplicate_of_id: projected.duplicate_of_id,
                updated_at: now,
            })
            .execute(conn)?;
        case_events::append(
            conn,
            id,
            &decided.event,
            decided.occurred_on,
            &Actor {
                id: Some(actor.id),
                label: actor.label,
            },
            now,
        )?;
        for (event, on) in &decided.follow_ups {
            case_events::append(
                conn,
                id,
                event,
                *on,
                &Actor {
                    id: Some(actor.id),
                    label: actor.label,
                },
                now,
            )?;
        }
        if let Some(also) = decided.also {
            also(conn, id)?;
        }
        // A response frozen, a stage entered, a date, area, category, contractor or tenure
        // corrected: the summary moves with the case, in this transaction.
        let facts_after = report_summary::facts_of(conn, &[id])?;
        report_summary::record_change(conn, &facts_before, &facts_after)?;
        audit::record(
            conn,
            &AuditEntry::new(
                Some(actor.id),
                actor.label,
                &format!("case_{}", decided.event.kind()),
                format!("case:{}", loaded.row.reference),
                // Ids, dates and field names only: no summary, which can carry free text.
                if decided.audit_detail.is_empty() {
                    decided.event.audit_detail()
                } else {
                    format!("{}; {}", decided.event.audit_detail(), decided.audit_detail)
                },
                actor.ip,
            ),
        )?;
        load::by_id(conn, id)?.ok_or(CaseError::NotFound)
    })
}
