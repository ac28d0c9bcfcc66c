//! Amending the complaint points after acknowledgement, with a reason (officers).

use actix_web::HttpResponse;
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::{finish, seen};
use crate::cases::available::CaseAction;
use crate::cases::corrections::points;
use crate::cases::identity;
use crate::cases::load::LoadedCase;
use crate::db::{complaint_points, DbConnection};
use crate::web::error::AppResult;
use crate::web::forms::{Form, FormErrors};
use crate::web::page::PageCtx;
use crate::web::runner::{load_for, perform, reshow, ActionHead, CaseRequest, Problem};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PointsForm {
    /// One complaint point per line.
    pub points: String,
    pub reason: String,
    pub version: i32,
    pub last_event: i32,
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/corrections/points.html")]
pub struct PointsPage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FormErrors,
    pub form: PointsForm,
}

/// The current stage's points as stored.
fn current_points(conn: &mut DbConnection, case: &LoadedCase) -> diesel::QueryResult<Vec<String>> {
    let stage = case.state.stage.map(|s| s.to_string()).unwrap_or_default();
    Ok(complaint_points::for_case(conn, case.row.id)?
        .into_iter()
        .filter(|(s, _, _)| *s == stage)
        .map(|(_, _, text)| text)
        .collect())
}

async fn page(
    ctx: &CaseRequest,
    form: Option<PointsForm>,
    problem: Problem,
) -> AppResult<PointsPage> {
    let reader = ctx.user.reader(&ctx.client);
    let (case, current) = load_for(ctx, CaseAction::AmendPoints, move |conn, case| {
        // Staff may have typed the name into them: officers only, so the view is audited.
        identity::sight(conn, &reader, &case.row, "amend complaint points form")?;
        Ok(current_points(conn, case)?)
    })
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "points", |_| None);
    Ok(PointsPage {
        ctx: ctx.user.page(),
        head,
        errors,
        form: form.unwrap_or_else(|| PointsForm {
            points: current
                .iter()
                .enumerate()
                .map(|(i, p)| format!("{}. {p}", i + 1))
                .collect::<Vec<_>>()
                .join("\n"),
            ..PointsForm::default()
        }),
    })
}

pub async fn form(ctx: CaseRequest) -> AppResult<PointsPage> {
    page(&ctx, None, Problem::None).await
}

pub async fn submit(ctx: CaseRequest, Form(form): Form<PointsForm>) -> AppResult<HttpResponse> {
    // Bad input is shown through the gated form, so a refused user learns nothing from it.
    let lines = points::point_lines(&form.points);
    let errors = points::check(&lines, &form.reason);
    if !errors.is_empty() {
        return reshow(Problem::Input(errors), |p| page(&ctx, Some(form), p)).await;
    }
    let reason = form.reason.clone();
    let outcome = perform(
        &ctx,
        CaseAction::AmendPoints,
        seen(form.version, form.last_event),
        // The points as they stand, read in the action's transaction; a change to them
        // since the form was shown is caught by the case version.
        |conn, case| Ok(current_points(conn, case)?),
        move |case, rules, current| points::decide(case, current, lines, reason, rules),
        "Complaint points amended",
    )
    .await?;
    finish(outcome, &ctx.session, |p| page(&ctx, Some(form), p)).await
}
