//! Related cases (officers): link an earlier case about the same matter, or mark this case
//! a duplicate of another, which closes it.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::{finish, load_for, perform, ActionHead, Problem, Request, Seen};
use crate::cases::available::CaseAction;
use crate::cases::links::{decide_duplicate, decide_link};
use crate::cases::transition::CaseError;
use crate::db::cases;
use crate::domain::CaseReference;
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::AppResult;
use crate::web::forms::{render_invalid, Form, FormErrors, Opt};
use crate::web::page::PageCtx;
use crate::web::state::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RelatedForm {
    pub other: String,
    pub kind: String,
    pub version: i32,
    pub last_event: i32,
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/actions/related.html")]
pub struct RelatedPage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FormErrors,
    pub form: RelatedForm,
    pub kinds: Vec<Opt>,
}

async fn page(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    reference: &str,
    form: Option<RelatedForm>,
    problem: Problem,
) -> AppResult<RelatedPage> {
    let (case, ()) = load_for(state, user, reference, CaseAction::Relate, |_, _| Ok(())).await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "other", |_| None);
    Ok(RelatedPage {
        ctx: user.page(),
        head,
        errors,
        form: form.unwrap_or_else(|| RelatedForm {
            kind: "related".into(),
            ..RelatedForm::default()
        }),
        kinds: vec![
            Opt::new(
                "related",
                "Related: an earlier complaint about the same issue",
            ),
            Opt::new(
                "duplicate",
                "Duplicate: this case repeats the other one and will be closed",
            ),
        ],
    })
}

pub async fn form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> AppResult<RelatedPage> {
    page(&state, &user, &path, None, Problem::None).await
}

pub async fn submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<String>,
    Form(form): Form<RelatedForm>,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    let mut errors = FormErrors::new();
    let other = CaseReference::parse(&form.other).ok();
    if other.is_none() {
        errors.add("other", "Enter a case reference, like CMP-2026-000123");
    }
    let duplicate = match form.kind.as_str() {
        "duplicate" => Some(true),
        "related" => Some(false),
        _ => {
            errors.add("kind", "Select how the cases are related");
            None
        }
    };
    let (Some(other), Some(duplicate), true) = (other, duplicate, errors.is_empty()) else {
        return render_invalid(
            &page(&state, &user, &path, Some(form), Problem::Input(errors)).await?,
        );
    };
    let seen = Seen {
        version: form.version,
        last_event: form.last_event,
    };
    let other = other.to_string();
    let outcome = perform(
        Request {
            state: &state,
            user: &user,
            client: &client,
            reference: &path,
            gate: CaseAction::Relate.into(),
            seen,
        },
        move |conn| {
            cases::find_by_reference(conn, &other)?
                .ok_or_else(|| CaseError::Invalid(format!("There is no case {other}")))
        },
        move |case, rules, other_row| {
            let now = clock.now_naive();
            if duplicate {
                decide_duplicate(case, &other_row, rules, now)
            } else {
                decide_link(case, &other_row, rules, now)
            }
        },
        if duplicate {
            "Marked as a duplicate and closed"
        } else {
            "Related case linked"
        },
    )
    .await?;
    finish(outcome, &session, |failed| {
        page(&state, &user, &path, Some(form), Problem::Outcome(failed))
    })
    .await
}
