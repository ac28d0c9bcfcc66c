//! Changing the case officer (officers, once the case is triaged).

use actix_web::HttpResponse;
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::{finish, seen};
use crate::cases::available::CaseAction;
use crate::cases::corrections::officer;
use crate::db::users;
use crate::domain::{Role, UserId};
use crate::web::error::AppResult;
use crate::web::forms::{Form, FormErrors, Opt};
use crate::web::page::PageCtx;
use crate::web::runner::{load_for, perform, reshow, ActionHead, CaseRequest, Problem};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OfficerForm {
    pub officer: String,
    pub version: i32,
    pub last_event: i32,
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/corrections/officer.html")]
pub struct OfficerPage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FormErrors,
    pub form: OfficerForm,
    pub officers: Vec<Opt>,
}

async fn page(
    ctx: &CaseRequest,
    form: Option<OfficerForm>,
    problem: Problem,
) -> AppResult<OfficerPage> {
    let (case, officers) = load_for(ctx, CaseAction::ChangeCaseOfficer, |conn, _| {
        Ok(users::list_by_role(conn, Role::Officer.as_str())?
            .into_iter()
            .filter(|u| u.active)
            .map(|u| Opt::new(u.id.to_string(), u.display_name))
            .collect::<Vec<_>>())
    })
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "officer", |_| None);
    Ok(OfficerPage {
        ctx: ctx.user.page(),
        head,
        errors,
        form: form.unwrap_or_else(|| OfficerForm {
            officer: case
                .row
                .case_officer_id
                .map(|o| o.to_string())
                .unwrap_or_default(),
            ..OfficerForm::default()
        }),
        officers,
    })
}

pub async fn form(ctx: CaseRequest) -> AppResult<OfficerPage> {
    page(&ctx, None, Problem::None).await
}

pub async fn submit(ctx: CaseRequest, Form(form): Form<OfficerForm>) -> AppResult<HttpResponse> {
    // Bad input is shown through the gated form, so a refused user learns nothing from it.
    let Some(chosen) = form.officer.trim().parse::<i32>().ok().map(UserId) else {
        let mut errors = FormErrors::new();
        errors.add("officer", "Select a case officer");
        return reshow(Problem::Input(errors), |p| page(&ctx, Some(form), p)).await;
    };
    let links = ctx.state.links.clone();
    let outcome = perform(
        &ctx,
        CaseAction::ChangeCaseOfficer,
        seen(form.version, form.last_event),
        move |conn, case| officer::look_up(conn, case, chosen),
        move |case, rules, people| officer::decide(case, people, rules, links),
        "Case officer changed",
    )
    .await?;
    finish(outcome, &ctx.session, |p| page(&ctx, Some(form), p)).await
}
