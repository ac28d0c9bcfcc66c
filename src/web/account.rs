//! `/account`: a member of staff's own settings — which notification emails they get.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use diesel::Connection;
use serde::Deserialize;

use crate::db::audit::{self, AuditEntry};
use crate::db::users::{self, NotificationChoices};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::Form;
use crate::web::page::PageCtx;
use crate::web::responses::see_other;
use crate::web::session;
use crate::web::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "account/notifications.html")]
pub struct AccountPage {
    pub ctx: PageCtx,
    pub email: String,
    pub choices: NotificationChoices,
}

pub async fn page(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
) -> AppResult<AccountPage> {
    let id = user.id;
    let row = state
        .db(move |conn| users::find(conn, id)?.ok_or(AppError::NotFound))
        .await?;
    Ok(AccountPage {
        ctx: user.page().current("/account").with_flash(&session),
        email: row.email.clone(),
        choices: row.notifications(),
    })
}

/// Unticked checkboxes are not posted at all.
#[derive(Debug, Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    pub notify_assignment: Option<String>,
    #[serde(default)]
    pub notify_digest: Option<String>,
    #[serde(default)]
    pub notify_missed: Option<String>,
}

pub async fn submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    Form(form): Form<AccountForm>,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    let choices = NotificationChoices {
        notify_assignment: form.notify_assignment.is_some(),
        notify_digest: form.notify_digest.is_some(),
        notify_missed: form.notify_missed.is_some(),
    };
    let entry = AuditEntry::new(
        Some(user.id),
        user.audit_label(),
        "notifications_changed",
        format!("user:{}", user.id),
        format!(
            "assignment {}, digest {}, missed deadlines {}",
            on_off(choices.notify_assignment),
            on_off(choices.notify_digest),
            on_off(choices.notify_missed)
        ),
        Some(&client.0),
    );
    let id = user.id;
    state
        .db(move |conn| {
            Ok(conn.transaction(|conn| {
                users::set_notifications(conn, id, &choices, clock.now_naive())?;
                audit::record(conn, &entry)
            })?)
        })
        .await?;
    session::set_flash(&session, "Your email notification choices have been saved");
    Ok(see_other("/account"))
}

fn on_off(on: bool) -> &'static str {
    if on {
        "on"
    } else {
        "off"
    }
}
