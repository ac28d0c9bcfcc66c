//! Changing how the complaint was received and its dates (officers, until the first
//! response is sent).

use actix_web::HttpResponse;
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::{date_boxes, finish, seen};
use crate::cases::available::CaseAction;
use crate::cases::corrections::dates::{self, Dates};
use crate::cases::load::LoadedCase;
use crate::domain::case::Channel;
use crate::domain::date_input::DateField;
use crate::domain::Refusal;
use crate::web::error::AppResult;
use crate::web::forms::{Form, FormErrors, Opt};
use crate::web::page::PageCtx;
use crate::web::runner::{load_for, perform, reshow, ActionHead, CaseRequest, Problem};

// The logging form's date questions, so the words are the same.
use crate::domain::case::intake::{AWARE_STAFF as AWARE, OCCURRED, RECEIVED};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DatesForm {
    pub channel: String,
    pub received_day: String,
    pub received_month: String,
    pub received_year: String,
    pub occurred_day: String,
    pub occurred_month: String,
    pub occurred_year: String,
    pub aware_day: String,
    pub aware_month: String,
    pub aware_year: String,
    pub version: i32,
    pub last_event: i32,
}

impl DatesForm {
    fn of(case: &LoadedCase) -> DatesForm {
        let (received_day, received_month, received_year) = date_boxes(Some(case.row.received_on));
        let (occurred_day, occurred_month, occurred_year) = date_boxes(case.row.occurred_on);
        let (aware_day, aware_month, aware_year) = date_boxes(case.row.aware_on);
        DatesForm {
            channel: case.row.channel.as_str().to_string(),
            received_day,
            received_month,
            received_year,
            occurred_day,
            occurred_month,
            occurred_year,
            aware_day,
            aware_month,
            aware_year,
            ..DatesForm::default()
        }
    }

    /// The typed dates, or the errors beside their boxes.
    fn parse(&self, today: chrono::NaiveDate) -> Result<Dates, FormErrors> {
        let mut errors = FormErrors::new();
        let channel = self.channel.parse::<Channel>().ok();
        if channel.is_none() {
            errors.add("channel", "Select how the complaint was received");
        }
        let mut date = |field: &DateField, (d, m, y): (&str, &str, &str), required| match field
            .parse_not_future(d, m, y, required, today)
        {
            Ok(date) => date,
            Err((id, message)) => {
                errors.add(&id, message);
                None
            }
        };
        let received = date(
            &RECEIVED,
            (
                &self.received_day,
                &self.received_month,
                &self.received_year,
            ),
            true,
        );
        let occurred = date(
            &OCCURRED,
            (
                &self.occurred_day,
                &self.occurred_month,
                &self.occurred_year,
            ),
            true,
        );
        let aware = date(
            &AWARE,
            (&self.aware_day, &self.aware_month, &self.aware_year),
            false,
        );
        if let (Some(channel), Some(received), Some(occurred)) = (channel, received, occurred) {
            let wanted = Dates {
                channel,
                received,
                occurred,
                aware,
            };
            for problem in dates::check(&wanted).list() {
                errors.add(&problem.field, problem.message.clone());
            }
            if errors.is_empty() {
                return Ok(wanted);
            }
        }
        Err(errors)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/corrections/dates.html")]
pub struct DatesPage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FormErrors,
    pub form: DatesForm,
    pub channels: Vec<Opt>,
}

async fn page(
    ctx: &CaseRequest,
    form: Option<DatesForm>,
    problem: Problem,
) -> AppResult<DatesPage> {
    let (case, ()) = load_for(ctx, CaseAction::CorrectDates, |_, _| Ok(())).await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "channel", |r| match r {
        Refusal::ReceivedInFuture
        | Refusal::ReceivedOnClosedCase
        | Refusal::ReceivedAfterLaterStep(_)
        | Refusal::ReferenceYearMismatch(_) => Some("received-day"),
        _ => None,
    });
    Ok(DatesPage {
        ctx: ctx.user.page(),
        head,
        errors,
        form: form.unwrap_or_else(|| DatesForm::of(&case)),
        channels: Channel::ALL
            .iter()
            .map(|c| Opt::new(c.as_str(), c.label()))
            .collect(),
    })
}

pub async fn form(ctx: CaseRequest) -> AppResult<DatesPage> {
    page(&ctx, None, Problem::None).await
}

pub async fn submit(ctx: CaseRequest, Form(form): Form<DatesForm>) -> AppResult<HttpResponse> {
    // Bad input is shown through the gated form, so a refused user learns nothing from it.
    let wanted = match form.parse(ctx.state.clock.today()) {
        Ok(wanted) => wanted,
        Err(errors) => {
            return reshow(Problem::Input(errors), |p| page(&ctx, Some(form), p)).await;
        }
    };
    let outcome = perform(
        &ctx,
        CaseAction::CorrectDates,
        seen(form.version, form.last_event),
        |_, _| Ok(()),
        move |case, rules, ()| dates::decide(case, wanted, rules),
        "How and when the complaint was received changed",
    )
    .await?;
    finish(outcome, &ctx.session, |p| page(&ctx, Some(form), p)).await
}
