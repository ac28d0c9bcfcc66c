//! Staff sign-in (the password step; the code step is in `second_factor`), sign-out and
//! password change.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use diesel::Connection;
use serde::Deserialize;

use crate::auth::second_factor::{self, Step};
use crate::auth::{password, sessions, throttle};
use crate::db::audit::{self, AuditEntry};
use crate::db::users;
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{render_invalid, FieldErrors, Form, Query};
use crate::web::page::PageCtx;
use crate::web::responses::see_other;
use crate::web::session;
use crate::web::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "auth/login.html")]
pub struct LoginPage {
    pub ctx: PageCtx,
    pub errors: FieldErrors,
    pub email: String,
    pub notice: Option<&'static str>,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    expired: Option<String>,
    #[serde(default)]
    signed_out: Option<String>,
}

pub async fn login_page(session: Session, query: Query<LoginQuery>) -> LoginPage {
    LoginPage {
        ctx: PageCtx::anonymous(&session).with_flash(&session),
        errors: FieldErrors::new(),
        email: String::new(),
        notice: if query.expired.is_some() {
            Some("You were signed out because you had not used Redress for a while. Sign in again.")
        } else if query.signed_out.is_some() {
            Some("You have signed out.")
        } else {
            None
        },
    }
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub const WRONG_CREDENTIALS: &str = "Enter a correct email address and password";

enum SignIn {
    Ok { user: users::UserRow, step: Step },
    Refused(&'static str),
}

pub async fn login_submit(
    state: web::Data<AppState>,
    session: Session,
    client: ClientAddr,
    Form(form): Form<LoginForm>,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    let mut errors = FieldErrors::new();
    if form.email.trim().is_empty() {
        errors.add("email", "Enter your email address");
    }
    if form.password.is_empty() {
        errors.add("password", "Enter your password");
    }
    let refuse = |errors: FieldErrors| -> AppResult<HttpResponse> {
        let page = LoginPage {
            ctx: PageCtx::anonymous(&session),
            errors,
            email: form.email.clone(),
            notice: None,
        };
        render_invalid(&page)
    };
    if !errors.is_empty() {
        return refuse(errors);
    }

    let email = form.email.trim().to_lowercase();
    let attempt_password = form.password.clone();
    let ip = client.0.clone();
    let auth_settings = state.settings.auth.clone();
    let outcome = state
        .db(move |conn| {
            let now = clock.now_naive();
            let admission = throttle::admit(conn, &email, &ip, now)?;
            let throttle::Admission::Admitted { attempt } = admission else {
                audit::record(
                    conn,
                    &AuditEntry::new(
                        None,
                        &email,
                        "sign_in_locked",
                        format!("email:{email}"),
                        "",
                        Some(&ip),
                    ),
                )?;
                return Ok(SignIn::Refused(throttle::LOCKED_MESSAGE));
            };
            let user = users::find_by_email(conn, &email)?;
            // Verify against a dummy hash for unknown users so timing does not reveal accounts.
            let hash = user
                .as_ref()
                .map(|u| u.password_hash.clone())
                .unwrap_or_else(|| password::dummy_hash().to_string());
            let matches = password::verify(&attempt_password, &hash);
            let user = user.filter(|u| matches && u.active);
            match user {
                Some(user) => {
                    throttle::succeeded(conn, attempt)?;
                    let step = second_factor::step_after_password(&user, &auth_settings);
                    // With a code to come, the sign-in is audited once the code is right.
                    let (action, detail) = match step {
                        Step::Code => ("sign_in_awaiting_code", ""),
                        Step::Enrol => ("sign_in", "password; two-factor set-up required"),
                        Step::PasswordOnly => ("sign_in", "password"),
                    };
                    audit::record(
                        conn,
                        &AuditEntry::new(
                            Some(user.id),
                            &user.email,
                            action,
                            format!("user:{}", user.id),
                            detail,
                            Some(&ip),
                        ),
                    )?;
                    Ok(SignIn::Ok { user, step })
                }
                None => {
                    audit::record(
                        conn,
                        &AuditEntry::new(
                            None,
                            &email,
                            "sign_in_failed",
                            format!("email:{email}"),
                            "",
                            Some(&ip),
                        ),
                    )?;
                    Ok(SignIn::Refused(WRONG_CREDENTIALS))
                }
            }
        })
        .await?;

    match outcome {
        SignIn::Ok {
            user,
            step: Step::Code,
        } => {
            session::await_second_factor(&session, user.id, user.session_generation, clock.now());
            Ok(see_other("/login/code"))
        }
        SignIn::Ok { user, step } => {
            session::sign_in(&session, user.id, user.session_generation, clock.now());
            let target = if user.must_change_password {
                "/account/password"
            } else if step == Step::Enrol {
                "/account/two-factor"
            } else {
                "/"
            };
            Ok(see_other(target))
        }
        SignIn::Refused(message) => {
            let mut errors = FieldErrors::new();
            errors.add("email", message);
            refuse(errors)
        }
    }
}

pub async fn logout(
    state: web::Data<AppState>,
    session: Session,
    client: ClientAddr,
    user: Option<CurrentUser>,
) -> AppResult<HttpResponse> {
    if let Some(user) = user {
        let actor = (user.id, user.audit_label(), client.0.clone());
        state
            .db(move |conn| {
                let (id, label, ip) = actor;
                Ok(sessions::sign_out(
                    conn,
                    &sessions::Actor { id, label, ip: &ip },
                )?)
            })
            .await?;
    }
    session::sign_out(&session);
    Ok(see_other("/login?signed_out=1"))
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/password.html")]
pub struct PasswordPage {
    pub ctx: PageCtx,
    pub errors: FieldErrors,
    pub forced: bool,
}

pub async fn password_page(user: CurrentUser) -> PasswordPage {
    PasswordPage {
        forced: user.must_change_password,
        ctx: user.page().current("/account/password"),
        errors: FieldErrors::new(),
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

pub async fn password_submit(
    state: web::Data<AppState>,
    session: Session,
    client: ClientAddr,
    user: CurrentUser,
    Form(form): Form<PasswordForm>,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    let mut errors = FieldErrors::new();
    if form.current_password.is_empty() {
        errors.add("current_password", "Enter your current password");
    }
    if form.new_password.is_empty() {
        errors.add("new_password", "Enter a new password");
    } else if let Err(message) =
        password::check_strength(&form.new_password, &[&user.email, &user.display_name])
    {
        errors.add("new_password", message);
    } else if form.new_password == form.current_password {
        errors.add(
            "new_password",
            "New password must be different from your current password",
        );
    }
    if form.confirm_password != form.new_password && !errors.has("new_password") {
        errors.add("confirm_password", "Passwords must match");
    }

    let (id, label, ip) = (user.id, user.audit_label(), client.0.clone());
    let (current, new) = (form.current_password.clone(), form.new_password.clone());
    let check_only = !errors.is_empty();
    // `Some(generation)` once changed: every other session of the user has ended.
    let (current_ok, changed) = state
        .db(move |conn| {
            let row = users::find(conn, id)?.ok_or(AppError::SignInRequired)?;
            if !password::verify(&current, &row.password_hash) {
                return Ok((false, None));
            }
            if check_only {
                return Ok((true, None));
            }
            let hash = password::hash(&new)?;
            let now = clock.now_naive();
            let generation = conn.transaction(|conn| {
                let generation = users::set_password(conn, id, &hash, false, now)?;
                audit::record(
                    conn,
                    &AuditEntry::new(
                        Some(id),
                        label,
                        "password_changed",
                        format!("user:{id}"),
                        "",
                        Some(&ip),
                    ),
                )?;
                diesel::QueryResult::Ok(generation)
            })?;
            Ok((true, Some(generation)))
        })
        .await?;
    if !current_ok {
        errors = {
            let mut with_current = FieldErrors::new();
            with_current.add("current_password", "Your current password is wrong");
            for e in errors.list() {
                with_current.add(&e.field, e.message.clone());
            }
            with_current
        };
    }
    if !errors.is_empty() {
        let page = PasswordPage {
            forced: user.must_change_password,
            ctx: user.page().current("/account/password"),
            errors,
        };
        return render_invalid(&page);
    }
    let Some(generation) = changed else {
        return Err(AppError::Internal(anyhow::anyhow!(
            "password change reported no new session generation"
        )));
    };
    // The session that changed the password stays signed in: it is re-issued under a new
    // id and the new generation, while every other session of the user has ended.
    session::sign_in(&session, user.id, generation, state.clock.now());
    session::set_flash(&session, "Your password has been changed");
    Ok(see_other("/"))
}
