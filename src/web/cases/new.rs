//! Logging a complaint (officers): one GOV.UK form, errors beside each field with the typed
//! values kept; a valid complaint becomes a `received` case and its page is shown.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;

use crate::auth::Permission;
use crate::cases::log::{log_complaint, LogError, Logger};
use crate::domain::case::{self, RawComplaint};
use crate::domain::Refusal;
use crate::web::cases::form_options::ComplaintOptions;
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{render_invalid, FieldErrors, Form};
use crate::web::page::PageCtx;
use crate::web::responses::see_other;
use crate::web::session;
use crate::web::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "cases/new.html")]
pub struct NewCasePage {
    pub ctx: PageCtx,
    pub errors: FieldErrors,
    pub form: RawComplaint,
    pub opts: ComplaintOptions,
    pub public: bool,
}

pub async fn form(state: web::Data<AppState>, user: CurrentUser) -> AppResult<NewCasePage> {
    let clock = state.clock;
    user.require(Permission::ManageCases)?;
    let opts = state.db(|conn| Ok(ComplaintOptions::staff(conn)?)).await?;
    let today = clock.today();
    Ok(NewCasePage {
        ctx: user.page().current("/cases/new"),
        errors: FieldErrors::new(),
        form: RawComplaint {
            channel: "phone".into(),
            received_day: today.format("%-d").to_string(),
            received_month: today.format("%-m").to_string(),
            received_year: today.format("%Y").to_string(),
            ..RawComplaint::default()
        },
        opts,
        public: false,
    })
}

pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    Form(raw): Form<RawComplaint>,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    user.require(Permission::ManageCases)?;
    let policy_name = state.settings.rules.policy.clone();
    let profile = state
        .policies
        .get(&policy_name)
        .cloned()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("active policy missing")))?;
    let today = clock.today();
    let (complaint, warnings) = match case::validate(&raw, &profile, today) {
        Ok(valid) => valid,
        Err((errors, _warnings)) => return invalid(&state, &user, raw, errors).await,
    };
    let calendar = state.calendar.clone();
    let (id, label, ip) = (user.id, user.audit_label(), client.0.clone());
    let logged = state
        .db(move |conn| {
            Ok(log_complaint(
                conn,
                &complaint,
                &profile,
                &calendar,
                &Logger {
                    user: Some(id),
                    label: &label,
                    ip: Some(&ip),
                },
                clock.now_naive(),
            ))
        })
        .await?;
    match logged {
        Ok(logged) => {
            let mut message = format!("Complaint logged as {}", logged.reference);
            for warning in &warnings {
                message.push_str(". ");
                message.push_str(&warning.message);
            }
            session::set_flash(&session, &message);
            Ok(see_other(&format!("/cases/{}", logged.reference)))
        }
        Err(LogError::Refused(Refusal::UnknownChoice { field, what })) => {
            let mut errors = FieldErrors::new();
            errors.add(
                &field,
                Refusal::UnknownChoice {
                    field: field.clone(),
                    what,
                }
                .to_string(),
            );
            invalid(&state, &user, raw, errors).await
        }
        Err(e) => Err(AppError::Internal(e.into())),
    }
}

/// The form again with its errors and the values as typed.
async fn invalid(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    raw: RawComplaint,
    errors: FieldErrors,
) -> AppResult<HttpResponse> {
    let opts = state.db(|conn| Ok(ComplaintOptions::staff(conn)?)).await?;
    render_invalid(&NewCasePage {
        ctx: user.page().current("/cases/new"),
        errors,
        form: raw,
        opts,
        public: false,
    })
}
