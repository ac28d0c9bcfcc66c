//! Changing the description and the outcome sought (officers, until acknowledgement).

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::finish;
use crate::cases::available::CaseAction;
use crate::cases::corrections::description;
use crate::cases::identity;
use crate::domain::case::validate_description;
use crate::web::cases::actions::{load_for, perform, ActionHead, Problem, Request, Seen};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::AppResult;
use crate::web::forms::{render_invalid, Form, FormErrors};
use crate::web::page::PageCtx;
use crate::web::state::AppState;

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
    state: &web::Data<AppState>,
    user: &CurrentUser,
    client: &ClientAddr,
    reference: &str,
    form: Option<DescriptionForm>,
    problem: Problem,
) -> AppResult<DescriptionPage> {
    let reader = user.reader(client);
    let (case, ()) = load_for(
        state,
        user,
        reference,
        CaseAction::CorrectDescription,
        move |conn, case| {
            // Staff may have typed the name into it: officers only, so the view is audited.
            identity::sight(conn, &reader, &case.row, "change description form")?;
            Ok(())
        },
    )
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "description", |_| None);
    Ok(DescriptionPage {
        ctx: user.page(),
        head,
        errors,
        form: form.unwrap_or_else(|| DescriptionForm {
            description: case.row.description.clone(),
            outcome_sought: case.row.outcome_sought.clone(),
            ..DescriptionForm::default()
        }),
    })
}

pub async fn form(
    state: web::Data<AppState>,
    user: CurrentUser,
    client: ClientAddr,
    path: web::Path<String>,
) -> AppResult<DescriptionPage> {
    page(&state, &user, &client, &path, None, Problem::None).await
}

pub async fn submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<String>,
    Form(form): Form<DescriptionForm>,
) -> AppResult<HttpResponse> {
    load_for(
        &state,
        &user,
        &path,
        CaseAction::CorrectDescription,
        |_, _| Ok(()),
    )
    .await?;
    let (text, outcome_sought) = match validate_description(&form.description, &form.outcome_sought)
    {
        Ok(valid) => valid,
        Err(errors) => {
            let errors = Problem::Input(FormErrors::from_pairs(&errors));
            return render_invalid(&page(&state, &user, &client, &path, Some(form), errors).await?);
        }
    };
    let outcome = perform(
        Request {
            state: &state,
            user: &user,
            client: &client,
            reference: &path,
            gate: CaseAction::CorrectDescription.into(),
            seen: Seen {
                version: form.version,
                last_event: form.last_event,
            },
        },
        |_| Ok(()),
        move |case, rules, ()| description::decide(case, text, outcome_sought, rules),
        "Description changed",
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
