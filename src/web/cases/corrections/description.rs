//! Changing the description and the outcome sought (officers, until acknowledgement).

use actix_web::HttpResponse;
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::{finish, seen};
use crate::cases::available::CaseAction;
use crate::cases::corrections::description;
use crate::cases::identity;
use crate::domain::case::validate_description;
use crate::web::error::AppResult;
use crate::web::forms::{Form, FormErrors};
use crate::web::page::PageCtx;
use crate::web::runner::{load_for, perform, reshow, ActionHead, CaseRequest, Problem};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DescriptionForm {
    pub description: String,
    pub outcome_sought: String,
    pub version: i32,
    pub last_event: i32,
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/corrections/description.html")]
pub struct DescriptionPage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FormErrors,
    pub form: DescriptionForm,
}

async fn page(
    ctx: &CaseRequest,
    form: Option<DescriptionForm>,
    problem: Problem,
) -> AppResult<DescriptionPage> {
    let reader = ctx.user.reader(&ctx.client);
    let (case, ()) = load_for(ctx, CaseAction::CorrectDescription, move |conn, case| {
        // Staff may have typed the name into it: officers only, so the view is audited.
        identity::sight(conn, &reader, &case.row, "change description form")?;
        Ok(())
    })
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "description", |_| None);
    Ok(DescriptionPage {
        ctx: ctx.user.page(),
        head,
        errors,
        form: form.unwrap_or_else(|| DescriptionForm {
            description: case.row.description.clone(),
            outcome_sought: case.row.outcome_sought.clone(),
            ..DescriptionForm::default()
        }),
    })
}

pub async fn form(ctx: CaseRequest) -> AppResult<DescriptionPage> {
    page(&ctx, None, Problem::None).await
}

pub async fn submit(
    ctx: CaseRequest,
    Form(form): Form<DescriptionForm>,
) -> AppResult<HttpResponse> {
    // Bad input is shown through the gated form, so a refused user learns nothing from it.
    let (text, outcome_sought) = match validate_description(&form.description, &form.outcome_sought)
    {
        Ok(valid) => valid,
        Err(errors) => {
            return reshow(Problem::Input(errors), |p| page(&ctx, Some(form), p)).await;
        }
    };
    let outcome = perform(
        &ctx,
        CaseAction::CorrectDescription,
        seen(form.version, form.last_event),
        |_, _| Ok(()),
        move |case, rules, ()| description::decide(case, text, outcome_sought, rules),
        "Description changed",
    )
    .await?;
    finish(outcome, &ctx.session, |p| page(&ctx, Some(form), p)).await
}
