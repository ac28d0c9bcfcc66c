//! Changing the case officer (officers, once the case is triaged).

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::finish;
use crate::cases::available::CaseAction;
use crate::cases::corrections::officer;
use crate::db::users;
use crate::domain::{Role, UserId};
use crate::web::cases::actions::{load_for, perform, ActionHead, Problem, Request, Seen};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::AppResult;
use crate::web::forms::{render_invalid, Form, FormErrors, Opt};
use crate::web::page::PageCtx;
use crate::web::state::AppState;

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
    state: &web::Data<AppState>,
    user: &CurrentUser,
    reference: &str,
    form: Option<OfficerForm>,
    problem: Problem,
) -> AppResult<OfficerPage> {
    let (case, officers) = load_for(
        state,
        user,
        reference,
        CaseAction::ChangeCaseOfficer,
        |conn, _| {
            Ok(users::list_by_role(conn, Role::Officer.as_str())?
                .into_iter()
                .filter(|u| u.active)
                .map(|u| Opt::new(u.id.to_string(), u.display_name))
                .collect::<Vec<_>>())
        },
    )
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "officer", |_| None);
    Ok(OfficerPage {
        ctx: user.page(),
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

pub async fn form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> AppResult<OfficerPage> {
    page(&state, &user, &path, None, Problem::None).await
}

pub async fn submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<String>,
    Form(form): Form<OfficerForm>,
) -> AppResult<HttpResponse> {
    let (case, ()) = load_for(
        &state,
        &user,
        &path,
        CaseAction::ChangeCaseOfficer,
        |_, _| Ok(()),
    )
    .await?;
    let Some(chosen) = form.officer.trim().parse::<i32>().ok().map(UserId) else {
        let mut errors = FormErrors::new();
        errors.add("officer", "Select a case officer");
        return render_invalid(
            &page(&state, &user, &path, Some(form), Problem::Input(errors)).await?,
        );
    };
    let links = state.links.clone();
    let outcome = perform(
        Request {
            state: &state,
            user: &user,
            client: &client,
            reference: &path,
            gate: CaseAction::ChangeCaseOfficer.into(),
            seen: Seen {
                version: form.version,
                last_event: form.last_event,
            },
        },
        move |conn| officer::look_up(conn, &case, chosen),
        move |case, rules, people| officer::decide(case, people, rules, links),
        "Case officer changed",
    )
    .await?;
    finish(outcome, &session, |failed| {
        page(&state, &user, &path, Some(form), Problem::Outcome(failed))
    })
    .await
}
