//! Changing the complainant's name, contact details and relationship to the home (officers).

use actix_web::HttpResponse;
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::{finish, seen};
use crate::cases::available::CaseAction;
use crate::cases::corrections::contact;
use crate::cases::identity;
use crate::cases::transition::CaseError;
use crate::db::complainants::{self, ComplainantRow};
use crate::domain::case::{
    validate_contact, AddressInput, ContactInput, ContactMethod, TenancyRelationship,
};
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{Form, FormErrors, Opt};
use crate::web::page::PageCtx;
use crate::web::runner::{load_for, perform, reshow, ActionHead, CaseRequest, Problem};

/// Field names match the logging form's.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ContactForm {
    pub complainant_name: String,
    pub tenancy_relationship: String,
    pub email: String,
    pub phone: String,
    pub address_line_1: String,
    pub address_line_2: String,
    pub address_town: String,
    pub address_postcode: String,
    pub preferred_contact: String,
    pub version: i32,
    pub last_event: i32,
}

impl ContactForm {
    fn of(row: &ComplainantRow) -> ContactForm {
        let lines: Vec<&str> = row
            .address
            .as_deref()
            .unwrap_or_default()
            .split(['\n', ','])
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let (line_1, line_2, town) = match lines.as_slice() {
            [] => Default::default(),
            [only] => (only.to_string(), String::new(), String::new()),
            [line_1, town] => (line_1.to_string(), String::new(), town.to_string()),
            [line_1, middle @ .., town] => {
                (line_1.to_string(), middle.join(", "), town.to_string())
            }
        };
        ContactForm {
            complainant_name: row.name.clone(),
            tenancy_relationship: row.tenancy_relationship.clone(),
            email: row.email.clone().unwrap_or_default(),
            phone: row.phone.clone().unwrap_or_default(),
            address_line_1: line_1,
            address_line_2: line_2,
            address_town: town,
            address_postcode: row.postcode.clone().unwrap_or_default(),
            preferred_contact: row.preferred_channel.clone(),
            ..ContactForm::default()
        }
    }

    fn input(&self) -> ContactInput<'_> {
        ContactInput {
            name: &self.complainant_name,
            email: &self.email,
            phone: &self.phone,
            address: AddressInput {
                line_1: &self.address_line_1,
                line_2: &self.address_line_2,
                town: &self.address_town,
                postcode: &self.address_postcode,
            },
            preferred_contact: &self.preferred_contact,
            tenancy: &self.tenancy_relationship,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/corrections/complainant.html")]
pub struct ContactPage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FormErrors,
    pub form: ContactForm,
    pub tenancies: Vec<Opt>,
    pub contact_methods: Vec<Opt>,
}

async fn page(
    ctx: &CaseRequest,
    form: Option<ContactForm>,
    problem: Problem,
) -> AppResult<ContactPage> {
    let reader = ctx.user.reader(&ctx.client);
    let (case, stored) = load_for(ctx, CaseAction::CorrectContact, move |conn, case| {
        // Officers only, so always shown: the gate audits a confidential case's view.
        identity::sight(conn, &reader, &case.row, "change contact details form")?;
        complainants::find(conn, case.row.complainant_id)?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("case without complainant")))
    })
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "complainant-name", |_| None);
    Ok(ContactPage {
        ctx: ctx.user.page(),
        head,
        errors,
        form: form.unwrap_or_else(|| ContactForm::of(&stored)),
        tenancies: TenancyRelationship::ALL
            .iter()
            .map(|t| Opt::new(t.as_str(), t.label()))
            .collect(),
        contact_methods: ContactMethod::ALL
            .iter()
            .map(|m| Opt::new(m.as_str(), m.label()))
            .collect(),
    })
}

pub async fn form(ctx: CaseRequest) -> AppResult<ContactPage> {
    page(&ctx, None, Problem::None).await
}

pub async fn submit(ctx: CaseRequest, Form(form): Form<ContactForm>) -> AppResult<HttpResponse> {
    // Bad input is shown through the gated form, so a refused user learns nothing from it.
    let details = match validate_contact(form.input()) {
        Ok(details) => details,
        Err(errors) => {
            return reshow(Problem::Input(errors), |p| page(&ctx, Some(form), p)).await;
        }
    };
    let now = ctx.state.clock.now_naive();
    let outcome = perform(
        &ctx,
        CaseAction::CorrectContact,
        seen(form.version, form.last_event),
        |conn, case| complainants::find(conn, case.row.complainant_id)?.ok_or(CaseError::NotFound),
        move |case, rules, stored| contact::decide(case, &stored, details, rules, now),
        "Complainant's details changed",
    )
    .await?;
    finish(outcome, &ctx.session, |p| page(&ctx, Some(form), p)).await
}
