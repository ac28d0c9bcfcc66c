//! Drafting the stage decision (the assigned manager): findings per complaint point, the
//! overall outcome, remedies, and the lesson learned with its improvement actions.

use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;

use super::draft_form::{
    chosen_owners, read_draft, ActionInput, DraftInput, Posted, RemedyInput, RowChange,
};
use crate::cases::access::Viewer;
use crate::cases::available::CaseAction;
use crate::cases::decide::{current_stage, decide_draft};
use crate::cases::form_context::{
    investigation_record, response_due, InvestigationRecord, ResponseDue,
};
use crate::cases::load::LoadedCase;
use crate::db::{complaint_points, references, users, DbConnection};
use crate::domain::case::{Outcome, RemedyKind};
use crate::domain::Role;
use crate::rules::Stage;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{FieldErrors, Opt};
use crate::web::page::PageCtx;
use crate::web::runner::{finish, load_for, perform, reshow, ActionHead, CaseRequest, Problem};

pub struct PointView {
    pub number: i32,
    pub text: String,
    pub finding: String,
    pub reasons: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/actions/decision.html")]
pub struct DraftPage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FieldErrors,
    pub outcome: String,
    pub summary: String,
    pub lesson: String,
    pub points: Vec<PointView>,
    pub findings: Vec<Opt>,
    pub outcomes: Vec<Opt>,
    pub remedy_kinds: Vec<Opt>,
    pub staff: Vec<Opt>,
    /// The remedy rows, as many as the user added.
    pub remedies: Vec<RemedyInput>,
    /// The improvement-action rows, as many as the user added.
    pub actions: Vec<ActionInput>,
    pub stage_two: Option<crate::cases::page::StageTwoContext>,
    /// The response deadline at this stage, from the rules engine.
    pub due: Option<ResponseDue>,
    /// The notes, contacts and evidence the decision draws on.
    pub record: InvestigationRecord,
}

mod filters {
    pub use crate::web::filters::*;
}

fn staff_options(conn: &mut DbConnection) -> Result<Vec<Opt>, AppError> {
    let mut staff = Vec::new();
    for role in [Role::Officer, Role::Manager, Role::Director] {
        for u in users::list_by_role(conn, role.as_str())? {
            staff.push(Opt::new(
                u.id.to_string(),
                format!("{} ({})", u.display_name, role.label()),
            ));
        }
    }
    Ok(staff)
}

/// The stage being decided and its complaint points (number, text).
fn stage_points(
    conn: &mut DbConnection,
    case: &LoadedCase,
) -> Result<(Stage, Vec<(i32, String)>), AppError> {
    let stage = current_stage(case).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let points = complaint_points::for_case(conn, case.row.id)?
        .into_iter()
        .filter(|(s, _, _)| *s == stage.key())
        .map(|(_, number, text)| (number, text))
        .collect();
    Ok((stage, points))
}

/// The decision page, with `form` as typed or, on first showing, the saved draft.
async fn draft_page(
    ctx: &CaseRequest,
    form: Option<DraftInput>,
    problem: Problem,
) -> AppResult<DraftPage> {
    let reader = ctx.user.reader(&ctx.client);
    let user = ctx.user.clone();
    let (case, (points, staff, saved, record)) =
        load_for(ctx, CaseAction::DraftDecision, move |conn, case| {
            let (stage, points) = stage_points(conn, case)?;
            let viewer = Viewer {
                id: user.id,
                role: user.role,
                service_areas: &user.service_areas,
            };
            Ok((
                points,
                staff_options(conn)?,
                DraftInput::saved(conn, case.row.id, stage)?,
                investigation_record(conn, &viewer, &reader, case, "decision form")?,
            ))
        })
        .await?;
    let due = ctx
        .state
        .policies
        .get(&case.row.policy)
        .and_then(|profile| {
            response_due(&case, profile, &ctx.state.calendar, ctx.state.clock.today())
        });
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "outcome", |_| None);
    let form = form.unwrap_or_else(|| saved.with_a_row_to_fill());
    Ok(DraftPage {
        ctx: ctx.user.page(),
        head,
        errors,
        points: points
            .into_iter()
            .map(|(number, text)| {
                let (finding, reasons) = form.finding(number);
                PointView {
                    number,
                    text,
                    finding,
                    reasons,
                }
            })
            .collect(),
        findings: Outcome::FINDINGS
            .iter()
            .map(|o| Opt::new(o.as_str(), o.label()))
            .collect(),
        outcomes: Outcome::ALL
            .iter()
            .filter(|o| o.is_decided())
            .map(|o| Opt::new(o.as_str(), o.label()))
            .collect(),
        remedy_kinds: RemedyKind::ALL
            .iter()
            .map(|k| Opt::new(k.as_str(), k.label()))
            .collect(),
        staff,
        outcome: form.outcome,
        summary: form.summary,
        lesson: form.lesson,
        remedies: form.remedies,
        actions: form.actions,
        stage_two: crate::web::cases::stage_two::load(
            &ctx.state,
            &ctx.user,
            &ctx.reference,
            "decision form",
        )
        .await?,
        due,
        record,
    })
}

pub async fn form(ctx: CaseRequest) -> AppResult<DraftPage> {
    draft_page(&ctx, None, Problem::None).await
}

/// Saves the draft, or — for "Add another" and "Remove" — shows the form again with the rows
/// changed and everything typed kept, saving nothing.
pub async fn submit(ctx: CaseRequest, body: web::Bytes) -> AppResult<HttpResponse> {
    let clock = ctx.state.clock;
    let posted = Posted::parse(&body);
    let (_, (stage, points)) = load_for(&ctx, CaseAction::DraftDecision, stage_points).await?;
    let points: Vec<i32> = points.into_iter().map(|(n, _)| n).collect();
    let mut form = DraftInput::posted(&posted, &points);
    if let Some(change) = RowChange::of(&posted) {
        form.apply(change);
        // Still the version the user opened, so a later save notices others' changes.
        let seen = posted.seen();
        return reshow(Problem::None, |p| async {
            let mut page = draft_page(&ctx, Some(form), p).await?;
            page.head.version = seen.version;
            page.head.last_event = seen.last_event;
            Ok(page)
        })
        .await;
    }
    let (draft, errors) = read_draft(&form, &points, stage, ctx.user.id);
    if !errors.is_empty() {
        return reshow(Problem::Input(errors), |p| draft_page(&ctx, Some(form), p)).await;
    }
    let seen = posted.seen();
    let owners = chosen_owners(&form);
    // What the saved decision asks for next (approval, a check): issue 22.
    let (by, role, links) = (ctx.user.id, ctx.user.role, ctx.state.links.clone());
    let review = ctx.state.settings.workflow.review_responses;
    let outcome = perform(
        &ctx,
        CaseAction::DraftDecision,
        seen,
        move |conn, _| references::require_known(conn, &owners),
        move |case, rules, ()| {
            let now = clock.now_naive();
            decide_draft(case, draft, rules, now).map(|d| {
                crate::cases::approvals::after_drafting(
                    d, case, stage, by, role, review, links, now,
                )
            })
        },
        "Decision saved",
    )
    .await?;
    finish(outcome, &ctx.session, |p| draft_page(&ctx, Some(form), p)).await
}
