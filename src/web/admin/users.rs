//! Staff accounts: list, add (with a one-time password shown once), deactivate,
//! reactivate, reset password, sign out everywhere, and set service areas.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use diesel::Connection;
use serde::Deserialize;

use crate::auth::{password, second_factor, sessions, Permission};
use crate::db::audit::{self, AuditEntry};
use crate::db::service_areas::{self, ServiceAreaRow};
use crate::db::users::{self, NewUser, UserRow};
use crate::domain::{Email, Role, ServiceAreaId, UserId};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{render_invalid, FieldErrors, Form};
use crate::web::page::PageCtx;
use crate::web::responses::see_other;
use crate::web::session;
use crate::web::state::AppState;

pub struct UserListItem {
    pub row: UserRow,
    pub role_label: &'static str,
    pub areas: Vec<String>,
    pub two_factor: &'static str,
}

/// Where the user stands with two-factor sign-in, in words.
fn two_factor_label(row: &UserRow, settings: &crate::config::AuthSettings) -> &'static str {
    use second_factor::Step;
    if row.demo {
        return "Not needed (demo account)";
    }
    match second_factor::step_after_password(row, settings) {
        Step::Code => "Set up",
        Step::Enrol => "Not set up yet",
        Step::PasswordOnly => "Not needed for this role",
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/users.html")]
pub struct UsersPage {
    pub ctx: PageCtx,
    pub users: Vec<UserListItem>,
}

fn role_label(role: &str) -> &'static str {
    role.parse::<Role>()
        .map(Role::label)
        .unwrap_or("Unknown role")
}

pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
) -> AppResult<UsersPage> {
    user.require(Permission::Administer)?;
    let auth = state.settings.auth.clone();
    let users = state
        .db(move |conn| {
            let areas = service_areas::list_all(conn)?;
            let mut items = Vec::new();
            for row in users::list_all(conn)? {
                let ids = users::service_area_ids(conn, row.id)?;
                items.push(UserListItem {
                    role_label: role_label(&row.role),
                    areas: area_names(&areas, &ids),
                    two_factor: two_factor_label(&row, &auth),
                    row,
                });
            }
            Ok(items)
        })
        .await?;
    Ok(UsersPage {
        ctx: user.page().with_flash(&session).current("/admin/users"),
        users,
    })
}

fn area_names(areas: &[ServiceAreaRow], ids: &[ServiceAreaId]) -> Vec<String> {
    areas
        .iter()
        .filter(|a| ids.contains(&a.id))
        .map(|a| a.name.clone())
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/user_new.html")]
pub struct NewUserPage {
    pub ctx: PageCtx,
    pub errors: FieldErrors,
    pub form: NewUserForm,
    pub roles: Vec<(&'static str, &'static str)>,
    pub areas: Vec<ServiceAreaRow>,
}

#[derive(Debug, Default, Deserialize)]
pub struct NewUserForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub service_area: Vec<i32>,
}

impl NewUserForm {
    pub fn has_area(&self, id: &ServiceAreaId) -> bool {
        self.service_area.contains(&id.0)
    }
}

fn role_options() -> Vec<(&'static str, &'static str)> {
    Role::ALL.iter().map(|r| (r.as_str(), r.label())).collect()
}

pub async fn new_form(state: web::Data<AppState>, user: CurrentUser) -> AppResult<NewUserPage> {
    user.require(Permission::Administer)?;
    let areas = state.db(|conn| Ok(service_areas::list_all(conn)?)).await?;
    Ok(NewUserPage {
        ctx: user.page().current("/admin/users"),
        errors: FieldErrors::new(),
        form: NewUserForm::default(),
        roles: role_options(),
        areas,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/user_password.html")]
pub struct OneTimePasswordPage {
    pub ctx: PageCtx,
    pub heading: &'static str,
    pub email: String,
    pub password: String,
}

fn no_store(page: impl Template) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(page.render()?))
}

pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    client: ClientAddr,
    Form(form): Form<NewUserForm>,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    user.require(Permission::Administer)?;
    let mut errors = FieldErrors::new();
    let email = match Email::parse(&form.email) {
        Ok(email) => Some(email),
        Err(message) => {
            errors.add("email", message);
            None
        }
    };
    let name = form.display_name.trim().to_string();
    if name.is_empty() {
        errors.add("display_name", "Enter the person's full name");
    } else if name.chars().count() > 100 {
        errors.add("display_name", "Full name must be 100 characters or fewer");
    }
    let role = form.role.parse::<Role>().ok();
    if role.is_none() {
        errors.add("role", "Select a role");
    }
    let area_ids: Vec<ServiceAreaId> = form
        .service_area
        .iter()
        .map(|id| ServiceAreaId(*id))
        .collect();

    let one_time = password::generate();
    let hash = password::hash(&one_time)?;
    let (actor, label, ip) = (user.id, user.audit_label(), client.0.clone());
    let email_for_db = email.clone();
    let role_for_db = role;
    let name_for_db = name.clone();
    let valid = errors.is_empty();
    let (areas, taken) = state
        .db(move |conn| {
            let areas = service_areas::list_all(conn)?;
            let taken = match &email_for_db {
                Some(e) => users::find_by_email(conn, e.as_str())?.is_some(),
                None => false,
            };
            let unknown_area = area_ids.iter().any(|id| !areas.iter().any(|a| a.id == *id));
            if !valid || taken || unknown_area {
                return Ok((areas, taken));
            }
            let (Some(email), Some(role)) = (email_for_db, role_for_db) else {
                return Ok((areas, taken));
            };
            let now = clock.now_naive();
            conn.transaction(|conn| {
                let created = users::insert(
                    conn,
                    &NewUser {
                        email: email.as_str(),
                        display_name: &name_for_db,
                        role: role.as_str(),
                        password_hash: &hash,
                        must_change_password: true,
                        active: true,
                        created_at: now,
                        updated_at: now,
                    },
                )?;
                users::set_service_areas(conn, created.id, &area_ids)?;
                audit::record(
                    conn,
                    &AuditEntry::new(
                        Some(actor),
                        label,
                        "user_created",
                        format!("user:{}", created.id),
                        format!(
                            "role={} areas={:?}",
                            role,
                            area_ids.iter().map(|a| a.0).collect::<Vec<_>>()
                        ),
                        Some(&ip),
                    ),
                )
            })?;
            Ok((areas, false))
        })
        .await?;
    if taken {
        errors.add("email", "A user with this email address already exists");
    }
    if !errors.is_empty() {
        let page = NewUserPage {
            ctx: user.page().current("/admin/users"),
            errors,
            form,
            roles: role_options(),
            areas,
        };
        return render_invalid(&page);
    }
    no_store(OneTimePasswordPage {
        ctx: user.page().current("/admin/users"),
        heading: "User added",
        email: email.map(|e| e.to_string()).unwrap_or_default(),
        password: one_time,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/user_edit.html")]
pub struct EditUserPage {
    pub ctx: PageCtx,
    pub target: UserRow,
    pub role_label: &'static str,
    pub two_factor: &'static str,
    pub areas: Vec<ServiceAreaRow>,
    pub member_of: Vec<ServiceAreaId>,
    pub is_self: bool,
}

pub async fn edit(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    path: web::Path<i32>,
) -> AppResult<EditUserPage> {
    user.require(Permission::Administer)?;
    let id = UserId(path.into_inner());
    let (target, areas, member_of) = state
        .db(move |conn| {
            let target = users::find(conn, id)?.ok_or(AppError::NotFound)?;
            Ok((
                target,
                service_areas::list_all(conn)?,
                users::service_area_ids(conn, id)?,
            ))
        })
        .await?;
    Ok(EditUserPage {
        ctx: user.page().with_flash(&session).current("/admin/users"),
        role_label: role_label(&target.role),
        two_factor: two_factor_label(&target, &state.settings.auth),
        is_self: target.id == user.id,
        target,
        areas,
        member_of,
    })
}

#[derive(Deserialize)]
pub struct AreasForm {
    #[serde(default)]
    service_area: Vec<i32>,
}

pub async fn set_areas(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<i32>,
    Form(form): Form<AreasForm>,
) -> AppResult<HttpResponse> {
    user.require(Permission::Administer)?;
    let id = UserId(path.into_inner());
    let ids: Vec<ServiceAreaId> = form.service_area.into_iter().map(ServiceAreaId).collect();
    let (label, ip) = (user.audit_label(), client.0.clone());
    let actor = user.id;
    state
        .db(move |conn| {
            users::find(conn, id)?.ok_or(AppError::NotFound)?;
            let known = service_areas::list_all(conn)?;
            if ids.iter().any(|a| !known.iter().any(|k| k.id == *a)) {
                return Err(AppError::BadRequest("Unknown service area".into()));
            }
            conn.transaction(|conn| {
                users::set_service_areas(conn, id, &ids)?;
                audit::record(
                    conn,
                    &AuditEntry::new(
                        Some(actor),
                        label,
                        "user_service_areas_set",
                        format!("user:{id}"),
                        format!("areas={:?}", ids.iter().map(|a| a.0).collect::<Vec<_>>()),
                        Some(&ip),
                    ),
                )
            })?;
            Ok(())
        })
        .await?;
    session::set_flash(&session, "Service areas updated");
    Ok(see_other(&format!("/admin/users/{id}")))
}

#[derive(Deserialize)]
pub struct ActiveForm {
    #[serde(default)]
    active: String,
}

pub async fn set_active(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<i32>,
    Form(form): Form<ActiveForm>,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    user.require(Permission::Administer)?;
    let id = UserId(path.into_inner());
    if id == user.id {
        return Err(AppError::BadRequest(
            "You cannot deactivate your own account. Ask another administrator.".into(),
        ));
    }
    let active = form.active == "true";
    let (label, ip, actor) = (user.audit_label(), client.0.clone(), user.id);
    state
        .db(move |conn| {
            users::find(conn, id)?.ok_or(AppError::NotFound)?;
            conn.transaction(|conn| {
                users::set_active(conn, id, active, clock.now_naive())?;
                audit::record(
                    conn,
                    &AuditEntry::new(
                        Some(actor),
                        label,
                        if active {
                            "user_reactivated"
                        } else {
                            "user_deactivated"
                        },
                        format!("user:{id}"),
                        "",
                        Some(&ip),
                    ),
                )
            })?;
            Ok(())
        })
        .await?;
    session::set_flash(
        &session,
        if active {
            "User reactivated"
        } else {
            "User deactivated: they are signed out at once"
        },
    );
    Ok(see_other(&format!("/admin/users/{id}")))
}

pub async fn reset_password(
    state: web::Data<AppState>,
    user: CurrentUser,
    client: ClientAddr,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    user.require(Permission::Administer)?;
    let id = UserId(path.into_inner());
    let one_time = password::generate();
    let hash = password::hash(&one_time)?;
    let (label, ip, actor) = (user.audit_label(), client.0.clone(), user.id);
    let target = state
        .db(move |conn| {
            let target = users::find(conn, id)?.ok_or(AppError::NotFound)?;
            conn.transaction(|conn| {
                users::set_password(conn, id, &hash, true, clock.now_naive())?;
                audit::record(
                    conn,
                    &AuditEntry::new(
                        Some(actor),
                        label,
                        "user_password_reset",
                        format!("user:{id}"),
                        "",
                        Some(&ip),
                    ),
                )
            })?;
            Ok(target)
        })
        .await?;
    no_store(OneTimePasswordPage {
        ctx: user.page().current("/admin/users"),
        heading: "Password reset",
        email: target.email,
        password: one_time,
    })
}

/// "Reset two-factor sign-in" (a lost phone): the user's authenticator and recovery codes
/// are forgotten and their sessions end; they set it up again at their next sign-in.
pub async fn reset_second_factor(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    user.require(Permission::Administer)?;
    let clock = state.clock;
    let target = UserId(path.into_inner());
    let (id, label, ip) = (user.id, user.audit_label(), client.0.clone());
    state
        .db(move |conn| {
            users::find(conn, target)?.ok_or(AppError::NotFound)?;
            let actor = sessions::Actor { id, label, ip: &ip };
            Ok(second_factor::reset(conn, &actor, target, clock.now())?)
        })
        .await?;
    session::set_flash(
        &session,
        "Two-factor sign-in reset: they are signed out and set it up again when they next sign in",
    );
    Ok(see_other(&format!("/admin/users/{target}")))
}

/// "Sign out everywhere": ends every session the user has, on any device, without
/// touching their password (e.g. a lost laptop).
pub async fn sign_out_everywhere(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    user.require(Permission::Administer)?;
    let target = UserId(path.into_inner());
    let (id, label, ip) = (user.id, user.audit_label(), client.0.clone());
    state
        .db(move |conn| {
            users::find(conn, target)?.ok_or(AppError::NotFound)?;
            let actor = sessions::Actor { id, label, ip: &ip };
            Ok(sessions::sign_out_everywhere(conn, &actor, target)?)
        })
        .await?;
    session::set_flash(&session, "User signed out everywhere");
    Ok(see_other(&format!("/admin/users/{target}")))
}
