//! Recording compensation paid (officers): the amount and the date.

use actix_web::HttpResponse;
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use crate::cases::available::CaseAction;
use crate::cases::decide::decide_payment;
use crate::domain::date_input::DateField;
use crate::domain::Money;
use crate::web::cases::actions::required_date;
use crate::web::error::AppResult;
use crate::web::forms::{FieldErrors, Form};
use crate::web::page::PageCtx;
use crate::web::runner::{
    finish, load_for, perform, reshow, ActionHead, CaseRequest, Problem, Seen,
};
use crate::web::today::Today;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PaidForm {
    pub amount: String,
    pub paid_day: String,
    pub paid_month: String,
    pub paid_year: String,
    pub version: i32,
    pub last_event: i32,
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/actions/paid.html")]
pub struct PaidPage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FieldErrors,
    pub form: PaidForm,
}

async fn page(ctx: &CaseRequest, form: Option<PaidForm>, problem: Problem) -> AppResult<PaidPage> {
    let (case, ()) = load_for(ctx, CaseAction::RecordCompensationPaid, |_, _| Ok(())).await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "amount", |_| None);
    Ok(PaidPage {
        ctx: ctx.user.page(),
        head,
        errors,
        form: form.unwrap_or_default(),
    })
}

pub async fn form(ctx: CaseRequest) -> AppResult<PaidPage> {
    page(&ctx, None, Problem::None).await
}

const PAID: DateField = DateField {
    id: "paid",
    label: "The date it was paid",
    missing: "Enter the date the compensation was paid",
};

pub async fn submit(
    ctx: CaseRequest,
    Today(today): Today,
    Form(form): Form<PaidForm>,
) -> AppResult<HttpResponse> {
    let mut errors = FieldErrors::new();
    let amount = Money::parse(&form.amount)
        .ok()
        .and_then(Money::stored_pence)
        .filter(|p| *p > 0);
    if amount.is_none() {
        errors.add(
            "amount",
            "Enter the amount paid in pounds, like 50 or 125.50",
        );
    }
    let on = required_date(
        today,
        &PAID,
        (&form.paid_day, &form.paid_month, &form.paid_year),
        &mut errors,
    );
    let (Some(amount), Some(on), true) = (amount, on, errors.is_empty()) else {
        return reshow(Problem::Input(errors), |p| page(&ctx, Some(form), p)).await;
    };
    let seen = Seen {
        version: form.version,
        last_event: form.last_event,
    };
    let officer = ctx.user.id;
    let now = ctx.state.clock.now_naive();
    let outcome = perform(
        &ctx,
        CaseAction::RecordCompensationPaid,
        seen,
        |_, _| Ok(()),
        move |case, _rules, ()| Ok(decide_payment(case, amount, on, officer, now)),
        "Compensation payment recorded",
    )
    .await?;
    finish(outcome, &ctx.session, |p| page(&ctx, Some(form), p)).await
}
