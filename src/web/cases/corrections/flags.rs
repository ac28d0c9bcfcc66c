//! Changing the health-and-safety, safeguarding and confidential flags (officers).

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::finish;
use crate::cases::available::CaseAction;
use crate::cases::corrections::flags::{self, Flags};
use crate::cases::load::LoadedCase;
use crate::web::cases::actions::{load_for, perform, ActionHead, Problem, Request, Seen};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::AppResult;
use crate::web::forms::{Form, FormErrors};
use crate::web::page::PageCtx;
use crate::web::state::AppState;

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
    state: &web::Data<AppState>,
    user: &CurrentUser,
    reference: &str,
    form: Option<FlagsForm>,
    problem: Problem,
) -> AppResult<FlagsPage> {
    let (case, ()) = load_for(state, user, reference, CaseAction::CorrectFlags, |_, _| {
        Ok(())
    })
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "health-and-safety", |_| None);
    Ok(FlagsPage {
        ctx: user.page(),
        head,
        errors,
        form: form.unwrap_or_else(|| FlagsForm::of(&case)),
    })
}

pub async fn form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> AppResult<FlagsPage> {
    page(&state, &user, &path, None, Problem::None).await
}

pub async fn submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<String>,
    Form(form): Form<FlagsForm>,
) -> AppResult<HttpResponse> {
    let wanted = Flags {
        health_and_safety: form.health_and_safety,
        safeguarding: form.safeguarding,
        confidential: form.confidential,
    };
    let outcome = perform(
        Request {
            state: &state,
            user: &user,
            client: &client,
            reference: &path,
            gate: CaseAction::CorrectFlags.into(),
            seen: Seen {
                version: form.version,
                last_event: form.last_event,
            },
        },
        |_| Ok(()),
        move |case, rules, ()| flags::decide(case, wanted, rules),
        "Flags changed",
    )
    .await?;
    finish(outcome, &session, |failed| {
        page(&state, &user, &path, Some(form), Problem::Outcome(failed))
    })
    .await
}
