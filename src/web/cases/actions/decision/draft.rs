//! Drafting the stage decision (the assigned manager): findings per complaint point, the
//! overall outcome, remedies, and the lesson learned with its improvement actions.

use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;

use super::draft_form::{
    chosen_owners, read_draft, saved_values, Posted, RowView, ACTION_ROWS, REMEDY_ROWS,
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
    pub remedies: Vec<RowView>,
    pub actions: Vec<RowView>,
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

async fn draft_page(
    ctx: &CaseRequest,
    form: Option<Posted>,
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
                saved_values(conn, case.row.id, stage)?,
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
    let form = form.unwrap_or(saved);
    Ok(DraftPage {
        ctx: ctx.user.page(),
        head,
        errors,
        outcome: form.get("outcome").to_string(),
        summary: form.get("summary").to_string(),
        lesson: form.get("lesson").to_string(),
        points: points
            .into_iter()
            .map(|(number, text)| PointView {
                number,
                text,
                finding: form.get(&format!("finding_{number}")).to_string(),
                reasons: form.get(&format!("reasons_{number}")).to_string(),
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
        remedies: (1..=REMEDY_ROWS)
            .map(|i| RowView::of(&form, "remedy", i))
            .collect(),
        actions: (1..=ACTION_ROWS)
            .map(|i| RowView::of(&form, "action", i))
            .collect(),
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

pub async fn submit(ctx: CaseRequest, body: web::Bytes) -> AppResult<HttpResponse> {
    let clock = ctx.state.clock;
    let form = Posted::parse(&body);
    let (_, (stage, points)) = load_for(&ctx, CaseAction::DraftDecision, stage_points).await?;
    let points: Vec<i32> = points.into_iter().map(|(n, _)| n).collect();
    let (draft, errors) = read_draft(&form, &points, stage, ctx.user.id);
    if !errors.is_empty() {
        return reshow(Problem::Input(errors), |p| draft_page(&ctx, Some(form), p)).await;
    }
    let seen = form.seen();
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
