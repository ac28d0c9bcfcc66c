//! "How often to update the resident" (Code 5.9): the interval agreed with the resident,
//! in working days, set on the case by anyone working it. The rules and dates are
//! `letters::progress`'s; this parses, runs the use-case and renders.

use actix_web::HttpResponse;
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use crate::letters::progress::{self, Plan, EVERY_MAX};
use crate::web::cases::actions::Who;
use crate::web::error::AppResult;
use crate::web::forms::{FieldErrors, Form};
use crate::web::page::PageCtx;
use crate::web::runner::{
    finish, load_for, perform, reshow, ActionHead, CaseRequest, Problem, Seen,
};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct IntervalForm {
    pub every: String,
    pub version: i32,
    pub last_event: i32,
}

#[derive(Template, WebTemplate)]
#[template(path = "letters/progress_form.html")]
pub struct IntervalPage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FieldErrors,
    pub form: IntervalForm,
    /// The updates owed now, in words, when any are.
    pub now: Option<String>,
    /// The interval comes from the policy's default, not from the case.
    pub from_policy: bool,
}

/// The plan as the page says it: why updates are owed and when the next is due.
pub fn plan_words(plan: &Plan) -> String {
    format!(
        "Updates are owed because {}. The next update is due by {}.",
        plan.because.words(),
        crate::letters::view::long_date(plan.next_due)
    )
}

async fn page(
    ctx: &CaseRequest,
    form: Option<IntervalForm>,
    problem: Problem,
) -> AppResult<IntervalPage> {
    let app = ctx.state.clone();
    let today = app.clock.today();
    let (case, (interval, now)) = load_for(ctx, Who::CaseTeam, move |conn, case| {
        let interval = progress::interval(case, &app.policies);
        let plan = progress::plan(conn, case, &app.policies, &app.calendar, today)?;
        Ok((interval, plan.as_ref().map(plan_words)))
    })
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "every", |_| None);
    let form = form.unwrap_or_else(|| IntervalForm {
        every: interval
            .map(|i| i.every_working_days.to_string())
            .unwrap_or_default(),
        ..IntervalForm::default()
    });
    Ok(IntervalPage {
        ctx: ctx.user.page(),
        head,
        errors,
        form,
        now,
        from_policy: interval.is_some_and(|i| !i.agreed_on_case),
    })
}

pub async fn form(ctx: CaseRequest) -> AppResult<IntervalPage> {
    page(&ctx, None, Problem::None).await
}

/// The number typed: whole working days from 0 (no regular updates) to [`EVERY_MAX`].
fn read(form: &IntervalForm) -> Result<u32, FieldErrors> {
    let mut errors = FieldErrors::new();
    let typed = form.every.trim();
    match typed.parse::<u32>() {
        Ok(n) if n <= EVERY_MAX => return Ok(n),
        Ok(_) => errors.add("every", format!("Enter {EVERY_MAX} working days or fewer")),
        Err(_) if typed.is_empty() => errors.add(
            "every",
            "Enter how often the resident will be updated, in working days, like 10",
        ),
        Err(_) => errors.add(
            "every",
            "Enter a whole number of working days, like 10, or 0 for no regular updates",
        ),
    }
    Err(errors)
}

pub async fn submit(ctx: CaseRequest, Form(form): Form<IntervalForm>) -> AppResult<HttpResponse> {
    let every = match read(&form) {
        Ok(every) => every,
        Err(errors) => return reshow(Problem::Input(errors), |p| page(&ctx, Some(form), p)).await,
    };
    let seen = Seen {
        version: form.version,
        last_event: form.last_event,
    };
    let message = if every == 0 {
        "No regular progress updates agreed".to_string()
    } else {
        format!("Progress updates agreed: every {every} working days")
    };
    let outcome = perform(
        &ctx,
        Who::CaseTeam,
        seen,
        |_, _| Ok(()),
        move |case, rules, ()| progress::decide_agree(case, every, rules),
        message,
    )
    .await?;
    finish(outcome, &ctx.session, |p| page(&ctx, Some(form), p)).await
}
