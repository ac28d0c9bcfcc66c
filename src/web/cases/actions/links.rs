//! Related cases (officers): link an earlier case about the same matter, or mark this case
//! a duplicate of another, which closes it.

use actix_web::HttpResponse;
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use crate::cases::available::CaseAction;
use crate::cases::links::{decide_duplicate, decide_link};
use crate::cases::transition::CaseError;
use crate::db::cases;
use crate::domain::CaseReference;
use crate::web::error::AppResult;
use crate::web::forms::{FieldErrors, Form, Opt};
use crate::web::page::PageCtx;
use crate::web::runner::{
    finish, load_for, perform, reshow, ActionHead, CaseRequest, Problem, Seen,
};

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
    pub errors: FieldErrors,
    pub form: RelatedForm,
    pub kinds: Vec<Opt>,
}

async fn page(
    ctx: &CaseRequest,
    form: Option<RelatedForm>,
    problem: Problem,
) -> AppResult<RelatedPage> {
    let (case, ()) = load_for(ctx, CaseAction::Relate, |_, _| Ok(())).await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "other", |_| None);
    Ok(RelatedPage {
        ctx: ctx.user.page(),
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

pub async fn form(ctx: CaseRequest) -> AppResult<RelatedPage> {
    page(&ctx, None, Problem::None).await
}

pub async fn submit(ctx: CaseRequest, Form(form): Form<RelatedForm>) -> AppResult<HttpResponse> {
    let clock = ctx.state.clock;
    let mut errors = FieldErrors::new();
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
        return reshow(Problem::Input(errors), |p| page(&ctx, Some(form), p)).await;
    };
    let seen = Seen {
        version: form.version,
        last_event: form.last_event,
    };
    let other = other.to_string();
    let outcome = perform(
        &ctx,
        CaseAction::Relate,
        seen,
        move |conn, _| {
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
    finish(outcome, &ctx.session, |p| page(&ctx, Some(form), p)).await
}
