//! The pages of two-factor sign-in: the code step after a correct password, setting up an
//! authenticator (QR code, then ten recovery codes shown once), and its status.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use crate::auth::second_factor::{self, CodeOutcome, Enrolment, Proof};
use crate::auth::{throttle, totp};
use crate::db::{recovery_codes, users};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{render_invalid, Form, FormErrors};
use crate::web::page::PageCtx;
use crate::web::responses::see_other;
use crate::web::session;
use crate::web::state::AppState;

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/code.html")]
pub struct CodePage {
    pub ctx: PageCtx,
    pub errors: FormErrors,
}

pub const WRONG_CODE: &str =
    "Enter a correct code from your authenticator app, or an unused recovery code";

/// `GET /login/code`: only between a correct password and the code.
pub async fn code_page(state: web::Data<AppState>, session: Session) -> AppResult<HttpResponse> {
    if session::awaiting_second_factor(&session, state.clock.now()).is_none() {
        return Ok(see_other("/login"));
    }
    let page = CodePage {
        ctx: PageCtx::anonymous(&session),
        errors: FormErrors::new(),
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(page.render()?))
}

/// `POST /login/code`: a correct code finishes signing in.
pub async fn code_submit(
    state: web::Data<AppState>,
    session: Session,
    client: ClientAddr,
    Form(form): Form<CodeForm>,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    let Some((id, generation)) = session::awaiting_second_factor(&session, clock.now()) else {
        return Ok(see_other("/login"));
    };
    let refuse = |message: &str| -> AppResult<HttpResponse> {
        let mut errors = FormErrors::new();
        errors.add("code", message);
        render_invalid(&CodePage {
            ctx: PageCtx::anonymous(&session),
            errors,
        })
    };
    if form.code.trim().is_empty() {
        return refuse("Enter the code from your authenticator app");
    }
    let ip = client.0.clone();
    let outcome = state
        .db(move |conn| {
            // The password was accepted under `generation`: a reset or sign-out since
            // then sends the user back to the start.
            let Some(user) =
                users::find(conn, id)?.filter(|u| u.active && u.session_generation == generation)
            else {
                return Ok(None);
            };
            let outcome = second_factor::check_code(conn, &user, &form.code, &ip, clock.now())?;
            Ok(Some((user, outcome)))
        })
        .await?;
    let Some((user, outcome)) = outcome else {
        session::sign_out(&session);
        return Ok(see_other("/login"));
    };
    match outcome {
        CodeOutcome::Locked => refuse(throttle::LOCKED_MESSAGE),
        CodeOutcome::Refused => refuse(WRONG_CODE),
        CodeOutcome::Passed(proof) => {
            session::sign_in(&session, user.id, user.session_generation, clock.now());
            if let Proof::RecoveryCode { left } = proof {
                session::set_flash(
                    &session,
                    &format!(
                        "You signed in with a recovery code. You have {left} left: if you have lost your authenticator, ask an administrator to reset two-factor sign-in"
                    ),
                );
            }
            Ok(see_other(if user.must_change_password {
                "/account/password"
            } else {
                "/"
            }))
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "account/two_factor.html")]
pub struct EnrolPage {
    pub ctx: PageCtx,
    pub errors: FormErrors,
    pub qr_svg: String,
    pub secret_grouped: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "account/two_factor_status.html")]
pub struct StatusPage {
    pub ctx: PageCtx,
    pub recovery_codes_left: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "account/recovery_codes.html")]
pub struct RecoveryCodesPage {
    pub ctx: PageCtx,
    pub codes: Vec<String>,
}

fn enrol_page(user: &CurrentUser, session: &Session, errors: FormErrors) -> AppResult<EnrolPage> {
    let secret = match session::enrolment_secret(session) {
        Some(secret) => secret,
        None => {
            let secret = totp::new_secret();
            session::set_enrolment_secret(session, &secret);
            secret
        }
    };
    let url = totp::enrolment_url(&secret, &user.email)?;
    Ok(EnrolPage {
        ctx: user.page().current("/account/two-factor"),
        errors,
        qr_svg: totp::qr_svg(&url)?,
        secret_grouped: totp::grouped(&secret),
    })
}

fn no_store(body: String, status: actix_web::http::StatusCode) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        // The secret and recovery codes must not stay in a browser cache.
        .insert_header(("Cache-Control", "no-store"))
        .body(body)
}

/// `GET /account/two-factor`: set up an authenticator, or see that one is set up.
pub async fn two_factor_page(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
) -> AppResult<HttpResponse> {
    let id = user.id;
    let enrolled = state
        .db(move |conn| {
            let row = users::find(conn, id)?.ok_or(AppError::SignInRequired)?;
            Ok(if row.second_factor_enrolled() {
                Some(recovery_codes::unused_count(conn, id)?)
            } else {
                None
            })
        })
        .await?;
    let body = match enrolled {
        Some(left) => StatusPage {
            ctx: user
                .page()
                .with_flash(&session)
                .current("/account/two-factor"),
            recovery_codes_left: left,
        }
        .render()?,
        None => enrol_page(&user, &session, FormErrors::new())?.render()?,
    };
    Ok(no_store(body, actix_web::http::StatusCode::OK))
}

/// `POST /account/two-factor`: the app's current code confirms the enrolment.
pub async fn two_factor_submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    Form(form): Form<CodeForm>,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    let invalid = |message: &str| -> AppResult<HttpResponse> {
        let mut errors = FormErrors::new();
        errors.add("code", message);
        let page = enrol_page(&user, &session, errors)?;
        Ok(no_store(
            page.render()?,
            actix_web::http::StatusCode::BAD_REQUEST,
        ))
    };
    let Some(secret) = session::enrolment_secret(&session) else {
        // No QR code was shown in this session: show one.
        return Ok(see_other("/account/two-factor"));
    };
    if form.code.trim().is_empty() {
        return invalid("Enter the 6-digit code from your authenticator app");
    }
    let (id, ip) = (user.id, client.0.clone());
    let enrolment = state
        .db(move |conn| {
            let row = users::find(conn, id)?.ok_or(AppError::SignInRequired)?;
            if row.second_factor_enrolled() {
                return Ok(None);
            }
            Ok(Some(second_factor::enrol(
                conn,
                &row,
                &secret,
                &form.code,
                &ip,
                clock.now(),
            )?))
        })
        .await?;
    match enrolment {
        None => Ok(see_other("/account/two-factor")),
        Some(Enrolment::WrongCode) => {
            invalid("Enter the code your authenticator app shows now: it changes every 30 seconds")
        }
        Some(Enrolment::Done {
            generation,
            recovery_codes,
        }) => {
            // Every other session of the user has ended; this one goes on (a new id).
            session::sign_in(&session, user.id, generation, clock.now());
            let mut ctx = user.page().current("/account/two-factor");
            ctx.csrf_token = session::csrf_token(&session);
            let page = RecoveryCodesPage {
                ctx,
                codes: recovery_codes,
            };
            Ok(no_store(page.render()?, actix_web::http::StatusCode::OK))
        }
    }
}
