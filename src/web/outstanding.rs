//! Outstanding actions: remedies and service improvement actions that stay open after the
//! response and after closure until marked done. Officers see and close all; other staff
//! see and close their own. Overdue ones are flagged.

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use chrono::NaiveDate;
use diesel::Connection;
use serde::Deserialize;

use crate::auth::Permission;
use crate::db::audit::{self, AuditEntry};
use crate::db::{cases, decisions, users, DbConnection};
use crate::domain::{Role, UserId};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::Form;
use crate::web::page::PageCtx;
use crate::web::responses::see_other;
use crate::web::session;
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/actions", web::get().to(page))
        .route("/actions/remedies/{id}/done", web::post().to(remedy_done))
        .route(
            "/actions/improvements/{id}",
            web::post().to(improvement_status),
        );
}

pub struct ActionItem {
    pub id: i32,
    pub reference: String,
    pub description: String,
    pub owner: String,
    pub due: String,
    pub overdue: bool,
    pub status: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "actions.html")]
pub struct ActionsPage {
    pub ctx: PageCtx,
    pub remedies: Vec<ActionItem>,
    pub improvements: Vec<ActionItem>,
}

fn visible(user: &CurrentUser, owner: Option<UserId>) -> bool {
    user.role == Role::Officer || owner == Some(user.id)
}

fn item(
    conn: &mut DbConnection,
    row: decisions::ActionRow,
    today: NaiveDate,
) -> Result<ActionItem, AppError> {
    let (id, case, description, owner, due, status) = row;
    Ok(ActionItem {
        id,
        reference: cases::find(conn, case)?
            .map(|c| c.reference)
            .unwrap_or_default(),
        description,
        owner: match owner {
            Some(o) => users::find(conn, o)?
                .map(|u| u.display_name)
                .unwrap_or_default(),
            None => "No owner".into(),
        },
        due: due
            .map(crate::web::cases::show::long_date)
            .unwrap_or_else(|| "No date".into()),
        overdue: due.is_some_and(|d| d < today),
        status,
    })
}

pub async fn page(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
) -> AppResult<ActionsPage> {
    let clock = state.clock;
    user.require(Permission::ViewCases)?;
    let today = clock.today();
    let viewer = user.clone();
    let (remedies, improvements) = state
        .db(move |conn| {
            let mut remedies = Vec::new();
            for r in decisions::outstanding_remedies(conn)? {
                if visible(&viewer, r.owner_id) {
                    let row = (
                        r.id,
                        r.case_id,
                        r.description,
                        r.owner_id,
                        r.due_on,
                        "Outstanding".to_string(),
                    );
                    remedies.push(item(conn, row, today)?);
                }
            }
            let mut improvements = Vec::new();
            for mut row in decisions::outstanding_actions(conn)? {
                if visible(&viewer, row.3) {
                    row.5 = row.5.replace('_', " ");
                    improvements.push(item(conn, row, today)?);
                }
            }
            Ok((remedies, improvements))
        })
        .await?;
    Ok(ActionsPage {
        ctx: user.page().with_flash(&session).current("/actions"),
        remedies,
        improvements,
    })
}

#[derive(Deserialize)]
pub struct DoneForm {
    #[serde(default)]
    evidence: String,
    #[serde(default)]
    status: String,
}

pub async fn remedy_done(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<i32>,
    Form(form): Form<DoneForm>,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    user.require(Permission::ViewCases)?;
    let id = path.into_inner();
    let evidence = form.evidence.trim().to_string();
    if evidence.is_empty() {
        session::set_flash(&session, "Enter the evidence that the action is done");
        return Ok(see_other("/actions"));
    }
    if let Some(problem) = evidence_too_long(&evidence) {
        session::set_flash(&session, &problem);
        return Ok(see_other("/actions"));
    }
    let (actor, label, ip) = (user.clone(), user.audit_label(), client.0.clone());
    state
        .db(move |conn| {
            let remedy = decisions::outstanding_remedies(conn)?
                .into_iter()
                .find(|r| r.id == id)
                .ok_or(AppError::NotFound)?;
            if !visible(&actor, remedy.owner_id) {
                return Err(AppError::Forbidden);
            }
            conn.transaction(|conn| {
                decisions::mark_remedy_done(conn, id, clock.today(), &evidence)?;
                audit::record(
                    conn,
                    &AuditEntry::new(
                        Some(actor.id),
                        label,
                        "remedy_done",
                        format!("remedy:{id}"),
                        // The evidence is free text: the log names the field only.
                        "evidence recorded",
                        Some(&ip),
                    ),
                )
            })?;
            Ok(())
        })
        .await?;
    session::set_flash(&session, "Action marked as done");
    Ok(see_other("/actions"))
}

pub async fn improvement_status(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<i32>,
    Form(form): Form<DoneForm>,
) -> AppResult<HttpResponse> {
    let clock = state.clock;
    user.require(Permission::ViewCases)?;
    let id = path.into_inner();
    let status = match form.status.as_str() {
        s @ ("planned" | "in_progress" | "implemented") => s.to_string(),
        _ => {
            return Err(AppError::BadRequest(
                "Select planned, in progress or implemented".into(),
            ))
        }
    };
    let (actor, label, ip) = (user.clone(), user.audit_label(), client.0.clone());
    let evidence = form.evidence.trim().to_string();
    if let Some(problem) = evidence_too_long(&evidence) {
        session::set_flash(&session, &problem);
        return Ok(see_other("/actions"));
    }
    state
        .db(move |conn| {
            let action = decisions::outstanding_actions(conn)?
                .into_iter()
                .find(|a| a.0 == id)
                .ok_or(AppError::NotFound)?;
            if !visible(&actor, action.3) {
                return Err(AppError::Forbidden);
            }
            conn.transaction(|conn| {
                decisions::set_action_status(conn, id, &status, &evidence, clock.now_naive())?;
                audit::record(
                    conn,
                    &AuditEntry::new(
                        Some(actor.id),
                        label,
                        "improvement_action_updated",
                        format!("improvement_action:{id}"),
                        format!("status={status}"),
                        Some(&ip),
                    ),
                )
            })?;
            Ok(())
        })
        .await?;
    session::set_flash(&session, "Improvement action updated");
    Ok(see_other("/actions"))
}

/// Why the evidence given is too long to keep, if it is.
fn evidence_too_long(evidence: &str) -> Option<String> {
    let mut errors = crate::web::forms::FieldErrors::new();
    crate::web::forms::check_length(
        &mut errors,
        "evidence",
        "The evidence",
        evidence,
        crate::web::forms::limits::LONG,
    );
    errors.list().first().map(|e| e.message.clone())
}
