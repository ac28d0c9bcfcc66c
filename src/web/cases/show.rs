//! The case page: parses the request, loads the read model ([`crate::cases::page`]) and maps
//! it to the template; dates, money and counts are written by the template's filters.

use actix_session::Session;
use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;
use chrono::NaiveDate;
use serde::Deserialize;

use crate::attachments::{human_size, kind};
use crate::auth::Permission;
use crate::cases::access::Viewer;
use crate::cases::available::CaseAction;
use crate::cases::page::{self, Looking, Next, PageError, PageRules, TaskStatus, TimelineFilter};
use crate::cases::step_route;
use crate::domain::case::Step;
use crate::domain::CaseReference;
use crate::domain::Role;
use crate::letters::LetterKind;
use crate::rules::{Rag, RagThresholds};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::FormErrors;
use crate::web::page::PageCtx;
use crate::web::state::AppState;

/// The Property line for someone who may not know a confidential complainant's address.
const PROPERTY_WITHHELD: &str =
    "Withheld: the complainant is confidential and has not agreed to share it";

#[derive(Template, WebTemplate)]
#[template(path = "cases/show.html")]
pub struct CasePage {
    pub ctx: PageCtx,
    pub page: page::CasePage,
    /// "Stage 1: to assign": the status label, from the step.
    pub status_label: String,
    /// "Investigating manager" or, when a director investigates, "Investigating director".
    pub investigator_label: &'static str,
    /// The one next step the viewer can do (the primary button).
    pub primary: Option<ActionLink>,
    /// A director's "Approve the compensation" as the primary button.
    pub approve: bool,
    /// Whose step it is when it is not the viewer's.
    pub waiting: Option<String>,
    pub tasks: Vec<TaskRow>,
    /// Add a note, extend: secondary buttons.
    pub everyday: Vec<ActionLink>,
    /// Rarer actions, under "More actions".
    pub more: Vec<ActionLink>,
    pub rag: Option<(&'static str, &'static str)>,
    pub property_withheld: &'static str,
    /// `(href, label, current)` of the timeline filter's links.
    pub filters: Vec<(String, &'static str, bool)>,
    /// `(href, file name, kind and size, added on, by)` of each evidence file.
    pub evidence: Vec<EvidenceItem>,
    /// Why the last upload was refused (shown in the error summary and at the field).
    pub evidence_errors: FormErrors,
    /// The upload limit as people read it (`20MB`).
    pub max_upload: String,
    pub restriction: crate::web::cases::actions::restrictions::RestrictionPanel,
    /// The next progress update owed to the resident (Code 5.9, 6.6), when one is.
    pub progress: Option<crate::letters::progress::Plan>,
    /// The Code's notices owed to the resident besides the clock-stopping letters the task
    /// list leads to: `(letter kind key, label)` of an escalation refusal or action completed
    /// letter.
    pub notices: Vec<(&'static str, &'static str)>,
    /// Approvals waiting and answers to act on (issue 22).
    pub approvals: Vec<crate::web::approvals::Notice>,
    /// Issue 27: the case's Housing Ombudsman contacts, for those who may read the register.
    pub ombudsman: Option<crate::web::ombudsman::contact::CaseSection>,
    pub privacy: Option<crate::web::privacy::CaseSection>,
    /// The acknowledge step done in place when it was by telephone.
    pub phone_ack: Option<PhoneAck>,
    /// The note box beside the timeline (the case team).
    pub may_note: bool,
    /// Escalating done in place when it is the viewer's next step: the date the resident
    /// asked (today unless changed) and their reasons; refusing stays on its own page.
    pub escalate_here: Option<TodayFields>,
    /// Sending the response as drafted with one button, when that is the viewer's next step.
    pub send_here: Option<SendHere>,
}

/// The response letter sent as drafted from the case page (issue 21): its editable paragraph
/// as saved (or the standard one) and the draft's version, posted to the letter as its
/// editor's "Send letter" is (which shows the editor for anything missing), with the editor
/// linked beside the button to check or change the letter first.
pub struct SendHere {
    /// `/cases/{reference}/letters/stage1_response`.
    pub action: String,
    pub body: String,
    pub letter_version: i32,
    /// "by email" or "by post".
    pub by: &'static str,
}

/// The one-button send for `loaded`, when sending the response is the viewer's next step.
fn send_here(
    conn: &mut crate::db::DbConnection,
    loaded: &page::CasePage,
) -> diesel::QueryResult<Option<SendHere>> {
    let Next::Link(Step::SendResponse, _) = loaded.tasks.next else {
        return Ok(None);
    };
    let case = &loaded.loaded;
    // Stage 1 and 2 responses are in writing (Code 6.9); a stage 0 one follows its policy
    // (by phone, say), so it is done at its letter.
    let Some(stage @ (crate::rules::Stage::Stage1 | crate::rules::Stage::Stage2)) =
        case.state.stage
    else {
        return Ok(None);
    };
    let kind = LetterKind::response(stage);
    let (body, _, letter_version) = crate::letters::drafts::stored_or_standard(conn, case, kind)?;
    let by = match crate::letters::recipient::for_case(conn, case)?.channel {
        crate::letters::recipient::Channel::Email => "by email",
        crate::letters::recipient::Channel::Post => "by post",
    };
    Ok(Some(SendHere {
        action: format!("/cases/{}/letters/{kind}", case.row.reference),
        body,
        letter_version,
        by,
    }))
}

/// A date field's boxes filled with today, and the (empty) errors the form macros want, for
/// a form on the case page (its errors are shown on the action's own page).
pub struct TodayFields {
    pub day: String,
    pub month: String,
    pub year: String,
    pub errors: crate::web::forms::FieldErrors,
}

impl TodayFields {
    fn of(today: NaiveDate) -> TodayFields {
        let boxes = super::list::DateBoxes::of(Some(today));
        TodayFields {
            day: boxes.day,
            month: boxes.month,
            year: boxes.year,
            errors: crate::web::forms::FieldErrors::new(),
        }
    }
}

/// The acknowledge step recorded from the case page when the resident was acknowledged by
/// telephone (issue 21): the record "Record a letter sent elsewhere" makes, posted to it (it
/// shows its own page with the errors, the typed values kept), with the complaint as it
/// stands to agree on the call and a note of the call. Offered only when acknowledging is
/// the viewer's next step and the case's policy allows it by telephone.
pub struct PhoneAck {
    /// `/cases/{reference}/letters/stage1_acknowledgement/sent-elsewhere`.
    pub action: String,
    pub points: String,
    pub outcome_sought: String,
    /// The date of the call: today unless changed.
    pub sent: TodayFields,
    /// Shown open for a complaint made by phone; otherwise closed behind its summary.
    pub open: bool,
    /// When no one is assigned and the viewer may assign: the area's people, the suggested
    /// one chosen, to assign the case in the same step.
    pub assign: Option<crate::web::cases::actions::assign::AssignWithAck>,
}

/// The phone acknowledgement form for `loaded`, when its next step is the viewer's
/// acknowledgement and the policy allows one by telephone.
fn phone_ack(
    conn: &mut crate::db::DbConnection,
    user: &CurrentUser,
    loaded: &page::CasePage,
    policies: &crate::rules::PolicySet,
    today: NaiveDate,
) -> Result<Option<PhoneAck>, AppError> {
    use crate::domain::case::ContactMethod;
    use crate::letters::elsewhere;
    let Next::Link(Step::Acknowledge, _) = loaded.tasks.next else {
        return Ok(None);
    };
    let case = &loaded.loaded;
    let stage = case.state.stage;
    let (Some(kind), Some(path)) = (
        stage.and_then(LetterKind::acknowledgement),
        step_route::sent_elsewhere_path(Step::Acknowledge, stage),
    ) else {
        return Ok(None);
    };
    if !elsewhere::methods(policies, &case.row.policy, stage, kind).contains(&ContactMethod::Phone)
    {
        return Ok(None);
    }
    let details = crate::letters::view::default_details(conn, case, kind)?;
    let may_assign = case.state.assigned_manager.is_none()
        && crate::web::runner::allowed(user, case, CaseAction::Assign).is_ok();
    let assign = if may_assign {
        crate::web::cases::actions::assign::with_acknowledgement(conn, case)?
    } else {
        None
    };
    Ok(Some(PhoneAck {
        action: format!("/cases/{}/{path}", case.row.reference),
        points: details.points,
        outcome_sought: details.outcome_sought,
        sent: TodayFields::of(today),
        open: case.row.channel == crate::domain::case::Channel::Phone,
        assign,
    }))
}

/// A link to a case action.
pub struct ActionLink {
    pub href: String,
    pub label: &'static str,
}

/// One row of the stage's task list.
pub struct TaskRow {
    /// For the row's ids (`task-acknowledge-status`).
    pub key: &'static str,
    pub name: &'static str,
    pub href: Option<String>,
    pub status: TaskStatus,
    pub due: Option<NaiveDate>,
}

/// One evidence file in the case page's list.
pub struct EvidenceItem {
    pub href: String,
    pub file_name: String,
    pub kind: String,
    pub size: String,
    pub on: NaiveDate,
    pub by: String,
}

/// The template's own filters beside the shared ones.
mod filters {
    pub use crate::web::filters::*;

    use crate::rules::DeadlineState;

    /// A deadline's name in the rules engine, as people read it.
    #[askama::filter_fn]
    pub fn deadline_name(
        name: &&'static str,
        _: &dyn askama::Values,
    ) -> askama::Result<&'static str> {
        Ok(super::deadline_label(name))
    }

    /// "Met late (1 working day)", "Overdue by 3 working days".
    #[askama::filter_fn]
    pub fn deadline_state(state: &DeadlineState, _: &dyn askama::Values) -> askama::Result<String> {
        let days = |n: u32| crate::cases::page::timeline::plural(n.into(), "working day");
        Ok(match state {
            DeadlineState::Met => "Met".into(),
            DeadlineState::MetLate { days_late } => format!("Met late ({})", days(*days_late)),
            DeadlineState::Pending => "Pending".into(),
            DeadlineState::Overdue { days_late } => format!("Overdue by {}", days(*days_late)),
            DeadlineState::Superseded => "Extended".into(),
        })
    }
}

pub fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

fn deadline_label(name: &str) -> &'static str {
    match name {
        "acknowledge" => "Acknowledge",
        "respond" => "Respond",
        "respond_extended" => "Respond (extended)",
        _ => "Deadline",
    }
}

/// The primary button's words: the step's name, or the action's outside a stage.
fn next_label(step: Step, action: CaseAction) -> &'static str {
    match step {
        Step::Investigate => Step::DraftResponse.task(),
        Step::Closed | Step::Referred => action.label(),
        step => step.task(),
    }
}

fn task_key(step: Step) -> &'static str {
    match step {
        Step::Triage => "triage",
        Step::Acknowledge => "acknowledge",
        Step::Assign => "assign",
        Step::Investigate => "investigate",
        Step::DraftResponse => "draft",
        Step::Approval => "approval",
        Step::SendResponse => "send",
        Step::Referred => "referred",
        Step::Closed => "closed",
    }
}

pub(crate) fn rag_tag(rag: Rag) -> (&'static str, &'static str) {
    match rag {
        Rag::Red => ("govuk-tag--red", "Overdue"),
        Rag::Amber => ("govuk-tag--orange", "Due soon"),
        Rag::Green => ("govuk-tag--green", "On track"),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageQuery {
    /// The timeline filter: `all`, `notes`, `letters` or `changes`.
    pub timeline: String,
}

pub async fn page(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> AppResult<CasePage> {
    let filter = TimelineFilter::parse(&query.timeline);
    show(
        &state,
        &user,
        &session,
        &client,
        &path,
        FormErrors::new(),
        filter,
    )
    .await
}

/// The case page, with `evidence_errors` beside the upload field when an upload was refused.
pub async fn render(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    session: &Session,
    client: &ClientAddr,
    raw_reference: &str,
    evidence_errors: FormErrors,
) -> AppResult<CasePage> {
    let all = TimelineFilter::All;
    show(
        state,
        user,
        session,
        client,
        raw_reference,
        evidence_errors,
        all,
    )
    .await
}

async fn show(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    session: &Session,
    client: &ClientAddr,
    raw_reference: &str,
    evidence_errors: FormErrors,
    filter: TimelineFilter,
) -> AppResult<CasePage> {
    user.require(Permission::ViewCases)?;
    let reference = CaseReference::parse(raw_reference)
        .map_err(|_| AppError::NotFound)?
        .to_string();
    let today = state.clock.today();
    let app = state.clone();
    let viewer_user = user.clone();
    let reader = user.reader(client);
    let (loaded, restriction, (progress, notices), (ombudsman, privacy, (phone_ack, send))) = state
        .db(move |conn| {
            let user = viewer_user;
            let looking = Looking {
                viewer: Viewer {
                    id: user.id,
                    role: user.role,
                    service_areas: &user.service_areas,
                },
                reader: &reader,
            };
            let rules = PageRules {
                policies: &app.policies,
                calendar: &app.calendar,
                thresholds: RagThresholds {
                    amber_within: app.settings.rules.amber_within,
                },
                today,
            };
            let loaded =
                page::load(conn, &looking, &reference, &rules, filter).map_err(|e| match e {
                    PageError::NotFound => AppError::NotFound,
                    PageError::Forbidden => AppError::Forbidden,
                    PageError::Database(e) => e.into(),
                })?;
            let restriction = crate::web::cases::actions::restrictions::panel(
                conn,
                &user,
                &loaded.loaded,
                today,
            )?;
            let progress = crate::letters::progress::plan(
                conn,
                &loaded.loaded,
                &app.policies,
                &app.calendar,
                today,
            )?;
            let drafts: Vec<(String, String)> =
                crate::db::letters::for_case(conn, loaded.loaded.row.id)?
                    .into_iter()
                    .filter(|l| !l.is_sent())
                    .map(|l| (l.kind, l.stage))
                    .collect();
            let notices = crate::letters::owed::notices_owed(conn, &loaded.loaded, &drafts, None)?
                .into_iter()
                .map(|o| (o.kind.as_str(), o.kind.label()))
                .collect::<Vec<_>>();
            let approvals = crate::web::approvals::notices(
                conn,
                &loaded.loaded,
                (user.role == crate::domain::Role::Director).then_some(user.id),
            )?;
            let ombudsman = crate::web::ombudsman::contact::case_section(
                conn,
                &user.viewer(),
                &loaded.loaded.row,
                today,
            )?;
            let privacy = crate::web::privacy::case_section(&user.viewer(), &loaded.loaded);
            let here = (
                phone_ack(conn, &user, &loaded, &app.policies, today)?,
                send_here(conn, &loaded)?,
            );
            Ok((
                loaded,
                (restriction, approvals),
                (progress, notices),
                (ombudsman, privacy, here),
            ))
        })
        .await?;
    let (restriction, approvals) = restriction;
    let mut page = to_template(
        loaded,
        user.page().with_flash(session),
        evidence_errors,
        human_size(state.settings.storage.max_upload_bytes),
        restriction,
        approvals,
    );
    page.progress = progress;
    page.notices = notices;
    page.ombudsman = ombudsman;
    page.privacy = privacy;
    page.phone_ack = phone_ack;
    // Sending in place replaces the link to the letter as the primary button.
    if send.is_some() {
        page.primary = None;
    }
    page.send_here = send;
    if matches!(page.page.tasks.next, Next::Link(_, CaseAction::Escalate)) {
        page.escalate_here = Some(TodayFields::of(today));
    }
    Ok(page)
}

fn to_template(
    page: page::CasePage,
    ctx: PageCtx,
    evidence_errors: FormErrors,
    max_upload: String,
    restriction: crate::web::cases::actions::restrictions::RestrictionPanel,
    approvals: Vec<crate::web::approvals::Notice>,
) -> CasePage {
    let reference = page.reference.clone();
    let stage = page.tasks.at.stage;
    // The clock-stopping steps are done in their letters (one route per job,
    // `cases::step_route`); the other steps at their action's own page.
    let step_href = |step: Step, action: CaseAction| {
        match step {
            Step::Acknowledge | Step::SendResponse => step_route::url(&reference, step, stage),
            _ => None,
        }
        .unwrap_or_else(|| format!("/cases/{reference}/{}", action.path()))
    };
    let link = |action: CaseAction, label: &'static str| ActionLink {
        href: format!("/cases/{reference}/{}", action.path()),
        label,
    };
    let (primary, approve, waiting) = match &page.tasks.next {
        // Escalating is done in place (`escalate_here`), with refusing linked beside it.
        Next::Link(_, CaseAction::Escalate) => (None, false, None),
        Next::Link(step, action) => (
            Some(ActionLink {
                href: step_href(*step, *action),
                label: next_label(*step, *action),
            }),
            false,
            None,
        ),
        Next::RefusalLetter => (
            Some(ActionLink {
                href: format!(
                    "/cases/{reference}/letters/{}",
                    LetterKind::EscalationRefusal.as_str()
                ),
                label: "Send the refusal letter",
            }),
            false,
            None,
        ),
        Next::Approve => (None, true, None),
        Next::Waiting(who) => (None, false, Some(who.clone())),
        Next::Nothing => (None, false, None),
    };
    let tasks: Vec<TaskRow> = page
        .tasks
        .tasks
        .iter()
        .map(|t| TaskRow {
            key: task_key(t.step),
            name: t.step.task(),
            href: t.action.map(|a| step_href(t.step, a)),
            status: t.status,
            due: t.due,
        })
        .collect();
    // Each action the viewer may take appears once as a button or task, else under "More".
    let mut placed: Vec<CaseAction> = page.tasks.tasks.iter().filter_map(|t| t.action).collect();
    if let Next::Link(_, action) = page.tasks.next {
        placed.push(action);
    }
    let everyday: Vec<ActionLink> = CaseAction::EVERYDAY
        .into_iter()
        .filter(|a| page.actions.contains(a))
        .map(|a| link(a, a.label()))
        .collect();
    placed.extend(CaseAction::EVERYDAY);
    let more = page
        .actions
        .iter()
        .filter(|a| !placed.contains(a))
        .map(|a| link(*a, a.label()))
        .collect();
    let investigator_label = match (&page.assignee, page.loaded.state.stage) {
        (Some(a), _) if a.role == Role::Director => "Investigating director",
        (None, Some(crate::rules::Stage::Stage2)) => "Investigating director",
        _ => "Investigating manager",
    };
    let filters = TimelineFilter::ALL
        .into_iter()
        .map(|f| {
            let href = match f {
                TimelineFilter::All => format!("/cases/{reference}#timeline"),
                _ => format!("/cases/{reference}?timeline={}#timeline", f.as_str()),
            };
            (href, f.label(), f == page.filter)
        })
        .collect();
    let evidence = page
        .evidence
        .iter()
        .map(|(a, by)| EvidenceItem {
            href: format!("/cases/{reference}/attachments/{}", a.id),
            file_name: a.file_name.clone(),
            kind: kind::by_mime(&a.content_type)
                .map(|k| k.label)
                .unwrap_or("File")
                .to_string(),
            size: human_size(u64::try_from(a.size_bytes).unwrap_or(0)),
            on: a
                .uploaded_at
                .and_utc()
                .with_timezone(&chrono_tz::Europe::London)
                .date_naive(),
            by: by.clone(),
        })
        .collect();
    let may_note = page.actions.contains(&CaseAction::AddNote);
    CasePage {
        phone_ack: None,
        may_note,
        // Filled in by `show`, which knows today and reads the letters.
        escalate_here: None,
        send_here: None,
        progress: None,
        notices: Vec::new(),
        ctx,
        rag: page.deadlines.rag.map(rag_tag),
        status_label: page.tasks.at.to_string(),
        investigator_label,
        primary,
        approve,
        waiting,
        tasks,
        everyday,
        more,
        property_withheld: PROPERTY_WITHHELD,
        filters,
        evidence,
        evidence_errors,
        max_upload,
        restriction,
        approvals,
        ombudsman: None,
        privacy: None,
        page,
    }
}
