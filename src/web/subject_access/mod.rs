//! Subject access request pages (issue 30): the list with due dates rated like any deadline,
//! recording a request, extending its deadline, the request's page (the person's cases and
//! the review of marked notes and files), marking an item, and the export. Who may is
//! `crate::privacy::access::may_handle_subject_access`; the writes are
//! `crate::privacy::subject_access::requests` and `crate::privacy::markings`.

mod export;
mod marking;
mod request_page;
mod requests;

use actix_web::web;
use chrono::NaiveDate;

use crate::cases::transition::ActingUser;
use crate::db::subject_access::{self as table, RequestRow};
use crate::privacy::access;
use crate::rules::{rag_for, Rag, RagThresholds};
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/subject-access", web::get().to(requests::list))
        .route("/subject-access/new", web::get().to(requests::new_form))
        .route("/subject-access/new", web::post().to(requests::new_submit))
        .route("/subject-access/{id}", web::get().to(request_page::show))
        .route(
            "/subject-access/{id}/extend",
            web::get().to(requests::extend_form),
        )
        .route(
            "/subject-access/{id}/extend",
            web::post().to(requests::extend_submit),
        )
        .route(
            "/subject-access/{id}/answered",
            web::post().to(requests::answered),
        )
        .route(
            "/subject-access/{id}/export",
            web::get().to(export::download),
        )
        .route(
            "/subject-access/{id}/cases/{reference}/{item_kind}/{item}/marking",
            web::get().to(marking::form),
        )
        .route(
            "/subject-access/{id}/cases/{reference}/{item_kind}/{item}/marking",
            web::post().to(marking::submit),
        );
}

fn long(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// Refuses anyone but the complaints team.
fn require(user: &CurrentUser) -> AppResult<()> {
    if access::may_handle_subject_access(&user.viewer()) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Request `id`, for someone who may handle it.
async fn load(state: &web::Data<AppState>, user: &CurrentUser, id: i32) -> AppResult<RequestRow> {
    require(user)?;
    state
        .db(move |conn| table::find(conn, id)?.ok_or(AppError::NotFound))
        .await
}

/// Runs `write` as `user` from `ip`.
fn acting<T>(user: &CurrentUser, ip: &str, write: impl FnOnce(&ActingUser<'_>) -> T) -> T {
    let label = user.audit_label();
    write(&ActingUser {
        id: user.id,
        label: &label,
        ip: Some(ip),
    })
}

/// A request's deadline as the lists show it: the tag's words and colour.
pub struct DueTag {
    pub words: String,
    pub class: &'static str,
}

fn due_tag(state: &AppState, request: &RequestRow, today: NaiveDate) -> DueTag {
    if let Some(answered) = request.answered_on {
        return DueTag {
            words: if answered <= request.due_on {
                "Answered on time".into()
            } else {
                "Answered late".into()
            },
            class: "govuk-tag--grey",
        };
    }
    let thresholds = RagThresholds {
        amber_within: state.settings.rules.amber_within,
    };
    match rag_for(&state.calendar, today, request.due_on, &thresholds) {
        Ok((_, Rag::Red)) => {
            let late = state.calendar.between(request.due_on, today).unwrap_or(0);
            DueTag {
                words: format!(
                    "Overdue by {late} working {}",
                    if late == 1 { "day" } else { "days" }
                ),
                class: "govuk-tag--red",
            }
        }
        Ok((left, Rag::Amber)) => DueTag {
            words: if left == 0 {
                "Due today".into()
            } else {
                format!(
                    "{left} working {} left",
                    if left == 1 { "day" } else { "days" }
                )
            },
            class: "govuk-tag--yellow",
        },
        Ok((left, Rag::Green)) => DueTag {
            words: format!("{left} working days left"),
            class: "govuk-tag--green",
        },
        Err(_) => DueTag {
            words: "Due date outside the calendar".into(),
            class: "govuk-tag--grey",
        },
    }
}
