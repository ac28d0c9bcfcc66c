//! The complaints team's "Responses to check" (issue 22, `[workflow] review_responses`):
//! stage 1 and 2 responses drafted by managers and directors wait here until an officer
//! passes them (they can then be sent) or returns them with comments.

use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use crate::auth::Permission;
use crate::cases::access;
use crate::cases::decide::current_stage;
use crate::cases::response_check::{decide_check, COMMENT_MAX};
use crate::db::{cases, decisions, users};
use crate::domain::Money;
use crate::web::cases::show::long_date;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{FieldErrors, Form, Opt};
use crate::web::page::PageCtx;
use crate::web::runner::{
    finish, load_for, perform, reshow, ActionHead, CaseRequest, Problem, Seen, Who,
};
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/responses-to-check", web::get().to(list))
        .route(
            "/cases/{reference}/response-check",
            web::get().to(check_form),
        )
        .route(
            "/cases/{reference}/response-check",
            web::post().to(check_submit),
        );
}

pub struct ToCheck {
    pub reference: String,
    pub stage: String,
    pub drafted_by: String,
    pub drafted_on: String,
    pub next_deadline: String,
}

/// The responses waiting for a check on cases `viewer` may see, oldest first.
fn waiting_for(
    conn: &mut crate::db::DbConnection,
    viewer: &access::Viewer<'_>,
) -> diesel::QueryResult<Vec<(decisions::DecisionRow, cases::CaseRow)>> {
    let mut found = Vec::new();
    for d in decisions::waiting_for_check(conn)? {
        if let Some(case) = cases::find(conn, d.case_id)?.filter(|c| access::can_view(viewer, c)) {
            found.push((d, case));
        }
    }
    Ok(found)
}

/// How many responses wait for a check on cases `viewer` may see (for the case list's link).
pub fn waiting_count(
    conn: &mut crate::db::DbConnection,
    viewer: &access::Viewer<'_>,
) -> diesel::QueryResult<usize> {
    Ok(waiting_for(conn, viewer)?.len())
}

#[derive(Template, WebTemplate)]
#[template(path = "responses_to_check.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub rows: Vec<ToCheck>,
    pub switched_on: bool,
}

pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: actix_session::Session,
) -> AppResult<ListPage> {
    user.require(Permission::ManageCases)?;
    let viewer_user = user.clone();
    let rows = state
        .db(move |conn| {
            let viewer = viewer_user.viewer();
            let mut rows = Vec::new();
            for (d, case) in waiting_for(conn, &viewer)? {
                let drafted_by = match d.drafted_by_id {
                    Some(id) => users::find(conn, id)?.map(|u| u.display_name),
                    None => None,
                }
                .unwrap_or_default();
                rows.push(ToCheck {
                    reference: case.reference,
                    stage: d.stage.label().to_string(),
                    drafted_by,
                    drafted_on: long_date(d.updated_at.date()),
                    next_deadline: case
                        .next_due_on
                        .map(long_date)
                        .unwrap_or_else(|| "None".into()),
                });
            }
            Ok(rows)
        })
        .await?;
    Ok(ListPage {
        ctx: user
            .page()
            .with_flash(&session)
            .current("/responses-to-check"),
        rows,
        switched_on: state.settings.workflow.review_responses,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CheckForm {
    /// `pass` or `return`.
    pub result: String,
    pub comment: String,
    /// The draft read: its last saved time, in seconds.
    pub drafted_at: i64,
    pub version: i32,
    pub last_event: i32,
}

/// The drafted response as the officer reads it.
pub struct DraftView {
    pub stage: String,
    pub outcome: String,
    pub summary: String,
    pub compensation: String,
    pub drafted_by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "response_check.html")]
pub struct CheckPage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FieldErrors,
    pub form: CheckForm,
    pub choices: Vec<Opt>,
    /// `None` when nothing waits for a check on this case.
    pub draft: Option<DraftView>,
}

async fn check_page(
    ctx: &CaseRequest,
    form: Option<CheckForm>,
    problem: Problem,
) -> AppResult<CheckPage> {
    let (case, found) = load_for(ctx, Who::Officers, |conn, case| {
        let Ok(stage) = current_stage(case) else {
            return Ok(None);
        };
        let Some(d) = decisions::find(conn, case.row.id, stage)?
            .filter(|d| d.check_state.as_deref() == Some(crate::cases::response_check::WAITING))
        else {
            return Ok(None);
        };
        let drafted_by = match d.drafted_by_id {
            Some(id) => users::find(conn, id)?.map(|u| u.display_name),
            None => None,
        }
        .unwrap_or_default();
        let outcome = d
            .outcome
            .as_deref()
            .and_then(|o| o.parse::<crate::domain::case::Outcome>().ok())
            .map(|o| o.label().to_string())
            .unwrap_or_else(|| "Not recorded yet".into());
        Ok(Some((
            d.updated_at.and_utc().timestamp(),
            DraftView {
                stage: d.stage.label().to_string(),
                outcome,
                summary: d.summary.clone(),
                compensation: if d.compensation_pence > 0 {
                    format!(
                        "{} ({})",
                        Money::from_pence(d.compensation_pence.into()),
                        d.compensation_status.label().to_lowercase()
                    )
                } else {
                    "None".into()
                },
                drafted_by: format!("{drafted_by}, {}", long_date(d.updated_at.date())),
            },
        )))
    })
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "result", |_| None);
    let mut form = form.unwrap_or_default();
    let draft = found.map(|(at, view)| {
        form.drafted_at = at;
        view
    });
    Ok(CheckPage {
        ctx: ctx.user.page(),
        head,
        errors,
        form,
        choices: vec![
            Opt::new("pass", "Pass it: it can be sent"),
            Opt::new("return", "Return it with comments"),
        ],
        draft,
    })
}

pub async fn check_form(ctx: CaseRequest) -> AppResult<CheckPage> {
    check_page(&ctx, None, Problem::None).await
}

pub async fn check_submit(
    ctx: CaseRequest,
    Form(form): Form<CheckForm>,
) -> AppResult<HttpResponse> {
    let mut errors = FieldErrors::new();
    let passed = match form.result.as_str() {
        "pass" => true,
        "return" => false,
        _ => {
            errors.add("result", "Select whether to pass the response or return it");
            false
        }
    };
    let comment = form.comment.trim().to_string();
    if form.result == "return" && comment.is_empty() {
        errors.add(
            "comment",
            "Enter your comments for the person who drafted it",
        );
    }
    if comment.chars().count() > COMMENT_MAX {
        errors.add(
            "comment",
            format!("Comments must be {COMMENT_MAX} characters or fewer"),
        );
    }
    if !errors.is_empty() {
        return reshow(Problem::Input(errors), |p| check_page(&ctx, Some(form), p)).await;
    }
    let seen_at = chrono::DateTime::from_timestamp(form.drafted_at, 0)
        .map(|t| t.naive_utc())
        .ok_or(AppError::BadRequest(
            "The response read is not known".into(),
        ))?;
    let seen = Seen {
        version: form.version,
        last_event: form.last_event,
    };
    let (officer, links, clock) = (ctx.user.id, ctx.state.links.clone(), ctx.state.clock);
    let message = if passed {
        "Response passed: it can now be sent"
    } else {
        "Response returned with your comments: the person who drafted it has been told"
    };
    let outcome = perform(
        &ctx,
        Who::Officers,
        seen,
        |conn, case| {
            let stage = current_stage(case)?;
            Ok(decisions::find(conn, case.row.id, stage)?)
        },
        move |case, rules, decision| {
            decide_check(
                case,
                officer,
                decision,
                seen_at,
                passed,
                comment,
                rules,
                links,
                clock.now_naive(),
            )
        },
        message,
    )
    .await?;
    finish(outcome, &ctx.session, |p| check_page(&ctx, Some(form), p)).await
}
