//! Changing the health-and-safety, safeguarding and confidential flags (officers).

use actix_web::HttpResponse;
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::{finish, seen};
use crate::cases::available::CaseAction;
use crate::cases::corrections::flags::{self, Flags};
use crate::cases::load::LoadedCase;
use crate::web::error::AppResult;
use crate::web::forms::{Form, FormErrors};
use crate::web::page::PageCtx;
use crate::web::runner::{load_for, perform, ActionHead, CaseRequest, Problem};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FlagsForm {
    pub health_and_safety: bool,
    pub safeguarding: bool,
    pub confidential: bool,
    pub version: i32,
    pub last_event: i32,
}

impl FlagsForm {
    fn of(case: &LoadedCase) -> FlagsForm {
        FlagsForm {
            health_and_safety: case.row.health_and_safety,
            safeguarding: case.row.safeguarding,
            confidential: case.row.confidential,
            ..FlagsForm::default()
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/corrections/flags.html")]
pub struct FlagsPage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FormErrors,
    pub form: FlagsForm,
}

async fn page(
    ctx: &CaseRequest,
    form: Option<FlagsForm>,
    problem: Problem,
) -> AppResult<FlagsPage> {
    let (case, ()) = load_for(ctx, CaseAction::CorrectFlags, |_, _| Ok(())).await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "health-and-safety", |_| None);
    Ok(FlagsPage {
        ctx: ctx.user.page(),
        head,
        errors,
        form: form.unwrap_or_else(|| FlagsForm::of(&case)),
    })
}

pub async fn form(ctx: CaseRequest) -> AppResult<FlagsPage> {
    page(&ctx, None, Problem::None).await
}

pub async fn submit(ctx: CaseRequest, Form(form): Form<FlagsForm>) -> AppResult<HttpResponse> {
    let wanted = Flags {
        health_and_safety: form.health_and_safety,
        safeguarding: form.safeguarding,
        confidential: form.confidential,
    };
    let outcome = perform(
        &ctx,
        CaseAction::CorrectFlags,
        seen(form.version, form.last_event),
        |_, _| Ok(()),
        move |case, rules, ()| flags::decide(case, wanted, rules),
        "Flags changed",
    )
    .await?;
    finish(outcome, &ctx.session, |p| page(&ctx, Some(form), p)).await
}
