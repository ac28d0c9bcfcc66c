//! Amending the complaint points after acknowledgement, with a reason (officers).

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::finish;
use crate::cases::available::CaseAction;
use crate::cases::corrections::points;
use crate::cases::identity;
use crate::cases::load::LoadedCase;
use crate::db::{complaint_points, DbConnection};
use crate::web::cases::actions::{load_for, perform, ActionHead, Problem, Request, Seen};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::AppResult;
use crate::web::forms::{render_invalid, Form, FormErrors};
use crate::web::page::PageCtx;
use crate::web::state::AppState;

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
    state: &web::Data<AppState>,
    user: &CurrentUser,
    client: &ClientAddr,
    reference: &str,
    form: Option<PointsForm>,
    problem: Problem,
) -> AppResult<PointsPage> {
    let reader = user.reader(client);
    let (case, current) = load_for(
        state,
        user,
        reference,
        CaseAction::AmendPoints,
        move |conn, case| {
            // Staff may have typed the name into them: officers only, so the view is audited.
            identity::sight(conn, &reader, &case.row, "amend complaint points form")?;
            Ok(current_points(conn, case)?)
        },
    )
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "points", |_| None);
    Ok(PointsPage {
        ctx: user.page(),
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

pub async fn form(
    state: web::Data<AppState>,
    user: CurrentUser,
    client: ClientAddr,
    path: web::Path<String>,
) -> AppResult<PointsPage> {
    page(&state, &user, &client, &path, None, Problem::None).await
}

pub async fn submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<String>,
    Form(form): Form<PointsForm>,
) -> AppResult<HttpResponse> {
    // The points as they stand; a change to them since is caught by the case version.
    let (_, current) = load_for(
        &state,
        &user,
        &path,
        CaseAction::AmendPoints,
        |conn, case| Ok(current_points(conn, case)?),
    )
    .await?;
    let lines = points::point_lines(&form.points);
    let errors = points::check(&lines, &form.reason);
    if !errors.is_empty() {
        let errors = Problem::Input(FormErrors::from_pairs(&errors));
        return render_invalid(&page(&state, &user, &client, &path, Some(form), errors).await?);
    }
    let reason = form.reason.clone();
    let outcome = perform(
        Request {
            state: &state,
            user: &user,
            client: &client,
            reference: &path,
            gate: CaseAction::AmendPoints.into(),
            seen: Seen {
                version: form.version,
                last_event: form.last_event,
            },
        },
        |_| Ok(()),
        move |case, rules, ()| points::decide(case, current, lines, reason, rules),
        "Complaint points amended",
    )
    .await?;
    finish(outcome, &session, |failed| {
        page(
            &state,
            &user,
            &client,
            &path,
            Some(form),
            Problem::Outcome(failed),
        )
    })
    .await
}
