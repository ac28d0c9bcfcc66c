//! Service areas: name, code, head of service (a director) and whether it is in use.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use diesel::Connection;
use serde::Deserialize;

use super::reference_data::{check_name, name_taken_message};
use crate::auth::Permission;
use crate::db::audit::{self, AuditEntry};
use crate::db::service_areas::{self, NewServiceArea, ServiceAreaChanges, ServiceAreaRow};
use crate::db::users::{self, UserRow};
use crate::domain::{Role, ServiceAreaId, UserId};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{render_invalid, FieldErrors, Form};
use crate::web::page::PageCtx;
use crate::web::responses::see_other;
use crate::web::session;
use crate::web::state::AppState;

pub struct AreaListItem {
    pub row: ServiceAreaRow,
    pub head: String,
    pub members: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/service_areas.html")]
pub struct AreasPage {
    pub ctx: PageCtx,
    pub areas: Vec<AreaListItem>,
}

pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
) -> AppResult<AreasPage> {
    user.require(Permission::Administer)?;
    let areas = state
        .db(|conn| {
            let mut items = Vec::new();
            for row in service_areas::list_all(conn)? {
                let head = match row.head_of_service_id {
                    Some(id) => users::find(conn, id)?
                        .map(|u| u.display_name)
                        .unwrap_or_default(),
                    None => String::new(),
                };
                let members = service_areas::members(conn, row.id)?.len();
                items.push(AreaListItem { row, head, members });
            }
            Ok(items)
        })
        .await?;
    Ok(AreasPage {
        ctx: user
            .page()
            .with_flash(&session)
            .current("/admin/service-areas"),
        areas,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct AreaForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub head_of_service: String,
    #[serde(default)]
    pub active: Option<String>,
}

impl AreaForm {
    fn from_row(row: &ServiceAreaRow) -> AreaForm {
        AreaForm {
            name: row.name.clone(),
            code: row.code.clone(),
            head_of_service: row
                .head_of_service_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            active: row.active.then(|| "true".to_string()),
        }
    }

    pub fn is_active(&self) -> bool {
        self.active.is_some()
    }

    pub fn head_is(&self, id: &UserId) -> bool {
        self.head_of_service == id.to_string()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/service_area_form.html")]
pub struct AreaFormPage {
    pub ctx: PageCtx,
    pub errors: FieldErrors,
    pub form: AreaForm,
    pub directors: Vec<UserRow>,
    /// `None` when adding.
    pub editing: Option<ServiceAreaId>,
}

pub async fn new_form(state: web::Data<AppState>, user: CurrentUser) -> AppResult<AreaFormPage> {
    user.require(Permission::Administer)?;
    let directors = state
        .db(|conn| Ok(users::list_by_role(conn, Role::Director.as_str())?))
        .await?;
    Ok(AreaFormPage {
        ctx: user.page().current("/admin/service-areas"),
        errors: FieldErrors::new(),
        form: AreaForm {
            active: Some("true".into()),
            ..AreaForm::default()
        },
        directors,
        editing: None,
    })
}

pub async fn edit_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i32>,
) -> AppResult<AreaFormPage> {
    user.require(Permission::Administer)?;
    let id = ServiceAreaId(path.into_inner());
    let (row, directors) = state
        .db(move |conn| {
            let row = service_areas::find(conn, id)?.ok_or(AppError::NotFound)?;
            Ok((row, users::list_by_role(conn, Role::Director.as_str())?))
        })
        .await?;
    Ok(AreaFormPage {
        ctx: user.page().current("/admin/service-areas"),
        errors: FieldErrors::new(),
        form: AreaForm::from_row(&row),
        directors,
        editing: Some(id),
    })
}

/// Checks the fields that need no database; returns the head of service chosen.
fn validate(form: &AreaForm, errors: &mut FieldErrors) -> Option<UserId> {
    check_name(&form.name, "service area", errors);
    let code = form.code.trim();
    if code.is_empty() {
        errors.add("code", "Enter a short code, like REP");
    } else if code.len() > 10 || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        errors.add(
            "code",
            "Code must be 10 letters, numbers or hyphens or fewer",
        );
    }
    if form.head_of_service.is_empty() {
        None
    } else {
        match form.head_of_service.parse::<i32>() {
            Ok(id) => Some(UserId(id)),
            Err(_) => {
                errors.add("head_of_service", "Select a director as head of service");
                None
            }
        }
    }
}

async fn save(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    editing: Option<ServiceAreaId>,
    form: AreaForm,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    user.require(Permission::Administer)?;
    let mut errors = FieldErrors::new();
    let head = validate(&form, &mut errors);
    let name = form.name.trim().to_string();
    let code = form.code.trim().to_uppercase();
    let active = form.is_active();
    let (actor, label, ip) = (user.id, user.audit_label(), client.0.clone());
    let mut db_errors = errors.clone();
    let (directors, saved, db_errors) = state
        .db(move |conn| {
            let directors = users::list_by_role(conn, Role::Director.as_str())?;
            if let Some(head) = head {
                if !directors.iter().any(|d| d.id == head) {
                    db_errors.add("head_of_service", "Select a director as head of service");
                }
            }
            if let Some(id) = editing {
                service_areas::find(conn, id)?.ok_or(AppError::NotFound)?;
            }
            let (name_taken, code_taken) =
                service_areas::name_or_code_taken(conn, &name, &code, editing)?;
            if name_taken {
                db_errors.add("name", name_taken_message("service area"));
            }
            if code_taken {
                db_errors.add("code", "A service area with this code already exists");
            }
            if !db_errors.is_empty() {
                return Ok((directors, None, db_errors));
            }
            let now = clock.now_naive();
            let saved = conn.transaction(|conn| {
                let (id, action) = match editing {
                    Some(id) => {
                        service_areas::update(
                            conn,
                            id,
                            &ServiceAreaChanges {
                                name: &name,
                                code: &code,
                                head_of_service_id: head,
                                active,
                                updated_at: now,
                            },
                        )?;
                        (id, "service_area_updated")
                    }
                    None => {
                        let row = service_areas::insert(
                            conn,
                            &NewServiceArea {
                                name: &name,
                                code: &code,
                                head_of_service_id: head,
                                active,
                                created_at: now,
                                updated_at: now,
                            },
                        )?;
                        (row.id, "service_area_created")
                    }
                };
                audit::record(
                    conn,
                    &AuditEntry::new(
                        Some(actor),
                        label,
                        action,
                        format!("service_area:{id}"),
                        format!("name={name} code={code} head={head:?} active={active}"),
                        Some(&ip),
                    ),
                )?;
                diesel::QueryResult::Ok(id)
            })?;
            Ok((directors, Some(saved), db_errors))
        })
        .await?;
    if saved.is_none() {
        return render_invalid(&AreaFormPage {
            ctx: user.page().current("/admin/service-areas"),
            errors: db_errors,
            form,
            directors,
            editing,
        });
    }
    session::set_flash(
        &session,
        if editing.is_some() {
            "Service area updated"
        } else {
            "Service area added"
        },
    );
    Ok(see_other("/admin/service-areas"))
}

pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    Form(form): Form<AreaForm>,
) -> AppResult<HttpResponse> {
    save(state, user, session, client, None, form).await
}

pub async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<i32>,
    Form(form): Form<AreaForm>,
) -> AppResult<HttpResponse> {
    save(
        state,
        user,
        session,
        client,
        Some(ServiceAreaId(path.into_inner())),
        form,
    )
    .await
}
