//! The case's representative (officers): add one after logging, or change their name,
//! relationship, contact details or consent date. Checked by the same rules as at logging
//! (including a profile that refuses solicitors), against the case's own policy profile.

use actix_web::HttpResponse;
use askama::Template;
use askama_web::WebTemplate;
use chrono::Datelike;
use serde::Deserialize;

use crate::cases::available::CaseAction;
use crate::cases::identity;
use crate::cases::representative::decide_representative;
use crate::db::complainants::{self, RepresentativeRow};
use crate::domain::case::{
    validate_representative, AddressInput, ConsentInput, RepresentativeInput,
    RepresentativeRelationship,
};
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{FieldErrors, Form, Opt};
use crate::web::page::PageCtx;
use crate::web::runner::{
    finish, load_for, perform, reshow, ActionHead, CaseRequest, Problem, Seen,
};

/// Field names match the logging form's, so the page shares its contact-details template.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RepresentativeForm {
    pub representative_name: String,
    pub representative_relationship: String,
    pub representative_email: String,
    pub representative_phone: String,
    pub representative_address_line_1: String,
    pub representative_address_line_2: String,
    pub representative_address_town: String,
    pub representative_address_postcode: String,
    pub representative_consent_day: String,
    pub representative_consent_month: String,
    pub representative_consent_year: String,
    pub version: i32,
    pub last_event: i32,
}

impl RepresentativeForm {
    /// The form filled from the representative on file.
    fn of(row: &RepresentativeRow) -> RepresentativeForm {
        let (line_1, line_2, town, postcode) = split_address(row.address.as_deref());
        let consent = |f: fn(&chrono::NaiveDate) -> String| {
            row.consent_received_on.as_ref().map(f).unwrap_or_default()
        };
        RepresentativeForm {
            representative_name: row.name.clone(),
            representative_relationship: row.relationship.clone(),
            representative_email: row.email.clone().unwrap_or_default(),
            representative_phone: row.phone.clone().unwrap_or_default(),
            representative_address_line_1: line_1,
            representative_address_line_2: line_2,
            representative_address_town: town,
            representative_address_postcode: postcode,
            representative_consent_day: consent(|d| d.day().to_string()),
            representative_consent_month: consent(|d| d.month().to_string()),
            representative_consent_year: consent(|d| d.year().to_string()),
            ..RepresentativeForm::default()
        }
    }

    fn input(&self) -> RepresentativeInput<'_> {
        RepresentativeInput {
            name: &self.representative_name,
            relationship: &self.representative_relationship,
            email: &self.representative_email,
            phone: &self.representative_phone,
            address: AddressInput {
                line_1: &self.representative_address_line_1,
                line_2: &self.representative_address_line_2,
                town: &self.representative_address_town,
                postcode: &self.representative_address_postcode,
            },
            consent: ConsentInput::Date {
                day: &self.representative_consent_day,
                month: &self.representative_consent_month,
                year: &self.representative_consent_year,
            },
        }
    }
}

/// The stored address (one line per part, postcode last; older rows may use commas) back
/// into the form's four boxes.
fn split_address(address: Option<&str>) -> (String, String, String, String) {
    let lines: Vec<&str> = address
        .unwrap_or_default()
        .split(['\n', ','])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    match lines.as_slice() {
        [] => Default::default(),
        [only] => (
            only.to_string(),
            String::new(),
            String::new(),
            String::new(),
        ),
        [line_1, town] => (
            line_1.to_string(),
            String::new(),
            town.to_string(),
            String::new(),
        ),
        [line_1, middle @ .., town, postcode] => (
            line_1.to_string(),
            middle.join(", "),
            town.to_string(),
            postcode.to_string(),
        ),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/actions/representative.html")]
pub struct RepresentativePage {
    pub ctx: PageCtx,
    pub head: ActionHead,
    pub errors: FieldErrors,
    pub form: RepresentativeForm,
    pub relationships: Vec<Opt>,
    /// The case has no representative yet.
    pub adding: bool,
    /// For the shared contact-details fields: this is a staff form.
    pub public: bool,
}

async fn page(
    ctx: &CaseRequest,
    form: Option<RepresentativeForm>,
    problem: Problem,
) -> AppResult<RepresentativePage> {
    let reader = ctx.user.reader(&ctx.client);
    let (case, existing) = load_for(ctx, CaseAction::Representative, move |conn, case| {
        let existing = complainants::representative_of(conn, case.row.id)?;
        if existing.is_some() {
            // Officers only, so always shown: the gate audits a confidential case's view.
            identity::sight(conn, &reader, &case.row, "representative form")?;
        }
        Ok(existing)
    })
    .await?;
    let mut head = ActionHead::of(&case);
    let errors = problem.into_errors(&mut head, "representative-name", |_| None);
    Ok(RepresentativePage {
        ctx: ctx.user.page(),
        head,
        errors,
        adding: existing.is_none(),
        form: form.unwrap_or_else(|| {
            existing
                .as_ref()
                .map(RepresentativeForm::of)
                .unwrap_or_default()
        }),
        relationships: RepresentativeRelationship::ALL
            .iter()
            .map(|r| Opt::new(r.as_str(), r.label()))
            .collect(),
        public: false,
    })
}

pub async fn form(ctx: CaseRequest) -> AppResult<RepresentativePage> {
    page(&ctx, None, Problem::None).await
}

pub async fn submit(
    ctx: CaseRequest,
    Form(form): Form<RepresentativeForm>,
) -> AppResult<HttpResponse> {
    let clock = ctx.state.clock;
    // Authorised before the input is looked at, so a refused user learns nothing from errors.
    let (case, ()) = load_for(&ctx, CaseAction::Representative, |_, _| Ok(())).await?;
    let profile = ctx.state.policies.get(&case.row.policy).ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!(
            "the policy profile `{}` is not loaded",
            case.row.policy
        ))
    })?;
    let details = match validate_representative(form.input(), profile, clock.today()) {
        Ok(details) => details,
        Err(errors) => {
            return reshow(Problem::Input(errors), |p| page(&ctx, Some(form), p)).await;
        }
    };
    let seen = Seen {
        version: form.version,
        last_event: form.last_event,
    };
    let outcome = perform(
        &ctx,
        CaseAction::Representative,
        seen,
        move |conn, case| Ok(complainants::representative_of(conn, case.row.id)?.is_some()),
        move |case, rules, had_one| {
            decide_representative(case, details, had_one, rules, clock.now_naive())
        },
        "Representative saved",
    )
    .await?;
    finish(outcome, &ctx.session, |p| page(&ctx, Some(form), p)).await
}

#[cfg(test)]
mod tests {
    use super::split_address;

    #[test]
    fn stored_addresses_go_back_into_the_boxes() {
        let s = |a: &str, b: &str, c: &str, d: &str| {
            (a.to_string(), b.to_string(), c.to_string(), d.to_string())
        };
        assert_eq!(
            split_address(Some("Town Hall\nMarket Square\nAnytown\nAN1 1TH")),
            s("Town Hall", "Market Square", "Anytown", "AN1 1TH")
        );
        assert_eq!(
            split_address(Some("Town Hall, Anytown, AN1 1TH")),
            s("Town Hall", "", "Anytown", "AN1 1TH")
        );
        assert_eq!(split_address(None), s("", "", "", ""));
    }
}
