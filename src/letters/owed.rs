//! Which letters are owed, on one case and across the cases a user may see. An open stage
//! owes its acknowledgement until one is recorded (stages 1 and 2), then its decision or
//! response; a drafted extension or decline letter is owed until sent. The deadline is the
//! case's next due date (the acknowledgement's while unacknowledged, then the response's).

use chrono::NaiveDate;
use diesel::prelude::*;

use super::kind::LetterKind;
use crate::db::literal_limit::FirstRow;
use crate::db::one_of::one_of;
use crate::db::schema::{cases, letters};
use crate::db::scope::{visible, Indexes, Visible};
use crate::db::DbConnection;
use crate::domain::Scope;
use crate::domain::{CaseId, CaseState, ServiceAreaId, Status, UserId};
use crate::rules::Stage;

/// One letter owed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owed {
    pub kind: LetterKind,
    /// The stored stage key of the letter (`stage1`…, or `triage` for a decline).
    pub stage_key: String,
    pub due: Option<NaiveDate>,
    /// A draft is saved.
    pub drafted: bool,
}

/// The stage key a letter of `kind` is stored under on a case at `stage`.
pub fn stage_key(kind: LetterKind, stage: Option<Stage>) -> String {
    match kind {
        LetterKind::Decline => "triage".to_string(),
        // Not tied to a stage: a restriction outlives the stage it was imposed at.
        LetterKind::RestrictionNotice => "restriction".to_string(),
        // After the stage they follow, or outliving it.
        LetterKind::EscalationRefusal => super::refusal::STAGE_KEY.to_string(),
        LetterKind::ProgressUpdate => super::progress::STAGE_KEY.to_string(),
        LetterKind::ActionCompleted => super::completed::STAGE_KEY.to_string(),
        _ => kind
            .fixed_stage()
            .or(stage)
            .map(|s| s.key().to_string())
            .unwrap_or_else(|| "triage".to_string()),
    }
}

/// The main letter an open stage owes now, from the case's state.
pub fn main_letter(state: &CaseState) -> Option<LetterKind> {
    if !matches!(
        state.status,
        Status::Stage0Open | Status::Stage1Open | Status::Stage2Open
    ) {
        return None;
    }
    let stage = state.stage?;
    match LetterKind::acknowledgement(stage) {
        Some(ack) if state.acknowledged.get(stage).is_none() => Some(ack),
        _ => Some(LetterKind::response(stage)),
    }
}

/// The letters owed on one case: the main one, and drafted extension or decline letters
/// still applicable. `drafts` are the case's draft letters as `(kind, stage key)`.
pub fn for_case(
    state: &CaseState,
    next_due: Option<NaiveDate>,
    drafts: &[(String, String)],
) -> Vec<Owed> {
    let drafted =
        |kind: LetterKind, key: &str| drafts.iter().any(|(k, s)| k == kind.as_str() && s == key);
    let mut owed = Vec::new();
    if let Some(kind) = main_letter(state) {
        let key = stage_key(kind, state.stage);
        owed.push(Owed {
            kind,
            drafted: drafted(kind, &key),
            stage_key: key,
            due: next_due,
        });
    }
    let open_stage = main_letter(state).is_some();
    if open_stage {
        let key = stage_key(LetterKind::Extension, state.stage);
        if drafted(LetterKind::Extension, &key) {
            owed.push(Owed {
                kind: LetterKind::Extension,
                stage_key: key,
                due: next_due,
                drafted: true,
            });
        }
    }
    if state.status == Status::Received && drafted(LetterKind::Decline, "triage") {
        owed.push(Owed {
            kind: LetterKind::Decline,
            stage_key: "triage".into(),
            due: next_due,
            drafted: true,
        });
    }
    owed
}

/// The case's approved contact restriction whose notice has not been sent since it was
/// approved (a restriction approved after an earlier one's notice owes a new notice).
pub fn restriction_notice(
    conn: &mut DbConnection,
    case: CaseId,
) -> QueryResult<Option<crate::db::restrictions::RestrictionRow>> {
    let Some(restriction) = crate::db::restrictions::approved_for(conn, case)? else {
        return Ok(None);
    };
    let last_sent: Option<chrono::NaiveDateTime> = letters::table
        .filter(letters::case_id.eq(case))
        .filter(letters::kind.eq(LetterKind::RestrictionNotice.as_str()))
        .filter(letters::status.eq(crate::db::letters::SENT))
        .select(diesel::dsl::max(letters::sent_at))
        .first_row(conn)?;
    let approved_at = restriction.decided_at.unwrap_or(restriction.proposed_at);
    Ok(match last_sent {
        Some(sent) if sent >= approved_at => None,
        _ => Some(restriction),
    })
}

/// The restriction notice owed on a case, as an owed letter (due as soon as possible: no
/// policy sets a timescale, so it carries none).
pub fn restriction_owed(
    conn: &mut DbConnection,
    case: CaseId,
    drafts: &[(String, String)],
) -> QueryResult<Option<Owed>> {
    let kind = LetterKind::RestrictionNotice;
    let key = stage_key(kind, None);
    Ok(restriction_notice(conn, case)?.map(|_| Owed {
        kind,
        drafted: drafts.iter().any(|(k, s)| k == kind.as_str() && *s == key),
        stage_key: key,
        due: None,
    }))
}

/// One row of the "letters owed" work list.
#[derive(Debug, Clone)]
pub struct OwedRow {
    pub case_id: CaseId,
    pub reference: String,
    /// Who the case is assigned to and its area: whether a user may write the letter
    /// depends on them as well as on its kind.
    pub assignee: Option<UserId>,
    pub area: Option<ServiceAreaId>,
    pub owed: Owed,
}

type CaseCols = (
    CaseId,
    String,
    Option<UserId>,
    Option<ServiceAreaId>,
    Status,
    Option<Stage>,
    Option<NaiveDate>,
    Option<NaiveDate>,
);

/// Every letter owed on the cases `scope` allows, soonest deadline first (none last).
pub fn list(conn: &mut DbConnection, scope: &Scope) -> QueryResult<Vec<OwedRow>> {
    let mut query = cases::table
        .filter(one_of(
            cases::status,
            [
                Status::Stage0Open,
                Status::Stage1Open,
                Status::Stage2Open,
                Status::Received,
            ],
        ))
        .select((
            cases::id,
            cases::reference,
            cases::assignee_id,
            cases::service_area_id,
            cases::status,
            cases::stage,
            cases::acknowledged_on,
            cases::next_due_on,
        ))
        .into_boxed();
    match visible(scope, Indexes::Use) {
        Visible::Every => {}
        Visible::Only(condition) => query = query.filter(condition),
        Visible::Nothing => return Ok(Vec::new()),
    }
    let rows: Vec<CaseCols> = query.load(conn)?;
    // Every stored draft: few at any time, so one query rather than one per case.
    let drafts: Vec<(CaseId, String, String)> = letters::table
        .filter(letters::status.eq(crate::db::letters::DRAFT))
        .select((letters::case_id, letters::kind, letters::stage))
        .load(conn)?;
    let mut out = Vec::new();
    for (id, reference, assignee, area, status, stage, acknowledged_on, next_due) in rows {
        let received = status == Status::Received;
        let draft_of = |kind: LetterKind| {
            let key = stage_key(kind, stage);
            drafts
                .iter()
                .any(|(c, k, s)| *c == id && k == kind.as_str() && *s == key)
        };
        let mut push = |kind: LetterKind, drafted: bool| {
            out.push(OwedRow {
                case_id: id,
                reference: reference.clone(),
                assignee,
                area,
                owed: Owed {
                    kind,
                    stage_key: stage_key(kind, stage),
                    due: next_due,
                    drafted,
                },
            })
        };
        if received {
            if draft_of(LetterKind::Decline) {
                push(LetterKind::Decline, true);
            }
            continue;
        }
        let Some(stage) = stage else { continue };
        let main = match LetterKind::acknowledgement(stage) {
            Some(ack) if acknowledged_on.is_none() => ack,
            _ => LetterKind::response(stage),
        };
        push(main, draft_of(main));
        if draft_of(LetterKind::Extension) {
            push(LetterKind::Extension, true);
        }
    }
    out.extend(restriction_rows(conn, scope)?);
    out.extend(notice_rows(conn, scope)?);
    out.sort_by(|a, b| match (a.owed.due, b.owed.due) {
        (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.reference.cmp(&b.reference)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.reference.cmp(&b.reference),
    });
    Ok(out)
}

/// How many letters are owed on the cases `scope` allows (for the dashboard): one per open
/// stage, plus drafted extension and decline letters still applicable. Counted in SQL, so it
/// stays cheap with many open cases; agrees with [`list`].
pub fn count(conn: &mut DbConnection, scope: &Scope) -> QueryResult<usize> {
    if *scope == Scope::Nothing {
        return Ok(0);
    }
    const OPEN_STAGES: [Status; 3] = [Status::Stage0Open, Status::Stage1Open, Status::Stage2Open];
    let mut main = cases::table
        .filter(one_of(cases::status, OPEN_STAGES))
        .filter(cases::stage.is_not_null())
        .into_boxed();
    let mut drafts = letters::table
        .inner_join(cases::table)
        .filter(letters::status.eq(crate::db::letters::DRAFT))
        .filter(
            letters::kind
                .eq(LetterKind::Extension.as_str())
                .and(one_of(cases::status, OPEN_STAGES))
                .and(cases::stage.eq(letters::stage.nullable()))
                .or(letters::kind
                    .eq(LetterKind::Decline.as_str())
                    .and(cases::status.eq(Status::Received))),
        )
        .into_boxed();
    if let Visible::Only(condition) = visible(scope, Indexes::Use) {
        main = main.filter(condition);
    }
    if let Visible::Only(condition) = visible(scope, Indexes::Use) {
        drafts = drafts.filter(condition);
    }
    let main: i64 = main.count().get_result(conn)?;
    let drafts: i64 = drafts.count().get_result(conn)?;
    Ok((main + drafts) as usize
        + restriction_rows(conn, scope)?.len()
        + notice_rows(conn, scope)?.len())
}

/// The refusal and action-completed letters owed on one case (no policy sets a timescale
/// for either, so they carry no deadline), and the progress update when `plan` says one is
/// due, with its date.
pub fn notices_owed(
    conn: &mut DbConnection,
    case: &crate::cases::load::LoadedCase,
    drafts: &[(String, String)],
    plan: Option<&super::progress::Plan>,
) -> QueryResult<Vec<Owed>> {
    let owed = |kind: LetterKind, due: Option<NaiveDate>| {
        let key = stage_key(kind, None);
        Owed {
            kind,
            drafted: drafts.iter().any(|(k, s)| k == kind.as_str() && *s == key),
            stage_key: key,
            due,
        }
    };
    let mut out = Vec::new();
    if super::refusal::awaiting_letter(conn, case)?.is_some() {
        out.push(owed(LetterKind::EscalationRefusal, None));
    }
    if !super::completed::unreported(conn, case.row.id)?.is_empty() {
        out.push(owed(LetterKind::ActionCompleted, None));
    }
    if let Some(plan) = plan.filter(|p| p.due) {
        out.push(owed(LetterKind::ProgressUpdate, Some(plan.next_due)));
    }
    Ok(out)
}

/// Runs `each` on every one of `candidates` (in any order, repeats allowed) that `scope`
/// allows, loaded one at a time in id order, so only one case is held at once.
fn each_in_scope(
    conn: &mut DbConnection,
    mut candidates: Vec<CaseId>,
    scope: &Scope,
    mut each: impl FnMut(&mut DbConnection, crate::cases::load::LoadedCase) -> QueryResult<()>,
) -> QueryResult<()> {
    candidates.sort();
    candidates.dedup();
    for id in candidates {
        let Some(case) = crate::cases::load::by_id(conn, id)? else {
            continue;
        };
        if scope.allows(case.row.assignee_id, case.row.service_area_id) {
            each(conn, case)?;
        }
    }
    Ok(())
}

/// The refusal and action-completed letters owed on the cases `scope` allows, open or
/// closed (both follow a closed stage). Only cases with a refusal or a completed action are
/// looked at: few, so each is loaded.
fn notice_rows(conn: &mut DbConnection, scope: &Scope) -> QueryResult<Vec<OwedRow>> {
    use crate::db::schema::{case_events, remedies};
    if *scope == Scope::Nothing {
        return Ok(Vec::new());
    }
    let mut candidates: Vec<CaseId> = case_events::table
        .filter(case_events::kind.eq("escalation_refused"))
        .select(case_events::case_id)
        .distinct()
        .load(conn)?;
    candidates.extend(
        remedies::table
            .filter(remedies::done_on.is_not_null())
            .select(remedies::case_id)
            .distinct()
            .load::<CaseId>(conn)?,
    );
    let mut rows = Vec::new();
    each_in_scope(conn, candidates, scope, |conn, case| {
        let id = case.row.id;
        let drafts: Vec<(String, String)> = letters::table
            .filter(letters::case_id.eq(id))
            .filter(letters::status.eq(crate::db::letters::DRAFT))
            .select((letters::kind, letters::stage))
            .load(conn)?;
        for owed in notices_owed(conn, &case, &drafts, None)? {
            rows.push(OwedRow {
                case_id: id,
                reference: case.row.reference.clone(),
                assignee: case.row.assignee_id,
                area: case.row.service_area_id,
                owed,
            });
        }
        Ok(())
    })?;
    Ok(rows)
}

/// One case whose resident is owed progress updates, for the "Progress updates due" list.
#[derive(Debug, Clone)]
pub struct UpdateRow {
    pub case_id: CaseId,
    pub reference: String,
    pub assignee: Option<UserId>,
    pub case_officer: Option<UserId>,
    pub area: Option<ServiceAreaId>,
    pub plan: super::progress::Plan,
}

/// The cases `scope` allows whose resident is owed progress updates, next update soonest
/// first: the cases with an interval agreed, and when a policy names a default, every case
/// under it with an extension or a completed-response action still to do.
pub fn updates_due(
    conn: &mut DbConnection,
    scope: &Scope,
    policies: &crate::rules::PolicySet,
    calendar: &crate::rules::Calendar,
    today: NaiveDate,
) -> QueryResult<Vec<UpdateRow>> {
    use crate::db::schema::{case_events, remedies};
    if *scope == Scope::Nothing {
        return Ok(Vec::new());
    }
    let mut candidates: Vec<CaseId> = case_events::table
        .filter(case_events::kind.eq("updates_agreed"))
        .select(case_events::case_id)
        .distinct()
        .load(conn)?;
    let defaults: Vec<String> = policies
        .names()
        .into_iter()
        .filter(|n| {
            policies
                .get(n)
                .is_some_and(|p| p.progress_updates_every().is_some())
        })
        .map(str::to_string)
        .collect();
    if !defaults.is_empty() {
        candidates.extend(
            cases::table
                .inner_join(case_events::table)
                .filter(cases::policy.eq_any(&defaults))
                .filter(case_events::kind.eq("extension"))
                .select(cases::id)
                .distinct()
                .load::<CaseId>(conn)?,
        );
        candidates.extend(
            remedies::table
                .inner_join(cases::table)
                .filter(cases::policy.eq_any(&defaults))
                .filter(remedies::done_on.is_null())
                .select(cases::id)
                .distinct()
                .load::<CaseId>(conn)?,
        );
    }
    let mut rows = Vec::new();
    each_in_scope(conn, candidates, scope, |conn, case| {
        if let Some(plan) = super::progress::plan(conn, &case, policies, calendar, today)? {
            rows.push(UpdateRow {
                case_id: case.row.id,
                reference: case.row.reference.clone(),
                assignee: case.row.assignee_id,
                case_officer: case.row.case_officer_id,
                area: case.row.service_area_id,
                plan,
            });
        }
        Ok(())
    })?;
    rows.sort_by(|a, b| {
        a.plan
            .next_due
            .cmp(&b.plan.next_due)
            .then_with(|| a.reference.cmp(&b.reference))
    });
    Ok(rows)
}

/// The progress updates due by `until` on every case, by the people working each case (its
/// investigator and its case officer), soonest first: what their daily digest reminds them
/// of. Worked out once for all the digests of a day.
pub fn updates_by_person(
    conn: &mut DbConnection,
    policies: &crate::rules::PolicySet,
    calendar: &crate::rules::Calendar,
    today: NaiveDate,
    until: NaiveDate,
) -> QueryResult<std::collections::BTreeMap<UserId, Vec<(String, NaiveDate)>>> {
    let mut by_person: std::collections::BTreeMap<UserId, Vec<(String, NaiveDate)>> =
        std::collections::BTreeMap::new();
    for row in updates_due(conn, &Scope::All, policies, calendar, today)? {
        if row.plan.next_due > until {
            continue;
        }
        let mut people: Vec<UserId> = row.assignee.into_iter().chain(row.case_officer).collect();
        people.dedup();
        for person in people {
            by_person
                .entry(person)
                .or_default()
                .push((row.reference.clone(), row.plan.next_due));
        }
    }
    Ok(by_person)
}

/// The restriction notices owed on the cases `scope` allows, on open or closed cases alike
/// (a restriction outlives the stage). Approved restrictions are few, so each is checked.
fn restriction_rows(conn: &mut DbConnection, scope: &Scope) -> QueryResult<Vec<OwedRow>> {
    use crate::db::schema::contact_restrictions;
    if *scope == Scope::Nothing {
        return Ok(Vec::new());
    }
    let approved: Vec<(CaseId, String, Option<UserId>, Option<ServiceAreaId>)> =
        contact_restrictions::table
            .inner_join(cases::table)
            .filter(contact_restrictions::status.eq(crate::db::restrictions::APPROVED))
            .select((
                cases::id,
                cases::reference,
                cases::assignee_id,
                cases::service_area_id,
            ))
            .load(conn)?;
    let mut rows = Vec::new();
    for (id, reference, assignee, area) in approved {
        if !scope.allows(assignee, area) {
            continue;
        }
        let drafts: Vec<(String, String)> = letters::table
            .filter(letters::case_id.eq(id))
            .filter(letters::status.eq(crate::db::letters::DRAFT))
            .select((letters::kind, letters::stage))
            .load(conn)?;
        if let Some(owed) = restriction_owed(conn, id, &drafts)? {
            rows.push(OwedRow {
                case_id: id,
                reference,
                assignee,
                area,
                owed,
            });
        }
    }
    Ok(rows)
}
