//! Changing the category, contractor, service area and property (officers).

use actix_web::HttpResponse;
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::{finish, seen};
use crate::cases::available::CaseAction;
use crate::cases::corrections::classification::{self, Classification, PropertyInput};
use crate::cases::identity;
use crate::db::{categories, complainants, contractors, service_areas, DbConnection};
use crate::domain::contact::Postcode;
use crate::domain::{CategoryId, ContractorId, ServiceAreaId};
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{check_length, limits, Form, FormErrors, Opt};
use crate::web::page::PageCtx;
use crate::web::runner::{load_for, perform, reshow, ActionHead, CaseRequest, Problem};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ClassificationForm {
    pub category_id: String,
    pub contractor_id: String,
    pub service_area_id: String,
    pub property_address: String,
    pub property_postcode: String,
    pub version: i32,
    pub last_event: i32,
}

impl ClassificationForm {
    /// The typed choices, or the errors beside their fields.
    fn parse(&self) -> Result<Classification, FormErrors> {
        let mut errors = FormErrors::new();
        let mut id = |value: &str, field: &str, message: &str| match value.trim() {
            "" => None,
            v => match v.parse::<i32>() {
                Ok(id) if id > 0 => Some(id),
                _ => {
                    errors.add(field, message.to_string());
                    None
                }
            },
        };
        let category = id(
            &self.category_id,
            "category",
            "Select a category from the list",
        );
        let contractor = id(
            &self.contractor_id,
            "contractor",
            "Select a contractor from the list",
        );
        let area = id(
            &self.service_area_id,
            "service-area",
            "Select a service area from the list",
        );
        let address = self.property_address.trim();
        let property = match (address.is_empty(), self.property_postcode.trim().is_empty()) {
            (true, true) => None,
            (true, false) => {
                errors.add("property-address", "Enter the property's address");
                None
            }
            (false, _) => {
                check_length(
                    &mut errors,
                    "property-address",
                    "The property's address",
                    address,
                    limits::LINE,
                );
                match Postcode::parse(&self.property_postcode) {
                    Ok(postcode) => Some(PropertyInput {
                        address: address.to_string(),
                        postcode: postcode.as_str().to_string(),
                    }),
                    Err(message) => {
                        errors.add("property-postcode", message);
                        None
                    }
                }
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Classification {
            category: category.map(CategoryId),
            contractor: contractor.map(ContractorId),
            service_area: area.map(ServiceAreaId),
            property,
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/corrections/classification.html")]
pub struct ClassificationPage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FormErrors,
    pub form: ClassificationForm,
    pub categories: Vec<Opt>,
    pub contractors: Vec<Opt>,
    pub areas: Vec<Opt>,
}

struct Choices {
    categories: Vec<Opt>,
    contractors: Vec<Opt>,
    areas: Vec<Opt>,
    form: ClassificationForm,
}

/// What may be chosen (in use, or already on the case) and the form as stored.
fn choices(
    conn: &mut DbConnection,
    case: &crate::cases::load::LoadedCase,
) -> Result<Choices, AppError> {
    let row = &case.row;
    let categories = categories::list_all(conn)?
        .into_iter()
        .filter(|c| c.active || row.category_id == Some(c.id))
        .map(|c| Opt::new(c.id.to_string(), c.name))
        .collect();
    let contractors = contractors::list_all(conn)?
        .into_iter()
        .filter(|c| c.active || row.contractor_id == Some(c.id))
        .map(|c| Opt::new(c.id.to_string(), c.name))
        .collect();
    let areas = service_areas::list_all(conn)?
        .into_iter()
        .filter(|a| a.active || row.service_area_id == Some(a.id))
        .map(|a| Opt::new(a.id.to_string(), a.name))
        .collect();
    let property = match row.property_id {
        Some(id) => complainants::find_property(conn, id)?,
        None => None,
    };
    let show = |id: Option<i32>| id.map(|i| i.to_string()).unwrap_or_default();
    Ok(Choices {
        categories,
        contractors,
        areas,
        form: ClassificationForm {
            category_id: show(row.category_id.map(|c| c.0)),
            contractor_id: show(row.contractor_id.map(|c| c.0)),
            service_area_id: show(row.service_area_id.map(|a| a.0)),
            property_address: property
                .as_ref()
                .map(|p| p.address.replace('\n', ", "))
                .unwrap_or_default(),
            property_postcode: property.map(|p| p.postcode).unwrap_or_default(),
            ..ClassificationForm::default()
        },
    })
}

async fn page(
    ctx: &CaseRequest,
    form: Option<ClassificationForm>,
    problem: Problem,
) -> AppResult<ClassificationPage> {
    let reader = ctx.user.reader(&ctx.client);
    let (case, choices) = load_for(ctx, CaseAction::CorrectClassification, move |conn, case| {
        // The property's address is part of a confidential identity: officers only, audited.
        identity::sight(conn, &reader, &case.row, "change classification form")?;
        choices(conn, case)
    })
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "service-area", |_| None);
    Ok(ClassificationPage {
        ctx: ctx.user.page(),
        head,
        errors,
        form: form.unwrap_or(choices.form),
        categories: choices.categories,
        contractors: choices.contractors,
        areas: choices.areas,
    })
}

pub async fn form(ctx: CaseRequest) -> AppResult<ClassificationPage> {
    page(&ctx, None, Problem::None).await
}

pub async fn submit(
    ctx: CaseRequest,
    Form(form): Form<ClassificationForm>,
) -> AppResult<HttpResponse> {
    // Bad input is shown through the gated form, so a refused user learns nothing from it.
    let wanted = match form.parse() {
        Ok(wanted) => wanted,
        Err(errors) => {
            return reshow(Problem::Input(errors), |p| page(&ctx, Some(form), p)).await;
        }
    };
    let now = ctx.state.clock.now_naive();
    let checked = wanted.clone();
    let outcome = perform(
        &ctx,
        CaseAction::CorrectClassification,
        seen(form.version, form.last_event),
        move |conn, case| classification::look_up(conn, case, &checked),
        move |case, rules, looked| classification::decide(case, wanted, looked, rules, now),
        "Category, contractor, area or property changed",
    )
    .await?;
    finish(outcome, &ctx.session, |p| page(&ctx, Some(form), p)).await
}
