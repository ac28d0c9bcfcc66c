//! Escalating a case closed at stage 1 (or refusing to, with a reason), withdrawing an open
//! case, and reopening a closed one (officers). Each is one form: a reason, and for an
//! escalation the date the resident asked.

use actix_web::HttpResponse;
use askama::Template;
use askama_web::WebTemplate;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::cases::available::CaseAction;
use crate::cases::closure::{
    decide_escalate, decide_refuse_escalation, decide_reopen, decide_withdraw, WithdrawnBy,
};
use crate::domain::date_input::DateField;
use crate::domain::Refusal;
use crate::web::error::AppResult;
use crate::web::forms::{check_length, limits, FieldErrors, Form, Opt};
use crate::web::page::PageCtx;
use crate::web::runner::{
    finish, load_for, perform, reshow, ActionHead, CaseRequest, Problem, Seen,
};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ClosureForm {
    pub on_day: String,
    pub on_month: String,
    pub on_year: String,
    /// Escalation: `escalate` or `refuse`; withdrawal: `resident` or `representative`.
    pub choice: String,
    pub reason: String,
    pub version: i32,
    pub last_event: i32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Escalate,
    Withdraw,
    Reopen,
}

#[derive(Clone, Copy)]
pub struct Step {
    pub kind: Kind,
    pub path: &'static str,
    pub heading: &'static str,
    pub intro: &'static str,
    pub asks_date: bool,
    pub choice_legend: &'static str,
    pub reason_label: &'static str,
    pub reason_hint: &'static str,
    pub button: &'static str,
}

impl Step {
    /// The case action this step is.
    fn action(&self) -> CaseAction {
        match self.kind {
            Kind::Escalate => CaseAction::Escalate,
            Kind::Withdraw => CaseAction::Withdraw,
            Kind::Reopen => CaseAction::Reopen,
        }
    }
}

const ESCALATE: Step = Step {
    kind: Kind::Escalate,
    path: "escalate",
    heading: "Escalate to stage 2",
    intro: "The resident is not satisfied with the stage 1 response and has asked for a review. The stage 2 clock starts on the day they asked. An escalation can be refused only with a reason, which is recorded.",
    asks_date: true,
    choice_legend: "What are you doing?",
    reason_label: "The resident's reasons, or why the escalation is refused",
    reason_hint: "Optional when escalating. Required when refusing.",
    button: "Continue",
};

const WITHDRAW: Step = Step {
    kind: Kind::Withdraw,
    path: "withdraw",
    heading: "Record that the complaint is withdrawn",
    intro: "The case closes as withdrawn.",
    asks_date: false,
    choice_legend: "Who withdrew the complaint?",
    reason_label: "Why it was withdrawn",
    reason_hint: "",
    button: "Withdraw the complaint",
};

const REOPEN: Step = Step {
    kind: Kind::Reopen,
    path: "reopen",
    heading: "Reopen the case",
    intro: "The case goes back to the stage it was closed at.",
    asks_date: false,
    choice_legend: "",
    reason_label: "Why the case is reopened",
    reason_hint: "",
    button: "Reopen the case",
};

const REQUESTED: DateField = DateField {
    id: "on",
    label: "The date the resident asked for a review",
    missing: "Enter the date the resident asked for a review",
};

#[derive(Template, WebTemplate)]
#[template(path = "cases/actions/closure.html")]
pub struct ClosurePage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FieldErrors,
    pub form: ClosureForm,
    pub step: Step,
    pub choices: Vec<Opt>,
}

fn choices(kind: Kind) -> Vec<Opt> {
    match kind {
        Kind::Escalate => vec![
            Opt::new("escalate", "Escalate to stage 2"),
            Opt::new("refuse", "Refuse the escalation"),
        ],
        Kind::Withdraw => vec![
            Opt::new("resident", "The resident"),
            Opt::new("representative", "Their representative"),
        ],
        Kind::Reopen => Vec::new(),
    }
}

async fn page(
    ctx: &CaseRequest,
    step: Step,
    form: Option<ClosureForm>,
    problem: Problem,
) -> AppResult<ClosurePage> {
    let clock = ctx.state.clock;
    let (case, ()) = load_for(ctx, step.action(), |_, _| Ok(())).await?;
    let mut head = ActionHead::of(&case);
    let main = if step.asks_date { "on-day" } else { "reason" };
    let errors = problem.into_errors(&mut head, main, |r| match r {
        Refusal::WithdrawalReasonRequired | Refusal::ReopenReasonRequired => Some("reason"),
        _ => None,
    });
    let today = clock.today();
    let form = form.unwrap_or_else(|| ClosureForm {
        on_day: today.day().to_string(),
        on_month: today.month().to_string(),
        on_year: today.year().to_string(),
        choice: match step.kind {
            Kind::Escalate => "escalate".into(),
            _ => String::new(),
        },
        ..ClosureForm::default()
    });
    Ok(ClosurePage {
        ctx: ctx.user.page(),
        head,
        errors,
        form,
        step,
        choices: choices(step.kind),
    })
}

/// What the form asks for, checked before anything is tried.
enum Asked {
    Escalate(NaiveDate),
    Refuse(NaiveDate),
    Withdraw(WithdrawnBy),
    Reopen,
}

fn read(step: Step, form: &ClosureForm, today: chrono::NaiveDate) -> Result<Asked, FieldErrors> {
    let mut errors = FieldErrors::new();
    let reason_given = !form.reason.trim().is_empty();
    check_length(
        &mut errors,
        "reason",
        "The reason",
        &form.reason,
        limits::LONG,
    );
    let asked = match step.kind {
        Kind::Escalate => {
            let on = match REQUESTED.parse_not_future(
                &form.on_day,
                &form.on_month,
                &form.on_year,
                true,
                today,
            ) {
                Ok(Some(on)) => Some(on),
                other => {
                    let (field, message) = other
                        .err()
                        .unwrap_or_else(|| ("on-day".into(), REQUESTED.missing.into()));
                    errors.add(&field, message);
                    None
                }
            };
            match (form.choice.as_str(), on) {
                ("escalate", Some(on)) => Some(Asked::Escalate(on)),
                ("refuse", Some(on)) if reason_given => Some(Asked::Refuse(on)),
                ("refuse", _) if !reason_given => {
                    errors.add("reason", "Enter the reason the escalation is refused");
                    None
                }
                ("escalate" | "refuse", _) => None,
                _ => {
                    errors.add("choice", "Select whether to escalate or refuse");
                    None
                }
            }
        }
        Kind::Withdraw => {
            let by = WithdrawnBy::parse(&form.choice);
            if by.is_none() {
                errors.add("choice", "Select who withdrew the complaint");
            }
            if !reason_given {
                errors.add("reason", "Enter why the complaint was withdrawn");
            }
            by.filter(|_| reason_given).map(Asked::Withdraw)
        }
        Kind::Reopen => {
            if !reason_given {
                errors.add("reason", "Enter why the case is reopened");
                None
            } else {
                Some(Asked::Reopen)
            }
        }
    };
    match asked {
        Some(asked) if errors.is_empty() => Ok(asked),
        _ => Err(errors),
    }
}

async fn submit(ctx: CaseRequest, step: Step, form: ClosureForm) -> AppResult<HttpResponse> {
    let clock = ctx.state.clock;
    let asked = match read(step, &form, clock.today()) {
        Ok(asked) => asked,
        Err(errors) => {
            return reshow(Problem::Input(errors), |p| page(&ctx, step, Some(form), p)).await;
        }
    };
    let seen = Seen {
        version: form.version,
        last_event: form.last_event,
    };
    let message = match asked {
        Asked::Escalate(_) => "Escalated to stage 2",
        Asked::Refuse(_) => "Escalation refused: the reason is recorded",
        Asked::Withdraw(_) => "Complaint withdrawn",
        Asked::Reopen => "Case reopened",
    };
    let reason = form.reason.clone();
    let outcome = perform(
        &ctx,
        step.action(),
        seen,
        |_, _| Ok(()),
        move |case, rules, ()| match asked {
            Asked::Escalate(on) => decide_escalate(case, on, &reason, rules),
            Asked::Refuse(on) => decide_refuse_escalation(case, on, &reason, rules),
            Asked::Withdraw(by) => decide_withdraw(case, by, &reason, rules),
            Asked::Reopen => decide_reopen(case, &reason, rules),
        },
        message,
    )
    .await?;
    finish(outcome, &ctx.session, |p| page(&ctx, step, Some(form), p)).await
}

macro_rules! step_handlers {
    ($form:ident, $submit:ident, $step:expr) => {
        pub async fn $form(ctx: CaseRequest) -> AppResult<ClosurePage> {
            page(&ctx, $step, None, Problem::None).await
        }

        pub async fn $submit(
            ctx: CaseRequest,
            Form(form): Form<ClosureForm>,
        ) -> AppResult<HttpResponse> {
            submit(ctx, $step, form).await
        }
    };
}

step_handlers!(escalate_form, escalate_submit, ESCALATE);
step_handlers!(withdraw_form, withdraw_submit, WITHDRAW);
step_handlers!(reopen_form, reopen_submit, REOPEN);
