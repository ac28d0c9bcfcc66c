//! Recording the acknowledgement (officers) with the agreed complaint definition — at
//! stage 0 only, which has no acknowledgement letter. At stages 1 and 2 an acknowledgement is
//! done in its letter: sent from Redress, or "Record a letter sent elsewhere" on the same
//! page (one route per job, `cases::step_route`); this address leads there, and a post to it
//! changes nothing and says where the job moved.

use actix_web::HttpResponse;
use askama::Template;
use askama_web::WebTemplate;
use chrono::Datelike;
use serde::Deserialize;

use super::required_date;
use crate::cases::acknowledge::{self, AcknowledgeCommand, MAX_POINTS, POINT_MAX};
use crate::cases::available::CaseAction;
use crate::cases::step_route;
use crate::domain::case::ContactMethod;
use crate::domain::case::Step;
use crate::domain::date_input::DateField;
use crate::domain::Refusal;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{render_page, FieldErrors, Form, Opt};
use crate::web::page::PageCtx;
use crate::web::responses::see_other;
use crate::web::runner::{
    finish, load_for, perform, reshow, ActionHead, CaseRequest, Problem, Seen,
};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AcknowledgeForm {
    pub sent_day: String,
    pub sent_month: String,
    pub sent_year: String,
    pub method: String,
    /// One complaint point per line.
    pub points: String,
    pub outcome_sought: String,
    pub version: i32,
    pub last_event: i32,
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/actions/acknowledge.html")]
pub struct AcknowledgePage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FieldErrors,
    pub form: AcknowledgeForm,
    pub methods: Vec<Opt>,
}

async fn page(
    ctx: &CaseRequest,
    form: Option<AcknowledgeForm>,
    problem: Problem,
) -> AppResult<AcknowledgePage> {
    let clock = ctx.state.clock;
    // At stage 2 the complaint definition agreed at stage 1 is carried over, to be edited.
    let (case, carried) = load_for(ctx, CaseAction::Acknowledge, |conn, case| {
        if case.state.stage != Some(crate::rules::Stage::Stage2) {
            return Ok(None);
        }
        let points: Vec<String> = crate::db::complaint_points::for_case(conn, case.row.id)?
            .into_iter()
            .filter(|(stage, _, _)| stage == "stage1")
            .map(|(_, number, text)| format!("{number}. {text}"))
            .collect();
        Ok((!points.is_empty()).then(|| points.join("\n")))
    })
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "sent-day", |r| match r {
        Refusal::NotTriaged | Refusal::AlreadyAcknowledged(_) | Refusal::CaseClosed => {
            Some("method")
        }
        _ => None,
    });
    let today = clock.today();
    let form = form.unwrap_or_else(|| AcknowledgeForm {
        sent_day: today.day().to_string(),
        sent_month: today.month().to_string(),
        sent_year: today.year().to_string(),
        points: carried.unwrap_or_else(|| case.row.description.clone()),
        outcome_sought: case.row.outcome_sought.clone(),
        ..AcknowledgeForm::default()
    });
    Ok(AcknowledgePage {
        ctx: ctx.user.page(),
        head,
        errors,
        form,
        methods: ContactMethod::ALL
            .iter()
            .map(|m| Opt::new(m.as_str(), m.label()))
            .collect(),
    })
}

/// Where an acknowledgement is done now at stages 1 and 2.
pub const MOVED: &str = "An acknowledgement at stage 1 or 2 is now sent from its letter, or recorded there as sent elsewhere (by letter, email or telephone): open the case and follow \u{201c}Acknowledge the complaint\u{201d}.";

/// The acknowledgement letter's page, when the case's stage has one.
async fn letter_route(ctx: &CaseRequest) -> AppResult<Option<String>> {
    let (case, ()) = load_for(ctx, CaseAction::Acknowledge, |_, _| Ok(())).await?;
    Ok(step_route::url(
        &case.row.reference,
        Step::Acknowledge,
        case.state.stage,
    ))
}

pub async fn form(ctx: CaseRequest) -> AppResult<HttpResponse> {
    if let Some(url) = letter_route(&ctx).await? {
        return Ok(see_other(&url));
    }
    render_page(&page(&ctx, None, Problem::None).await?)
}

const SENT: DateField = DateField {
    id: "sent",
    label: "Date acknowledged",
    missing: "Enter the date the acknowledgement was sent",
};

/// Non-empty lines, trimmed, with any "1." or "-" the officer typed taken off.
fn points_of(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| {
            line.trim()
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .trim_start_matches(['.', ')', '-', '*'])
                .trim()
                .to_string()
        })
        .filter(|line| !line.is_empty())
        .collect()
}

pub async fn submit(
    ctx: CaseRequest,
    Form(form): Form<AcknowledgeForm>,
) -> AppResult<HttpResponse> {
    if letter_route(&ctx).await?.is_some() {
        return Err(AppError::Moved(MOVED));
    }
    let clock = ctx.state.clock;
    let mut errors = FieldErrors::new();
    let on = required_date(
        clock.today(),
        &SENT,
        (&form.sent_day, &form.sent_month, &form.sent_year),
        &mut errors,
    );
    let method = form.method.parse::<ContactMethod>().ok();
    if method.is_none() {
        errors.add("method", "Select how the acknowledgement was sent");
    }
    let points = points_of(&form.points);
    if points.is_empty() {
        errors.add("points", "Enter the complaint points, one per line");
    } else if points.len() > MAX_POINTS {
        errors.add(
            "points",
            format!("Enter {MAX_POINTS} complaint points or fewer"),
        );
    } else if points.iter().any(|p| p.chars().count() > POINT_MAX) {
        errors.add(
            "points",
            "Each complaint point must be 1,000 characters or fewer",
        );
    }
    if form.outcome_sought.chars().count() > 2_000 {
        errors.add(
            "outcome-sought",
            "Outcome sought must be 2,000 characters or fewer",
        );
    }
    let (Some(on), Some(method), true) = (on, method, errors.is_empty()) else {
        return reshow(Problem::Input(errors), |p| page(&ctx, Some(form), p)).await;
    };
    let seen = Seen {
        version: form.version,
        last_event: form.last_event,
    };
    let outcome_sought = form.outcome_sought.trim().to_string();
    let outcome = perform(
        &ctx,
        CaseAction::Acknowledge,
        seen,
        |_, _| Ok(()),
        move |case, rules, ()| {
            acknowledge::decide(
                case,
                AcknowledgeCommand {
                    on,
                    method,
                    points,
                    outcome_sought,
                },
                rules,
                clock.now_naive(),
            )
        },
        "Acknowledgement recorded",
    )
    .await?;
    finish(outcome, &ctx.session, |p| page(&ctx, Some(form), p)).await
}

#[cfg(test)]
mod tests {
    use super::points_of;

    #[test]
    fn points_are_lines_without_their_numbers() {
        assert_eq!(
            points_of("1. Repair delayed\n\n2) Rude call\n - Not called back \n"),
            vec!["Repair delayed", "Rude call", "Not called back"]
        );
    }
}
