//! The case page's read model: everything the page shows about one case, loaded with a few
//! whole-case queries, with what the viewer may not see already taken out (the identity gate
//! audits a restricted view). The web handler maps it to the template; the template formats.

pub mod stages;
pub mod tasks;
pub mod timeline;

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::QueryResult;

use crate::cases::access::{self, Viewer, Who};
use crate::cases::available::{self, CaseAction};
use crate::cases::identity::{self, Reader};
use crate::cases::load::{self, LoadedCase};
use crate::db::attachments::{self, AttachmentRow};
use crate::db::case_file::{self, ReferenceNames};
use crate::db::complainants::{self, ComplainantRow, RepresentativeRow};
use crate::db::staff::{self, StaffMember};
use crate::db::{complaint_points, decisions, DbConnection};
use crate::domain::case::{
    Adjustment, Channel, ContactMethod, RepresentativeRelationship, Status, TenancyRelationship,
};
use crate::domain::{Role, UserId};
use crate::rules::{Calendar, DeadlineState, PolicySet, Rag, RagThresholds, Stage};

pub use stages::{Escalation, StageSection};
pub use tasks::{Next, Task, TaskList, TaskStatus};
pub use timeline::{Actor, TimelineEntry, TimelineFilter};

/// What the page's rules need besides the database.
pub struct PageRules<'a> {
    pub policies: &'a PolicySet,
    pub calendar: &'a Calendar,
    pub thresholds: RagThresholds,
    pub today: NaiveDate,
}

/// Who is looking: the scope and role (`viewer`) and whom the audit names (`reader`).
pub struct Looking<'a> {
    pub viewer: Viewer<'a>,
    pub reader: &'a Reader,
}

#[derive(Debug)]
pub enum PageError {
    NotFound,
    Forbidden,
    Database(diesel::result::Error),
}

impl From<diesel::result::Error> for PageError {
    fn from(e: diesel::result::Error) -> PageError {
        PageError::Database(e)
    }
}

/// The case page, typed: dates, money and vocabularies are formatted by the template.
pub struct CasePage {
    pub reference: String,
    pub status: Status,
    pub flags: Vec<&'static str>,
    pub received_on: NaiveDate,
    pub channel: Channel,
    pub occurred_on: Option<NaiveDate>,
    pub aware_on: Option<NaiveDate>,
    pub names: ReferenceNames,
    pub case_officer: Option<StaffMember>,
    pub assignee: Option<StaffMember>,
    pub property: Option<PropertyLine>,
    /// The policy profile's name (its key when the profile is not loaded).
    pub policy: String,
    /// `None` when the viewer may not see who complained.
    pub complainant: Option<Complainant>,
    pub vulnerability_notes: Option<String>,
    /// Shown under the same rule as the complainant.
    pub representative: Option<Representative>,
    pub description: String,
    pub outcome_sought: String,
    pub deadlines: Deadlines,
    /// The current stage's steps and the one next step.
    pub tasks: TaskList,
    /// Everything the viewer may do now (the task list, the buttons and "More actions"
    /// together offer exactly these).
    pub actions: Vec<CaseAction>,
    /// The complainant's needs as tags: adjustments (the interpreter's language beside it)
    /// and "Vulnerable" when there are notes the viewer may read.
    pub need_tags: Vec<String>,
    /// Stage 0/1 before stage 2, each with its own points, decision and response.
    pub stages: Vec<StageSection>,
    pub escalation: Option<Escalation>,
    /// May this viewer approve the compensation awaiting a director?
    pub may_approve: bool,
    pub related: Vec<String>,
    pub paid_pence: i64,
    pub evidence: Vec<(AttachmentRow, String)>,
    pub may_add_evidence: bool,
    pub timeline: Vec<TimelineEntry>,
    pub filter: TimelineFilter,
    /// The version and newest event the page showed, for forms posted from it.
    pub version: i32,
    pub last_event: i32,
    /// The case as loaded, for panels the web layer adds (contact restrictions).
    pub loaded: LoadedCase,
}

pub enum PropertyLine {
    Address(String),
    /// A confidential complainant's property the viewer may not know.
    Withheld,
}

pub struct Complainant {
    pub row: ComplainantRow,
    pub preferred: Option<ContactMethod>,
    pub relationship: Option<TenancyRelationship>,
    /// Labels, the interpreter's language beside it.
    pub adjustments: Vec<String>,
}

pub struct Representative {
    pub row: RepresentativeRow,
    pub relationship: Option<RepresentativeRelationship>,
}

#[derive(Default)]
pub struct Deadlines {
    pub rows: Vec<DeadlineRow>,
    pub next: Option<(&'static str, NaiveDate)>,
    /// Working days to the next deadline (negative once overdue).
    pub days_left: Option<i64>,
    pub rag: Option<Rag>,
    pub problem: Option<String>,
}

pub struct DeadlineRow {
    pub stage: Stage,
    pub name: &'static str,
    pub due: NaiveDate,
    pub provisional: bool,
    pub state: DeadlineState,
}

/// Loads the case page of `reference` for whoever is `looking`, showing `filter`'s part of
/// the timeline.
pub fn load(
    conn: &mut DbConnection,
    looking: &Looking<'_>,
    reference: &str,
    rules: &PageRules<'_>,
    filter: TimelineFilter,
) -> Result<CasePage, PageError> {
    let loaded = load::by_reference(conn, reference)?.ok_or(PageError::NotFound)?;
    let viewer = &looking.viewer;
    if !access::can_view(viewer, &loaded.row) {
        return Err(PageError::Forbidden);
    }
    let case = &loaded.row;
    let reader = looking.reader;
    let sight = identity::sight(conn, reader, case, "case page")?;
    let complainant_row =
        complainants::find(conn, case.complainant_id)?.ok_or(diesel::result::Error::NotFound)?;
    let vulnerability_notes = identity::vulnerability_notes(
        conn,
        reader,
        case,
        complainant_row.vulnerability_notes.as_deref(),
        access::can_see_vulnerability(viewer, case),
    )?;
    let property = property_line(conn, reader, &loaded)?;
    let representative = if sight.shown() {
        complainants::representative_of(conn, case.id)?.map(|row| Representative {
            relationship: row.relationship.parse().ok(),
            row,
        })
    } else {
        None
    };
    let complainant = sight.shown().then(|| complainant(complainant_row));

    let (mut people, areas) = timeline::people_in(&loaded.events);
    people.extend(case.case_officer_id);
    people.extend(case.assignee_id);
    let staff = staff::named(conn, &people)?;
    let area_names = area_names(conn, &areas)?;
    let names = case_file::reference_names(
        conn,
        case.service_area_id,
        case.category_id,
        case.contractor_id,
    )?;

    let stages = stages::load(conn, case.id, &sight)?;
    let may_approve = viewer.role == Role::Director
        && stages.iter().any(|s| {
            s.decision.as_ref().is_some_and(|d| {
                d.compensation == crate::domain::case::CompensationStatus::AwaitingApproval
            })
        });

    let sees_sensitive = access::can_see_vulnerability(viewer, case);
    let timeline = timeline::entries(
        &loaded.events,
        filter,
        &timeline::TimelineContext {
            staff: &staff,
            areas: &area_names,
            sight: &sight,
            sees_sensitive,
        },
    );
    let person = |id: Option<UserId>| id.and_then(|id| staff.get(&id).cloned());
    let case_officer = person(case.case_officer_id);
    let assignee = person(case.assignee_id);
    let deadlines = deadlines(&loaded, rules);
    let profile = rules.policies.get(&case.policy);
    let refusal = crate::cases::refusal::state(conn, &loaded)?;
    let tasks = tasks::task_list(
        viewer,
        &loaded,
        &tasks::TaskInputs {
            profile,
            stages: &stages,
            deadlines: &deadlines.rows,
            case_officer: case_officer.as_ref(),
            assignee: assignee.as_ref(),
            may_approve,
            refusal,
        },
    );
    let mut need_tags: Vec<String> = complainant
        .as_ref()
        .map(|c| c.adjustments.clone())
        .unwrap_or_default();
    if vulnerability_notes.is_some() {
        need_tags.push("Vulnerable".to_string());
    }
    Ok(CasePage {
        reference: case.reference.clone(),
        status: case.status,
        flags: flags(case),
        received_on: case.received_on,
        channel: case.channel,
        occurred_on: case.occurred_on,
        aware_on: case.aware_on,
        names,
        case_officer,
        assignee,
        property,
        policy: profile
            .map(|p| p.display_name().to_string())
            .unwrap_or_else(|| case.policy.clone()),
        complainant,
        vulnerability_notes,
        representative,
        // Staff write these: a name typed into them is withheld like the rest.
        description: sight.text(&case.description),
        outcome_sought: sight.text(&case.outcome_sought),
        deadlines,
        tasks,
        need_tags,
        actions: available::available(viewer, &loaded),
        escalation: stages::escalation(&loaded.events, &sight),
        stages,
        may_approve,
        related: complaint_points::related_references(conn, case.id)?,
        paid_pence: decisions::paid_total(conn, case.id)?,
        evidence: attachments::for_case_with_uploader(conn, case.id)?,
        may_add_evidence: viewer.role.writes() && access::permits(viewer, case, Who::CaseTeam),
        timeline,
        filter,
        version: case.version,
        last_event: loaded.events.last().map(|e| e.id.0).unwrap_or(0),
        loaded,
    })
}

/// What a stage 2 screen (the decision form, the letter editor) shows beside its own
/// fields: why the resident escalated and what stage 1 found. `None` before stage 2.
pub struct StageTwoContext {
    pub escalation: Option<Escalation>,
    pub stage1: Option<StageSection>,
}

/// [`StageTwoContext`] for `case`, as `reader` may see it (audited like the case page).
pub fn stage_two_context(
    conn: &mut DbConnection,
    reader: &Reader,
    case: &LoadedCase,
    place: &str,
) -> QueryResult<Option<StageTwoContext>> {
    if case.state.stage != Some(Stage::Stage2) {
        return Ok(None);
    }
    let sight = identity::sight(conn, reader, &case.row, place)?;
    let stage1 = stages::load(conn, case.row.id, &sight)?
        .into_iter()
        .find(|s| s.stage == Stage::Stage1);
    Ok(Some(StageTwoContext {
        escalation: stages::escalation(&case.events, &sight),
        stage1,
    }))
}

pub(crate) fn flags(case: &crate::db::cases::CaseRow) -> Vec<&'static str> {
    [
        (case.health_and_safety, "Health and safety"),
        (case.safeguarding, "Safeguarding"),
        (case.confidential, "Confidential"),
    ]
    .into_iter()
    .filter_map(|(set, label)| set.then_some(label))
    .collect()
}

fn property_line(
    conn: &mut DbConnection,
    reader: &Reader,
    loaded: &LoadedCase,
) -> QueryResult<Option<PropertyLine>> {
    let Some(id) = loaded.row.property_id else {
        return Ok(None);
    };
    if !identity::property_shown(conn, reader, loaded, "case page")? {
        return Ok(Some(PropertyLine::Withheld));
    }
    Ok(complainants::find_property(conn, id)?.map(|p| {
        PropertyLine::Address(format!("{}, {}", p.address.replace('\n', ", "), p.postcode))
    }))
}

pub(crate) fn complainant(row: ComplainantRow) -> Complainant {
    let adjustments = row
        .adjustments
        .split(',')
        .filter(|a| !a.is_empty())
        .map(|a| {
            let label = a
                .parse::<Adjustment>()
                .map(|a| a.label().to_string())
                .unwrap_or_else(|_| a.replace('_', " "));
            match (a, &row.interpreter_language) {
                ("interpreter", Some(language)) => format!("{label} ({language})"),
                _ => label,
            }
        })
        .collect();
    Complainant {
        preferred: row.preferred_channel.parse().ok(),
        relationship: row.tenancy_relationship.parse().ok(),
        adjustments,
        row,
    }
}

fn area_names(
    conn: &mut DbConnection,
    areas: &[crate::domain::ServiceAreaId],
) -> QueryResult<HashMap<crate::domain::ServiceAreaId, String>> {
    if areas.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(crate::db::service_areas::list_all(conn)?
        .into_iter()
        .filter(|a| areas.contains(&a.id))
        .map(|a| (a.id, a.name))
        .collect())
}

fn deadlines(loaded: &LoadedCase, rules: &PageRules<'_>) -> Deadlines {
    let Some(profile) = rules.policies.get(&loaded.row.policy) else {
        return Deadlines {
            problem: Some(format!(
                "The policy profile “{}” is not loaded",
                loaded.row.policy
            )),
            ..Deadlines::default()
        };
    };
    match crate::cases::schedule::for_case(
        &loaded.state,
        profile,
        rules.calendar,
        rules.today,
        &rules.thresholds,
    ) {
        Ok(Some(schedule)) => Deadlines {
            rows: schedule
                .deadlines
                .iter()
                .map(|d| DeadlineRow {
                    stage: d.stage,
                    name: d.name,
                    due: d.due,
                    provisional: d.provisional,
                    state: d.state,
                })
                .collect(),
            next: schedule.next().map(|d| (d.name, d.due)),
            days_left: schedule.days_left,
            rag: schedule.rag,
            problem: None,
        },
        Ok(None) => Deadlines::default(),
        Err(e) => Deadlines {
            problem: Some(e.to_string()),
            ..Deadlines::default()
        },
    }
}
