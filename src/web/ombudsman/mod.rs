//! The Ombudsman stage's pages (issue 27): the register, a year's figures, each contact with
//! its evidence requests, determination, orders and compliance, the forms that record them,
//! the evidence bundle, and the "Ombudsman" section of the case page. Who may read and write
//! is `crate::ombudsman::access`; the writes are `crate::ombudsman::record`.

pub mod bundle;
pub mod contact;
pub mod form;
pub mod register;
pub mod steps;

use actix_web::web;

use crate::cases::transition::ActingUser;
use crate::db::cases::{self as case_rows, CaseRow};
use crate::db::ombudsman::{self as table, ContactRow};
use crate::ombudsman::access::{self, RegisterAction};
use crate::ombudsman::record::RecordError;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/ombudsman", web::get().to(register::page))
        .route("/ombudsman.csv", web::get().to(register::csv))
        .route("/ombudsman/figures", web::get().to(register::figures))
        .route(
            "/cases/{reference}/ombudsman/new",
            web::get().to(contact::new_form),
        )
        .route(
            "/cases/{reference}/ombudsman",
            web::post().to(contact::create),
        )
        .route("/ombudsman/{id}", web::get().to(contact::page))
        .route(
            "/ombudsman/{id}/evidence",
            web::get().to(steps::evidence_form),
        )
        .route("/ombudsman/{id}/evidence", web::post().to(steps::evidence))
        .route(
            "/ombudsman/{id}/evidence/{request}/sent",
            web::get().to(steps::sent_form),
        )
        .route(
            "/ombudsman/{id}/evidence/{request}/sent",
            web::post().to(steps::sent),
        )
        .route(
            "/ombudsman/{id}/evidence/{request}/bundle",
            web::post().to(bundle::export),
        )
        .route(
            "/ombudsman/{id}/determination",
            web::get().to(steps::determination_form),
        )
        .route(
            "/ombudsman/{id}/determination",
            web::post().to(steps::determination),
        )
        .route("/ombudsman/{id}/chfo", web::get().to(steps::chfo_form))
        .route("/ombudsman/{id}/chfo", web::post().to(steps::chfo))
        .route(
            "/ombudsman/{id}/orders/{order}/complied",
            web::get().to(steps::complied_form),
        )
        .route(
            "/ombudsman/{id}/orders/{order}/complied",
            web::post().to(steps::complied),
        )
        .route("/ombudsman/{id}/review", web::get().to(steps::review_form))
        .route("/ombudsman/{id}/review", web::post().to(steps::review))
        .route("/ombudsman/{id}/lessons", web::get().to(steps::lesson_form))
        .route("/ombudsman/{id}/lessons", web::post().to(steps::lesson))
        .route("/ombudsman/{id}/close", web::post().to(steps::close));
}

/// Refuses a viewer whose role may not take `action` on the register at all.
pub(crate) fn require(user: &CurrentUser, action: RegisterAction) -> AppResult<()> {
    if access::may_open(&user.viewer(), action) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Contact `id` and its case, if `user` may take `action` on it.
pub(crate) async fn load(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    id: i32,
    action: RegisterAction,
) -> AppResult<(ContactRow, CaseRow)> {
    require(user, action)?;
    let user = user.clone();
    state
        .db(move |conn| {
            let contact = table::find_contact(conn, id)?.ok_or(AppError::NotFound)?;
            let case = case_rows::find(conn, contact.case_id)?.ok_or(AppError::NotFound)?;
            if !access::may(
                &user.viewer(),
                case.assignee_id,
                case.service_area_id,
                action,
            ) {
                return Err(AppError::Forbidden);
            }
            Ok((contact, case))
        })
        .await
}

/// Runs `work` as `user` from `ip`.
pub(crate) fn acting<T>(
    user: &CurrentUser,
    ip: &str,
    work: impl FnOnce(&ActingUser<'_>) -> T,
) -> T {
    let label = user.audit_label();
    work(&ActingUser {
        id: user.id,
        label: &label,
        ip: Some(ip),
    })
}

/// A write's failure that is not the form's to show.
pub(crate) fn failed(e: RecordError) -> AppError {
    match e {
        RecordError::NotFound => AppError::NotFound,
        RecordError::Stale => AppError::Conflict(
            "Someone else changed this Ombudsman contact while you were on the form: look at it again and redo your change"
                .to_string(),
        ),
        RecordError::NotNow(_, why) => AppError::NotNow(why.to_string()),
        RecordError::Database(e) => e.into(),
    }
}
