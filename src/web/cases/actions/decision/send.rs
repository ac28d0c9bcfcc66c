//! Recording the decision as sent (the assigned manager), which closes the stage: refused
//! while the decision is incomplete or its compensation awaits approval.

use actix_web::HttpResponse;
use askama::Template;
use askama_web::WebTemplate;
use chrono::Datelike;
use serde::Deserialize;

use crate::cases::available::CaseAction;
use crate::cases::decide::{current_stage, decide_send, send_problems};
use crate::cases::transition::CaseError;
use crate::db::decisions;
use crate::domain::case::ContactMethod;
use crate::domain::date_input::DateField;
use crate::web::cases::actions::required_date;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{FieldErrors, Form, Opt};
use crate::web::page::PageCtx;
use crate::web::runner::{
    finish, load_for, perform, reshow, ActionHead, CaseRequest, Problem, Seen,
};
use crate::web::today::Today;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SendForm {
    pub sent_day: String,
    pub sent_month: String,
    pub sent_year: String,
    pub method: String,
    pub version: i32,
    pub last_event: i32,
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/actions/send.html")]
pub struct SendPage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FieldErrors,
    pub form: SendForm,
    /// Why the decision cannot be sent yet.
    pub problems: Vec<String>,
    pub methods: Vec<Opt>,
}

async fn page(
    ctx: &CaseRequest,
    Today(today): Today,
    form: Option<SendForm>,
    problem: Problem,
) -> AppResult<SendPage> {
    let (case, problems) = load_for(ctx, CaseAction::SendDecision, |conn, case| {
        let stage = current_stage(case).map_err(|e| AppError::BadRequest(e.to_string()))?;
        send_problems(conn, case, stage).map_err(|e| AppError::Internal(e.into()))
    })
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "sent-day", |_| None);
    Ok(SendPage {
        ctx: ctx.user.page(),
        head,
        errors,
        form: form.unwrap_or_else(|| SendForm {
            sent_day: today.day().to_string(),
            sent_month: today.month().to_string(),
            sent_year: today.year().to_string(),
            ..SendForm::default()
        }),
        problems,
        methods: ContactMethod::ALL
            .iter()
            .map(|m| Opt::new(m.as_str(), m.label()))
            .collect(),
    })
}

pub async fn form(ctx: CaseRequest, today: Today) -> AppResult<SendPage> {
    page(&ctx, today, None, Problem::None).await
}

const SENT: DateField = DateField {
    id: "sent",
    label: "The date the decision was sent",
    missing: "Enter the date the decision was sent",
};

pub async fn submit(
    ctx: CaseRequest,
    today: Today,
    Form(form): Form<SendForm>,
) -> AppResult<HttpResponse> {
    let mut errors = FieldErrors::new();
    let on = required_date(
        today.0,
        &SENT,
        (&form.sent_day, &form.sent_month, &form.sent_year),
        &mut errors,
    );
    let method = form.method.trim().parse::<ContactMethod>().ok();
    if method.is_none() {
        errors.add("method", "Select how the decision was sent");
    }
    let (Some(on), Some(method), true) = (on, method, errors.is_empty()) else {
        return reshow(Problem::Input(errors), |p| page(&ctx, today, Some(form), p)).await;
    };
    let seen = Seen {
        version: form.version,
        last_event: form.last_event,
    };
    let now = ctx.state.clock.now_naive();
    let outcome = perform(
        &ctx,
        CaseAction::SendDecision,
        seen,
        |conn, case| {
            let stage = current_stage(case)?;
            if let Some(first) = send_problems(conn, case, stage)?.first() {
                return Err(CaseError::Invalid(first.clone()));
            }
            decisions::find(conn, case.row.id, stage)?.ok_or(CaseError::NotFound)
        },
        move |case, rules, decision| decide_send(case, decision, on, method, rules, now),
        "Decision sent: the stage is closed",
    )
    .await?;
    finish(outcome, &ctx.session, |p| page(&ctx, today, Some(form), p)).await
}
