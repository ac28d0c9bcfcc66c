//! Logging a complaint (officers): one GOV.UK form, errors beside each field with the typed
//! values kept; a valid complaint becomes a `received` case and its page is shown.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;

use crate::auth::Permission;
use diesel::Connection;
use serde::Deserialize;

use crate::cases::log::{log_complaint, LogError, Logger};
use crate::cases::transition::ActingUser;
use crate::db::{complainants, incoming_emails};
use crate::domain::case::{self, RawComplaint};
use crate::domain::Refusal;
use crate::domain::{ComplainantId, IncomingEmailId};
use crate::intake::message::sender_label;
use crate::intake::triage::TriageError;
use crate::web::cases::form_options::ComplaintOptions;
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{parse_clean, render_invalid, FieldErrors, Query};
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
    /// Logging from an email on the Emails page (issue 28).
    pub from_email: Option<FromEmail>,
    /// "Log and triage as stage 1" was pressed (the form shown again with errors leads with it).
    pub triage_now: bool,
}

/// The email a case is being logged from, and the complainants already recorded with its
/// sender's address (offered, never assumed).
pub struct FromEmail {
    pub id: IncomingEmailId,
    pub sender: String,
    pub subject: String,
    pub existing: Vec<(ComplainantId, String)>,
    pub chosen: Option<ComplainantId>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewCaseQuery {
    /// The email to log the case from.
    pub email: Option<i32>,
    /// An existing complainant with the sender's address, chosen by the officer.
    pub complainant: Option<i32>,
}

/// The hidden field that carries the email through the form, and whether the officer asked
/// to triage the complaint to stage 1 as it is logged.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Origin {
    from_email: Option<i32>,
    triage_now: String,
}

/// Loads the email (still waiting for an officer) and what the form offers with it.
fn from_email(
    conn: &mut crate::db::DbConnection,
    id: IncomingEmailId,
    chosen: Option<ComplainantId>,
) -> AppResult<(FromEmail, RawComplaint)> {
    let email = incoming_emails::find(conn, id)?
        .filter(|e| crate::intake::triage::may_act_on(&e.status))
        .ok_or(AppError::NotFound)?;
    let existing = complainants::with_email(conn, &email.from_address)?;
    let person = chosen.and_then(|c| existing.iter().find(|p| p.id == c));
    let raw = crate::intake::draft::complaint_from(&email, person);
    Ok((
        FromEmail {
            id,
            sender: sender_label(&email.from_name, &email.from_address),
            subject: email.subject.clone(),
            existing: existing.iter().map(|p| (p.id, p.name.clone())).collect(),
            chosen: person.map(|p| p.id),
        },
        raw,
    ))
}

pub async fn form(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: Query<NewCaseQuery>,
) -> AppResult<NewCasePage> {
    let clock = state.clock;
    user.require(Permission::ManageCases)?;
    let (email, chosen) = (
        query.email.map(IncomingEmailId),
        query.complainant.map(ComplainantId),
    );
    let (opts, origin) = state
        .db(move |conn| {
            let opts = ComplaintOptions::staff(conn)?;
            let origin = email.map(|id| from_email(conn, id, chosen)).transpose()?;
            Ok((opts, origin))
        })
        .await?;
    let today = clock.today();
    let (from_email, form) = match origin {
        Some((origin, raw)) => (Some(origin), raw),
        None => (
            None,
            RawComplaint {
                channel: "phone".into(),
                received_day: today.format("%-d").to_string(),
                received_month: today.format("%-m").to_string(),
                received_year: today.format("%Y").to_string(),
                ..RawComplaint::default()
            },
        ),
    };
    Ok(NewCasePage {
        ctx: user.page().current("/cases/new"),
        errors: FieldErrors::new(),
        form,
        opts,
        public: false,
        from_email,
        triage_now: false,
    })
}

pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    user.require(Permission::ManageCases)?;
    let raw: RawComplaint = parse_clean(&body)?;
    let origin: Origin = parse_clean(&body)?;
    let email = origin.from_email.map(IncomingEmailId);
    let triage_now = origin.triage_now == "true";
    let policy_name = state.settings.rules.policy.clone();
    let profile = state
        .policies
        .get(&policy_name)
        .cloned()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("active policy missing")))?;
    let today = clock.today();
    let (complaint, warnings) = match case::validate(&raw, &profile, today) {
        Ok(valid) => valid,
        Err((errors, _warnings)) => {
            return invalid(&state, &user, raw, errors, (email, triage_now)).await
        }
    };
    let calendar = state.calendar.clone();
    let settings = state.settings.clone();
    let (id, label, ip) = (user.id, user.audit_label(), client.0.clone());
    let logged = state
        .db(move |conn| {
            let now = clock.now_naive();
            // Logged from an email: the case, the email filed on it and its timeline entry
            // commit together, or none of them.
            Ok(conn.transaction(|conn| {
                let logged = log_complaint(
                    conn,
                    &complaint,
                    &profile,
                    &calendar,
                    &Logger {
                        user: Some(id),
                        label: &label,
                        ip: Some(&ip),
                    },
                    now,
                )?;
                if let Some(email) = email {
                    let actor = ActingUser {
                        id,
                        label: &label,
                        ip: Some(&ip),
                    };
                    crate::intake::triage::case_logged_from(conn, email, logged.id, &actor, now)
                        .map_err(FromEmailError::Triage)?;
                    crate::intake::receipt::queue_receipt(conn, &settings, logged.id, now)
                        .map_err(FromEmailError::Receipt)?;
                }
                Ok::<_, FromEmailError>(logged)
            }))
        })
        .await?;
    match logged {
        Err(FromEmailError::Triage(TriageError::AlreadyHandled | TriageError::NotFound)) => {
            session::set_flash(
                &session,
                "Someone else dealt with this email first, so no case was logged from it",
            );
            Ok(see_other(&format!(
                "/emails/{}",
                email.map(|e| e.0).unwrap_or_default()
            )))
        }
        Err(FromEmailError::Triage(e)) => Err(AppError::Internal(e.into())),
        Err(FromEmailError::Receipt(e)) => Err(AppError::Internal(e)),
        Err(FromEmailError::Log(e)) => {
            let origin = (email, triage_now);
            logged_outcome(&state, &user, &session, raw, origin, Err(e), &warnings).await
        }
        Ok(logged) => {
            let mut message = format!("Complaint logged as {}", logged.reference);
            if triage_now {
                let ctx = crate::web::runner::CaseRequest {
                    state: state.clone(),
                    user: user.clone(),
                    session: session.clone(),
                    client: client.clone(),
                    reference: logged.reference.to_string(),
                };
                // Logged either way: a refusal is told, and the case waits for triage.
                match crate::web::cases::actions::triage::stage1_now(&ctx).await? {
                    crate::web::runner::Outcome::Done { .. } => {
                        message.push_str(" and triaged to stage 1");
                    }
                    crate::web::runner::Outcome::Refused { message: why, .. } => {
                        message.push_str(&format!(". It could not be triaged now: {why}"));
                    }
                    crate::web::runner::Outcome::Stale { .. } => {
                        message.push_str(". Someone else changed it first, so triage it now");
                    }
                }
            }
            let origin = (email, triage_now);
            logged_outcome(
                &state,
                &user,
                &session,
                raw,
                origin,
                Ok((logged, message)),
                &warnings,
            )
            .await
        }
    }
}

/// Why logging from an email failed: the logging itself, or the email's filing.
enum FromEmailError {
    Log(LogError),
    Triage(TriageError),
    Receipt(anyhow::Error),
}

impl From<LogError> for FromEmailError {
    fn from(e: LogError) -> Self {
        FromEmailError::Log(e)
    }
}

impl From<diesel::result::Error> for FromEmailError {
    fn from(e: diesel::result::Error) -> Self {
        FromEmailError::Log(LogError::Database(e))
    }
}

async fn logged_outcome(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    session: &Session,
    raw: RawComplaint,
    origin: (Option<IncomingEmailId>, bool),
    logged: Result<(crate::cases::log::Logged, String), LogError>,
    warnings: &[crate::domain::case::intake::Warning],
) -> AppResult<HttpResponse> {
    match logged {
        Ok((logged, mut message)) => {
            for warning in warnings {
                message.push_str(". ");
                message.push_str(&warning.message);
            }
            session::set_flash(session, &message);
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
            invalid(state, user, raw, errors, origin).await
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
    (email, triage_now): (Option<IncomingEmailId>, bool),
) -> AppResult<HttpResponse> {
    let (opts, origin) = state
        .db(move |conn| {
            let opts = ComplaintOptions::staff(conn)?;
            let origin = email.map(|id| from_email(conn, id, None)).transpose()?;
            Ok((opts, origin))
        })
        .await?;
    render_invalid(&NewCasePage {
        ctx: user.page().current("/cases/new"),
        errors,
        form: raw,
        opts,
        public: false,
        from_email: origin.map(|(origin, _)| origin),
        triage_now,
    })
}
