//! The public complaint form at `/complain`: no sign-in, accessible, rate-limited per client
//! address, with a honeypot field for bots. It shows only the new case's reference.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use chrono::Duration;
use serde::Deserialize;

use crate::cases::log::{log_complaint, Logger};
use crate::db::public_submissions;
use crate::domain::case::{self, RawComplaint};
use crate::web::cases::form_options::ComplaintOptions;
use crate::web::client_addr::ClientAddr;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{parse_clean, render_invalid, render_page, FieldErrors};
use crate::web::page::PageCtx;
use crate::web::state::AppState;

/// Submissions one address may make in an hour (SPEC section 8).
pub const SUBMISSIONS_PER_HOUR: i64 = 5;

#[derive(Template, WebTemplate)]
#[template(path = "public/complain.html")]
pub struct ComplainPage {
    pub ctx: PageCtx,
    pub errors: FieldErrors,
    pub form: RawComplaint,
    pub opts: ComplaintOptions,
    pub public: bool,
    pub landlord: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "public/complain_done.html")]
pub struct ComplainDonePage {
    pub ctx: PageCtx,
    pub reference: Option<String>,
    pub acknowledge_days: Option<u32>,
    pub landlord: String,
}

/// Counts a submission from `ip` against the hourly limit and runs `store` with it, in one
/// locked transaction: `None` when the limit is reached (nothing recorded, nothing stored).
/// A refused or invalid form never gets here, and a failed `store` rolls the count back.
fn within_limit<T>(
    conn: &mut crate::db::DbConnection,
    ip: &str,
    now: chrono::NaiveDateTime,
    store: impl FnOnce(&mut crate::db::DbConnection) -> AppResult<T>,
) -> AppResult<Option<T>> {
    public_submissions::within_limit(
        conn,
        ip,
        now,
        now - Duration::hours(1),
        SUBMISSIONS_PER_HOUR,
        store,
    )
}

pub async fn form(state: web::Data<AppState>, session: Session) -> ComplainPage {
    ComplainPage {
        ctx: PageCtx::anonymous(&session),
        errors: FieldErrors::new(),
        form: RawComplaint::default(),
        opts: ComplaintOptions::public(),
        public: true,
        landlord: state.settings.landlord.name.clone(),
    }
}

#[derive(Deserialize)]
pub struct Honeypot {
    /// Hidden from people; bots fill every field.
    #[serde(default)]
    website: String,
}

pub async fn submit(
    state: web::Data<AppState>,
    session: Session,
    client: ClientAddr,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    let raw: RawComplaint = parse_clean(&body)?;
    let honeypot: Honeypot = parse_clean(&body)?;
    let ip = client.0.clone();
    let landlord = state.settings.landlord.name.clone();
    if !honeypot.website.trim().is_empty() {
        // Looks like success to a bot; nothing is stored but the count, so a bot is held
        // to the same hourly limit.
        let counted = state
            .db(move |conn| within_limit(conn, &ip, clock.now_naive(), |_| Ok(())))
            .await?;
        counted.ok_or(AppError::TooManyRequests)?;
        return render_page(&ComplainDonePage {
            ctx: PageCtx::anonymous(&session),
            reference: None,
            acknowledge_days: None,
            landlord,
        });
    }
    let profile = state
        .policies
        .get(&state.settings.rules.policy)
        .cloned()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("active policy missing")))?;
    let today = clock.today();
    let (complaint, _warnings) = match case::validate_public(&raw, &profile, today) {
        Ok(valid) => valid,
        Err((errors, _)) => {
            return render_invalid(&ComplainPage {
                ctx: PageCtx::anonymous(&session),
                errors,
                form: raw,
                opts: ComplaintOptions::public(),
                public: true,
                landlord,
            })
        }
    };
    let acknowledge_days = profile
        .deadline_rule(
            crate::rules::Stage::Stage1,
            crate::rules::policy::DeadlineKind::Acknowledge,
            false,
        )
        .map(|rule| rule.length);
    let calendar = state.calendar.clone();
    let settings = state.settings.clone();
    let logged = state
        .db(move |conn| {
            within_limit(conn, &ip, clock.now_naive(), |conn| {
                let logged = log_complaint(
                    conn,
                    &complaint,
                    &profile,
                    &calendar,
                    &Logger {
                        user: None,
                        label: "public web form",
                        ip: Some(&ip),
                    },
                    clock.now_naive(),
                )
                .map_err(|e| AppError::Internal(e.into()))?;
                // Issue 28: the automatic receipt, queued with the case.
                crate::intake::receipt::queue_receipt(
                    conn,
                    &settings,
                    logged.id,
                    clock.now_naive(),
                )
                .map_err(AppError::Internal)?;
                Ok(logged)
            })
        })
        .await?
        .ok_or(AppError::TooManyRequests)?;
    render_page(&ComplainDonePage {
        ctx: PageCtx::anonymous(&session),
        reference: Some(logged.reference.to_string()),
        acknowledge_days,
        landlord,
    })
}
