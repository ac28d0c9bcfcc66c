//! Saved views (issue 24): a user keeps the current list's filters and sort under a name of
//! their own, sees it beside the built-in lists with its count, and renames or deletes it at
//! `/cases/views`. Each view is its owner's alone: anyone else asking for it gets 404.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use diesel::Connection;
use serde::Deserialize;

use crate::auth::Permission;
use crate::db::audit::{self, AuditEntry};
use crate::db::saved_views::{self, SavedView};
use crate::db::DbConnection;
use crate::web::cases::list::{parse_request, url_for};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{FieldErrors, Form};
use crate::web::page::PageCtx;
use crate::web::responses::see_other;
use crate::web::session::set_flash;
use crate::web::state::AppState;

/// The longest name a view may have.
pub const NAME_MAX: usize = 60;

/// A view's address: its list with its filters and sort.
pub fn href(view: &SavedView) -> String {
    if view.query.is_empty() {
        "/cases".to_string()
    } else {
        format!("/cases?{}", view.query)
    }
}

/// The canonical query string for what `raw` asks for, without its page: only parameters
/// the list knows are kept.
pub fn canonical_query(raw: &str, user: &CurrentUser) -> String {
    let raw = raw.trim_start_matches("/cases").trim_start_matches('?');
    let filter = parse_request(raw, user.role).filter;
    let url = url_for(&filter, filter.list, 1, user.role);
    url.trim_start_matches("/cases")
        .trim_start_matches('?')
        .to_string()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ViewForm {
    pub name: String,
    /// The list's query string (saving only).
    pub query: String,
}

pub struct ViewRow {
    pub id: i32,
    pub name: String,
    pub href: String,
    /// The name as typed when a rename was refused.
    pub typed: String,
}

#[derive(Template)]
#[template(path = "cases/views.html")]
pub struct ViewsPage {
    pub ctx: PageCtx,
    pub errors: FieldErrors,
    pub views: Vec<ViewRow>,
    /// The new view's name and list, when saving was refused.
    pub new_name: String,
    pub new_query: String,
}

async fn page(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    session: &actix_session::Session,
    errors: FieldErrors,
    typed: Option<(Option<i32>, ViewForm)>,
) -> AppResult<HttpResponse> {
    let owner = user.id;
    let views = state
        .db(move |conn| Ok(saved_views::list_for(conn, owner)?))
        .await?;
    let (renamed, form) = match typed {
        Some((id, form)) => (id, form),
        None => (None, ViewForm::default()),
    };
    let views = views
        .iter()
        .map(|v| ViewRow {
            id: v.id,
            name: v.name.clone(),
            href: href(v),
            typed: if renamed == Some(v.id) {
                form.name.clone()
            } else {
                v.name.clone()
            },
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let body = ViewsPage {
        ctx: user.page().with_flash(session).current("/cases"),
        errors,
        views,
        new_name: if renamed.is_none() {
            form.name.clone()
        } else {
            String::new()
        },
        new_query: form.query,
    }
    .render()?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: actix_session::Session,
) -> AppResult<HttpResponse> {
    user.require(Permission::ViewCases)?;
    page(&state, &user, &session, FieldErrors::new(), None).await
}

/// The name's problem, if any: `field` is where the message goes.
fn name_error(
    conn: &mut DbConnection,
    user: &CurrentUser,
    name: &str,
    except: Option<i32>,
) -> Result<Option<String>, AppError> {
    Ok(if name.is_empty() {
        Some("Enter a name for the view".into())
    } else if name.chars().count() > NAME_MAX {
        Some(format!("The name must be {NAME_MAX} characters or fewer"))
    } else if saved_views::name_taken(conn, user.id, name, except)? {
        Some(format!(
            "You already have a view called {name}: choose another name"
        ))
    } else {
        None
    })
}

fn audited(
    conn: &mut DbConnection,
    user: &CurrentUser,
    client: &ClientAddr,
    action: &str,
    id: i32,
) -> Result<(), AppError> {
    audit::record(
        conn,
        &AuditEntry::new(
            Some(user.id),
            user.audit_label(),
            action,
            format!("saved_view:{id}"),
            "",
            Some(&client.0),
        ),
    )?;
    Ok(())
}

/// `POST /cases/views`: save the list `query` as `name`, then show it.
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    client: ClientAddr,
    session: actix_session::Session,
    Form(form): Form<ViewForm>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ViewCases)?;
    let name = form.name.trim().to_string();
    let query = canonical_query(&form.query, &user);
    let now = state.clock.now_naive();
    let who = user.clone();
    let saved = state
        .db(move |conn| {
            if let Some(message) = name_error(conn, &who, &name, None)? {
                return Ok(Err(message));
            }
            conn.transaction(|conn| {
                let id = saved_views::create(conn, who.id, &name, &query, now)?;
                audited(conn, &who, &client, "saved_view_created", id)?;
                Ok::<_, AppError>(Ok((name, query)))
            })
        })
        .await?;
    match saved {
        Ok((name, query)) => {
            set_flash(&session, &format!("Saved as a view: {name}"));
            let to = if query.is_empty() {
                "/cases".to_string()
            } else {
                format!("/cases?{query}")
            };
            Ok(see_other(&to))
        }
        Err(message) => {
            let mut errors = FieldErrors::new();
            errors.add("name", message);
            page(&state, &user, &session, errors, Some((None, form))).await
        }
    }
}

/// `POST /cases/views/{id}`: rename.
pub async fn rename(
    state: web::Data<AppState>,
    user: CurrentUser,
    client: ClientAddr,
    session: actix_session::Session,
    path: web::Path<String>,
    Form(form): Form<ViewForm>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ViewCases)?;
    let id: i32 = path.parse().map_err(|_| AppError::NotFound)?;
    let name = form.name.trim().to_string();
    let who = user.clone();
    let renamed = state
        .db(move |conn| {
            saved_views::find(conn, who.id, id)?.ok_or(AppError::NotFound)?;
            if let Some(message) = name_error(conn, &who, &name, Some(id))? {
                return Ok(Err(message));
            }
            conn.transaction(|conn| {
                saved_views::rename(conn, who.id, id, &name)?;
                audited(conn, &who, &client, "saved_view_renamed", id)?;
                Ok::<_, AppError>(Ok(name))
            })
        })
        .await?;
    match renamed {
        Ok(name) => {
            set_flash(&session, &format!("View renamed: {name}"));
            Ok(see_other("/cases/views"))
        }
        Err(message) => {
            let mut errors = FieldErrors::new();
            errors.add(&format!("name-{id}"), message);
            page(&state, &user, &session, errors, Some((Some(id), form))).await
        }
    }
}

/// `POST /cases/views/{id}/delete`.
pub async fn delete(
    state: web::Data<AppState>,
    user: CurrentUser,
    client: ClientAddr,
    session: actix_session::Session,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ViewCases)?;
    let id: i32 = path.parse().map_err(|_| AppError::NotFound)?;
    let who = user.clone();
    let name = state
        .db(move |conn| {
            let view = saved_views::find(conn, who.id, id)?.ok_or(AppError::NotFound)?;
            conn.transaction(|conn| {
                saved_views::delete(conn, who.id, id)?;
                audited(conn, &who, &client, "saved_view_deleted", id)?;
                Ok::<_, AppError>(view.name)
            })
        })
        .await?;
    set_flash(&session, &format!("View deleted: {name}"));
    Ok(see_other("/cases/views"))
}
