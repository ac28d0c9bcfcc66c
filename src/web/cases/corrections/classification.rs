//! Changing the category, contractor, service area and property (officers).

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use super::finish;
use crate::cases::available::CaseAction;
use crate::cases::corrections::classification::{self, Classification, PropertyInput};
use crate::cases::identity;
use crate::db::{categories, complainants, contractors, service_areas, DbConnection};
use crate::domain::contact::Postcode;
use crate::domain::{CategoryId, ContractorId, ServiceAreaId};
use crate::web::cases::actions::{load_for, perform, ActionHead, Problem, Request, Seen};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{check_length, limits, render_invalid, Form, FormErrors, Opt};
use crate::web::page::PageCtx;
use crate::web::state::AppState;

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
    state: &web::Data<AppState>,
    user: &CurrentUser,
    client: &ClientAddr,
    reference: &str,
    form: Option<ClassificationForm>,
    problem: Problem,
) -> AppResult<ClassificationPage> {
    let reader = user.reader(client);
    let (case, choices) = load_for(
        state,
        user,
        reference,
        CaseAction::CorrectClassification,
        move |conn, case| {
            // The property's address is part of a confidential identity: officers only, audited.
            identity::sight(conn, &reader, &case.row, "change classification form")?;
            choices(conn, case)
        },
    )
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "service-area", |_| None);
    Ok(ClassificationPage {
        ctx: user.page(),
        head,
        errors,
        form: form.unwrap_or(choices.form),
        categories: choices.categories,
        contractors: choices.contractors,
        areas: choices.areas,
    })
}

pub async fn form(
    state: web::Data<AppState>,
    user: CurrentUser,
    client: ClientAddr,
    path: web::Path<String>,
) -> AppResult<ClassificationPage> {
    page(&state, &user, &client, &path, None, Problem::None).await
}

pub async fn submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<String>,
    Form(form): Form<ClassificationForm>,
) -> AppResult<HttpResponse> {
    let (case, ()) = load_for(
        &state,
        &user,
        &path,
        CaseAction::CorrectClassification,
        |_, _| Ok(()),
    )
    .await?;
    let wanted = match form.parse() {
        Ok(wanted) => wanted,
        Err(errors) => {
            return render_invalid(
                &page(
                    &state,
                    &user,
                    &client,
                    &path,
                    Some(form),
                    Problem::Input(errors),
                )
                .await?,
            )
        }
    };
    let now = state.clock.now_naive();
    let checked = wanted.clone();
    let outcome = perform(
        Request {
            state: &state,
            user: &user,
            client: &client,
            reference: &path,
            gate: CaseAction::CorrectClassification.into(),
            seen: Seen {
                version: form.version,
                last_event: form.last_event,
            },
        },
        move |conn| classification::look_up(conn, &case, &checked),
        move |case, rules, looked| classification::decide(case, wanted, looked, rules, now),
        "Category, contractor, area or property changed",
    )
    .await?;
    finish(outcome, &session, |failed| {
        page(
            &state,
            &user,
            &client,
            &path,
            Some(form),
            Problem::Outcome(failed),
        )
    })
    .await
}
