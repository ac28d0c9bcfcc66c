//! Changing reasonable adjustments, the interpreter's language and vulnerability notes
//! (officers, or the manager or director the case is assigned to).

use actix_web::HttpResponse;
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::{finish, seen};
use crate::cases::available::CaseAction;
use crate::cases::corrections::needs;
use crate::cases::transition::CaseError;
use crate::db::complainants::{self, ComplainantRow};
use crate::domain::case::{validate_needs, Adjustment, NeedsInput};
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{Form, FormErrors, Opt};
use crate::web::page::PageCtx;
use crate::web::runner::{load_for, perform, reshow, ActionHead, CaseRequest, Problem};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NeedsForm {
    pub adjustments: Vec<String>,
    pub interpreter_language: String,
    pub vulnerability_notes: String,
    pub version: i32,
    pub last_event: i32,
}

impl NeedsForm {
    fn of(row: &ComplainantRow) -> NeedsForm {
        NeedsForm {
            adjustments: row
                .adjustments
                .split(',')
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect(),
            interpreter_language: row.interpreter_language.clone().unwrap_or_default(),
            vulnerability_notes: row.vulnerability_notes.clone().unwrap_or_default(),
            ..NeedsForm::default()
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/corrections/adjustments.html")]
pub struct NeedsPage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FormErrors,
    pub form: NeedsForm,
    pub adjustments: Vec<Opt>,
}

async fn page(
    ctx: &CaseRequest,
    form: Option<NeedsForm>,
    problem: Problem,
) -> AppResult<NeedsPage> {
    let (case, stored) = load_for(ctx, CaseAction::CorrectNeeds, move |conn, case| {
        complainants::find(conn, case.row.complainant_id)?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("case without complainant")))
    })
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "adjustments", |_| None);
    Ok(NeedsPage {
        ctx: ctx.user.page(),
        head,
        errors,
        form: form.unwrap_or_else(|| NeedsForm::of(&stored)),
        adjustments: Adjustment::ALL
            .iter()
            .map(|a| Opt::new(a.as_str(), a.label()))
            .collect(),
    })
}

pub async fn form(ctx: CaseRequest) -> AppResult<NeedsPage> {
    page(&ctx, None, Problem::None).await
}

pub async fn submit(ctx: CaseRequest, Form(form): Form<NeedsForm>) -> AppResult<HttpResponse> {
    // Whoever may change these may see the notes (officers and the assignee). Bad input is
    // shown through the gated form, so a refused user learns nothing from the errors.
    let input = NeedsInput {
        adjustments: &form.adjustments,
        interpreter_language: &form.interpreter_language,
        vulnerability_notes: &form.vulnerability_notes,
    };
    let wanted = match validate_needs(input, true) {
        Ok(wanted) => wanted,
        Err(errors) => {
            return reshow(Problem::Input(errors), |p| page(&ctx, Some(form), p)).await;
        }
    };
    let now = ctx.state.clock.now_naive();
    let outcome = perform(
        &ctx,
        CaseAction::CorrectNeeds,
        seen(form.version, form.last_event),
        |conn, case| complainants::find(conn, case.row.complainant_id)?.ok_or(CaseError::NotFound),
        move |case, rules, stored| needs::decide(case, &stored, wanted, rules, now),
        "Adjustments and vulnerability notes changed",
    )
    .await?;
    finish(outcome, &ctx.session, |p| page(&ctx, Some(form), p)).await
}
