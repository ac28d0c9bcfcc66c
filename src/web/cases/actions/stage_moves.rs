//! Converting a service request into a complaint, and moving stage 0 to stage 1 (officers):
//! each asks for the date the new clock starts. Recording a confidential complainant's
//! agreement to share the property's address asks for a date the same way.

use actix_web::HttpResponse;
use askama::Template;
use askama_web::WebTemplate;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::required_date;
use crate::cases::available::CaseAction;
use crate::cases::load::LoadedCase;
use crate::cases::property_address::decide_share_property;
use crate::cases::stage_moves::{decide_convert, decide_stage1};
use crate::cases::transition::{CaseError, Decided, Rules};
use crate::domain::date_input::DateField;
use crate::web::error::AppResult;
use crate::web::forms::{FieldErrors, Form};
use crate::web::page::PageCtx;
use crate::web::runner::{
    finish, load_for, perform, reshow, ActionHead, CaseRequest, Problem, Seen,
};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DateForm {
    pub on_day: String,
    pub on_month: String,
    pub on_year: String,
    pub version: i32,
    pub last_event: i32,
}

/// The two moves differ only in words and in the transition.
#[derive(Clone, Copy)]
pub struct Move {
    pub action: CaseAction,
    pub path: &'static str,
    pub heading: &'static str,
    pub intro: &'static str,
    pub legend: &'static str,
    pub button: &'static str,
    pub done: &'static str,
    field: DateField,
    decide: fn(&LoadedCase, NaiveDate, &Rules<'_>) -> Result<Decided, CaseError>,
}

const CONVERT: Move = Move {
    action: CaseAction::ConvertToComplaint,
    path: "convert",
    heading: "Convert the service request into a complaint",
    intro: "The resident is unhappy with how their service request was handled. It becomes a stage 1 complaint with the same reference; its clock starts on the day they expressed dissatisfaction.",
    legend: "When did the resident express dissatisfaction?",
    button: "Convert to a stage 1 complaint",
    done: "Converted to a stage 1 complaint",
    field: DateField {
        id: "on",
        label: "The date the resident expressed dissatisfaction",
        missing: "Enter the date the resident expressed dissatisfaction",
    },
    decide: decide_convert,
};

const STAGE1: Move = Move {
    action: CaseAction::MoveToStage1,
    path: "stage1",
    heading: "Move to stage 1",
    intro: "Stage 0 did not resolve the complaint, or the resident asked for a formal response. Stage 1's clock starts on the day it moves.",
    legend: "When did it move to stage 1?",
    button: "Move to stage 1",
    done: "Moved to stage 1",
    field: DateField {
        id: "on",
        label: "The date the complaint moved to stage 1",
        missing: "Enter the date the complaint moved to stage 1",
    },
    decide: decide_stage1,
};

const SHARE_PROPERTY: Move = Move {
    action: CaseAction::ShareProperty,
    path: "property-address",
    heading: "Record agreement to share the property address",
    intro: "The complainant is confidential, so only the complaints team sees the address of the property the complaint is about. Record here that the resident agreed that the managers investigating may know it. Their name and contact details stay withheld.",
    legend: "When did the resident agree?",
    button: "Record the agreement",
    done: "Agreement recorded: the investigators can see the property's address",
    field: DateField {
        id: "on",
        label: "The date the resident agreed",
        missing: "Enter the date the resident agreed",
    },
    decide: decide_share_property,
};

#[derive(Template, WebTemplate)]
#[template(path = "cases/actions/date_move.html")]
pub struct MovePage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FieldErrors,
    pub form: DateForm,
    pub step: Move,
}

async fn page(
    ctx: &CaseRequest,
    step: Move,
    form: Option<DateForm>,
    problem: Problem,
) -> AppResult<MovePage> {
    let clock = ctx.state.clock;
    let (case, ()) = load_for(ctx, step.action, |_, _| Ok(())).await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "on-day", |_| None);
    let today = clock.today();
    Ok(MovePage {
        ctx: ctx.user.page(),
        head,
        errors,
        form: form.unwrap_or_else(|| DateForm {
            on_day: today.day().to_string(),
            on_month: today.month().to_string(),
            on_year: today.year().to_string(),
            ..DateForm::default()
        }),
        step,
    })
}

async fn submit(ctx: CaseRequest, step: Move, form: DateForm) -> AppResult<HttpResponse> {
    let clock = ctx.state.clock;
    let mut errors = FieldErrors::new();
    let on = required_date(
        clock.today(),
        &step.field,
        (&form.on_day, &form.on_month, &form.on_year),
        &mut errors,
    );
    let Some(on) = on else {
        return reshow(Problem::Input(errors), |p| page(&ctx, step, Some(form), p)).await;
    };
    let seen = Seen {
        version: form.version,
        last_event: form.last_event,
    };
    let decide = step.decide;
    let outcome = perform(
        &ctx,
        step.action,
        seen,
        |_, _| Ok(()),
        move |case, rules, ()| decide(case, on, rules),
        step.done,
    )
    .await?;
    finish(outcome, &ctx.session, |p| page(&ctx, step, Some(form), p)).await
}

pub async fn convert_form(ctx: CaseRequest) -> AppResult<MovePage> {
    page(&ctx, CONVERT, None, Problem::None).await
}

pub async fn convert_submit(
    ctx: CaseRequest,
    Form(form): Form<DateForm>,
) -> AppResult<HttpResponse> {
    submit(ctx, CONVERT, form).await
}

pub async fn stage1_form(ctx: CaseRequest) -> AppResult<MovePage> {
    page(&ctx, STAGE1, None, Problem::None).await
}

pub async fn stage1_submit(
    ctx: CaseRequest,
    Form(form): Form<DateForm>,
) -> AppResult<HttpResponse> {
    submit(ctx, STAGE1, form).await
}

pub async fn share_property_form(ctx: CaseRequest) -> AppResult<MovePage> {
    page(&ctx, SHARE_PROPERTY, None, Problem::None).await
}

pub async fn share_property_submit(
    ctx: CaseRequest,
    Form(form): Form<DateForm>,
) -> AppResult<HttpResponse> {
    submit(ctx, SHARE_PROPERTY, form).await
}
