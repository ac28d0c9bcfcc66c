//! Changing reasonable adjustments, the interpreter's language and vulnerability notes
//! (officers, or the manager or director the case is assigned to).

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::finish;
use crate::cases::available::CaseAction;
use crate::cases::corrections::needs;
use crate::db::complainants::{self, ComplainantRow};
use crate::domain::case::{validate_needs, Adjustment, NeedsInput};
use crate::web::cases::actions::{load_for, perform, ActionHead, Problem, Request, Seen};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{render_invalid, Form, FormErrors, Opt};
use crate::web::page::PageCtx;
use crate::web::state::AppState;

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
    state: &web::Data<AppState>,
    user: &CurrentUser,
    reference: &str,
    form: Option<NeedsForm>,
    problem: Problem,
) -> AppResult<NeedsPage> {
    let (case, stored) = load_for(
        state,
        user,
        reference,
        CaseAction::CorrectNeeds,
        move |conn, case| {
            complainants::find(conn, case.row.complainant_id)?
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("case without complainant")))
        },
    )
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "adjustments", |_| None);
    Ok(NeedsPage {
        ctx: user.page(),
        head,
        errors,
        form: form.unwrap_or_else(|| NeedsForm::of(&stored)),
        adjustments: Adjustment::ALL
            .iter()
            .map(|a| Opt::new(a.as_str(), a.label()))
            .collect(),
    })
}

pub async fn form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> AppResult<NeedsPage> {
    page(&state, &user, &path, None, Problem::None).await
}

pub async fn submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<String>,
    Form(form): Form<NeedsForm>,
) -> AppResult<HttpResponse> {
    let (case, ()) = load_for(
        &state,
        &user,
        &path,
        CaseAction::CorrectNeeds,
        |_, _| Ok(()),
    )
    .await?;
    // Whoever may change these may see the notes (officers and the assignee).
    let input = NeedsInput {
        adjustments: &form.adjustments,
        interpreter_language: &form.interpreter_language,
        vulnerability_notes: &form.vulnerability_notes,
    };
    let wanted = match validate_needs(input, true) {
        Ok(wanted) => wanted,
        Err(errors) => {
            let errors = Problem::Input(FormErrors::from_pairs(&errors));
            return render_invalid(&page(&state, &user, &path, Some(form), errors).await?);
        }
    };
    let complainant = case.row.complainant_id;
    let now = state.clock.now_naive();
    let outcome = perform(
        Request {
            state: &state,
            user: &user,
            client: &client,
            reference: &path,
            gate: CaseAction::CorrectNeeds.into(),
            seen: Seen {
                version: form.version,
                last_event: form.last_event,
            },
        },
        move |conn| {
            complainants::find(conn, complainant)?
                .ok_or(crate::cases::transition::CaseError::NotFound)
        },
        move |case, rules, stored| needs::decide(case, &stored, wanted, rules, now),
        "Adjustments and vulnerability notes changed",
    )
    .await?;
    finish(outcome, &session, |failed| {
        page(&state, &user, &path, Some(form), Problem::Outcome(failed))
    })
    .await
}
