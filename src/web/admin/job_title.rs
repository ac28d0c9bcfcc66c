//! A member of staff's job title, which signs their letters ("Sophie Irving, Head of
//! Repairs"): its own small form from the user's page, so the user page stays as it is.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use diesel::Connection;
use serde::Deserialize;

use crate::auth::Permission;
use crate::db::audit::{self, AuditEntry};
use crate::db::staff::{self, StaffMember};
use crate::domain::UserId;
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{check_length, limits, render_invalid, render_page, Form, FormErrors};
use crate::web::page::PageCtx;
use crate::web::responses::see_other;
use crate::web::session;
use crate::web::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "admin/user_job_title.html")]
pub struct JobTitlePage {
    pub ctx: PageCtx,
    pub target: StaffMember,
    pub job_title: String,
    pub errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct JobTitleForm {
    pub job_title: String,
}

async fn target(state: &web::Data<AppState>, id: UserId) -> AppResult<StaffMember> {
    state
        .db(move |conn| staff::find(conn, id)?.ok_or(AppError::NotFound))
        .await
}

pub async fn form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    user.require(Permission::Administer)?;
    let target = target(&state, UserId(path.into_inner())).await?;
    render_page(&JobTitlePage {
        ctx: user.page().current("/admin/users"),
        job_title: target.job_title.clone(),
        target,
        errors: FormErrors::new(),
    })
}

pub async fn submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<i32>,
    Form(form): Form<JobTitleForm>,
) -> AppResult<HttpResponse> {
    user.require(Permission::Administer)?;
    let id = UserId(path.into_inner());
    let member = target(&state, id).await?;
    let job_title = form.job_title.trim().to_string();
    let mut errors = FormErrors::new();
    check_length(
        &mut errors,
        "job_title",
        "Job title",
        &job_title,
        limits::NAME,
    );
    if !errors.is_empty() {
        return render_invalid(&JobTitlePage {
            ctx: user.page().current("/admin/users"),
            target: member,
            job_title: form.job_title,
            errors,
        });
    }
    let (label, ip, actor) = (user.audit_label(), client.0.clone(), user.id);
    state
        .db(move |conn| {
            conn.transaction(|conn| {
                staff::set_job_title(conn, id, &job_title)?;
                audit::record(
                    conn,
                    &AuditEntry::new(
                        Some(actor),
                        label,
                        "user_job_title_set",
                        format!("user:{id}"),
                        job_title.clone(),
                        Some(&ip),
                    ),
                )
            })?;
            Ok(())
        })
        .await?;
    session::set_flash(&session, "Job title saved");
    Ok(see_other(&format!("/admin/users/{id}")))
}
