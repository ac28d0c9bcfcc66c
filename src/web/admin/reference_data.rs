//! The shape categories and contractors share: a name (required, unique ignoring case),
//! whether it is in use, and for contractors a contact email. One set of handlers and
//! templates serves each kind; the kind supplies its wording and its queries.
//! Service areas reuse the name checks.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use chrono::NaiveDateTime;
use diesel::{Connection, QueryResult};
use serde::Deserialize;

use crate::auth::Permission;
use crate::db::audit::{self, AuditEntry};
use crate::db::DbConnection;
use crate::domain::Email;
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{render_invalid, FieldErrors, Form};
use crate::web::page::PageCtx;
use crate::web::responses::see_other;
use crate::web::session;
use crate::web::state::AppState;

/// The longest name any reference data may have.
pub const NAME_MAX: usize = 80;

/// Adds an error unless `name` (trimmed) is present and short enough. `noun` is what the
/// name belongs to, like "service area".
pub fn check_name(name: &str, noun: &str, errors: &mut FieldErrors) {
    let name = name.trim();
    if name.is_empty() {
        errors.add("name", format!("Enter the {noun}'s name"));
    } else if name.chars().count() > NAME_MAX {
        errors.add(
            "name",
            format!("Name must be {NAME_MAX} characters or fewer"),
        );
    }
}

/// The message when another record of the kind already has the name.
pub fn name_taken_message(noun: &str) -> String {
    format!("A {noun} with this name already exists")
}

/// Wording, paths and audit actions of one kind of reference data.
pub struct Kind {
    /// Where its list lives, like "/admin/categories".
    pub path: &'static str,
    /// Lower case, singular: "category".
    pub noun: &'static str,
    /// Lower case, plural: "categories".
    pub plural: &'static str,
    /// Capitalised, singular: "Category".
    pub title: &'static str,
    /// Capitalised, plural: "Categories".
    pub plural_title: &'static str,
    pub created_action: &'static str,
    pub updated_action: &'static str,
    /// Whether it has an (optional) contact email.
    pub has_email: bool,
}

/// One record, as the pages see it.
pub struct Item {
    pub id: i32,
    pub name: String,
    pub contact_email: Option<String>,
    pub active: bool,
}

/// Checked values to store.
#[derive(Debug)]
pub struct Values {
    pub name: String,
    pub contact_email: Option<String>,
    pub active: bool,
}

/// A kind of reference data: its wording and its queries.
pub trait ReferenceData: 'static {
    const KIND: &'static Kind;
    fn list(conn: &mut DbConnection) -> QueryResult<Vec<Item>>;
    fn find(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Item>>;
    fn name_taken(conn: &mut DbConnection, name: &str, except: Option<i32>) -> QueryResult<bool>;
    /// Returns the new record's id.
    fn insert(conn: &mut DbConnection, values: &Values, now: NaiveDateTime) -> QueryResult<i32>;
    fn update(
        conn: &mut DbConnection,
        id: i32,
        values: &Values,
        now: NaiveDateTime,
    ) -> QueryResult<usize>;
}

/// The list, add and edit routes of a kind.
pub fn routes<R: ReferenceData>(cfg: &mut web::ServiceConfig) {
    let path = R::KIND.path;
    cfg.route(path, web::get().to(list::<R>))
        .route(path, web::post().to(create::<R>))
        .route(&format!("{path}/new"), web::get().to(new_form::<R>))
        .route(&format!("{path}/{{id}}"), web::get().to(edit_form::<R>))
        .route(&format!("{path}/{{id}}"), web::post().to(update::<R>));
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/reference_list.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub kind: &'static Kind,
    pub items: Vec<Item>,
}

pub async fn list<R: ReferenceData>(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
) -> AppResult<ListPage> {
    user.require(Permission::Administer)?;
    let items = state.db(|conn| Ok(R::list(conn)?)).await?;
    Ok(ListPage {
        ctx: user.page().with_flash(&session).current(R::KIND.path),
        kind: R::KIND,
        items,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct ReferenceForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub contact_email: String,
    #[serde(default)]
    pub active: Option<String>,
}

impl ReferenceForm {
    fn from_item(item: &Item) -> ReferenceForm {
        ReferenceForm {
            name: item.name.clone(),
            contact_email: item.contact_email.clone().unwrap_or_default(),
            active: item.active.then(|| "true".to_string()),
        }
    }

    pub fn is_active(&self) -> bool {
        self.active.is_some()
    }

    /// Checks the fields that need no database.
    fn validate(&self, kind: &Kind, errors: &mut FieldErrors) -> Values {
        check_name(&self.name, kind.noun, errors);
        let contact_email = match self.contact_email.trim() {
            "" => None,
            _ if !kind.has_email => None,
            typed => match Email::parse(typed) {
                Ok(email) => Some(email.as_str().to_string()),
                Err(message) => {
                    errors.add("contact_email", message);
                    None
                }
            },
        };
        Values {
            name: self.name.trim().to_string(),
            contact_email,
            active: self.is_active(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/reference_form.html")]
pub struct FormPage {
    pub ctx: PageCtx,
    pub kind: &'static Kind,
    pub errors: FieldErrors,
    pub form: ReferenceForm,
    /// `None` when adding.
    pub editing: Option<i32>,
}

pub async fn new_form<R: ReferenceData>(user: CurrentUser) -> AppResult<FormPage> {
    user.require(Permission::Administer)?;
    Ok(FormPage {
        ctx: user.page().current(R::KIND.path),
        kind: R::KIND,
        errors: FieldErrors::new(),
        form: ReferenceForm {
            active: Some("true".into()),
            ..ReferenceForm::default()
        },
        editing: None,
    })
}

pub async fn edit_form<R: ReferenceData>(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i32>,
) -> AppResult<FormPage> {
    user.require(Permission::Administer)?;
    let id = path.into_inner();
    let item = state
        .db(move |conn| R::find(conn, id)?.ok_or(AppError::NotFound))
        .await?;
    Ok(FormPage {
        ctx: user.page().current(R::KIND.path),
        kind: R::KIND,
        errors: FieldErrors::new(),
        form: ReferenceForm::from_item(&item),
        editing: Some(id),
    })
}

async fn save<R: ReferenceData>(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    editing: Option<i32>,
    form: ReferenceForm,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    user.require(Permission::Administer)?;
    let kind = R::KIND;
    let mut errors = FieldErrors::new();
    let values = form.validate(kind, &mut errors);
    let (actor, label, ip) = (user.id, user.audit_label(), client.0.clone());
    let errors = state
        .db(move |conn| {
            if let Some(id) = editing {
                R::find(conn, id)?.ok_or(AppError::NotFound)?;
            }
            if R::name_taken(conn, &values.name, editing)? {
                errors.add("name", name_taken_message(kind.noun));
            }
            if !errors.is_empty() {
                return Ok(errors);
            }
            let now = clock.now_naive();
            conn.transaction(|conn| {
                let (id, action) = match editing {
                    Some(id) => {
                        R::update(conn, id, &values, now)?;
                        (id, kind.updated_action)
                    }
                    None => (R::insert(conn, &values, now)?, kind.created_action),
                };
                let mut detail = format!("name={}", values.name);
                if kind.has_email {
                    // An email address is personal data: the log says whether one is held.
                    detail.push_str(if values.contact_email.is_some() {
                        " contact_email=set"
                    } else {
                        " contact_email=none"
                    });
                }
                detail.push_str(&format!(" active={}", values.active));
                audit::record(
                    conn,
                    &AuditEntry::new(
                        Some(actor),
                        label,
                        action,
                        format!("{}:{id}", kind.noun),
                        detail,
                        Some(&ip),
                    ),
                )
            })?;
            Ok(errors)
        })
        .await?;
    if !errors.is_empty() {
        return render_invalid(&FormPage {
            ctx: user.page().current(kind.path),
            kind,
            errors,
            form,
            editing,
        });
    }
    session::set_flash(
        &session,
        &format!(
            "{} {}",
            kind.title,
            if editing.is_some() {
                "updated"
            } else {
                "added"
            }
        ),
    );
    Ok(see_other(kind.path))
}

pub async fn create<R: ReferenceData>(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    Form(form): Form<ReferenceForm>,
) -> AppResult<HttpResponse> {
    save::<R>(state, user, session, client, None, form).await
}

pub async fn update<R: ReferenceData>(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<i32>,
    Form(form): Form<ReferenceForm>,
) -> AppResult<HttpResponse> {
    save::<R>(state, user, session, client, Some(path.into_inner()), form).await
}
