//! The stage 2 context (why the resident escalated, what stage 1 found) for screens whose
//! handlers live elsewhere: one call, so the decision form gains it without reworking how
//! it loads (templates include `cases/stage_two_context.html`).

use actix_web::web;

use crate::cases::identity::Reader;
use crate::cases::load;
use crate::cases::page::{self, StageTwoContext};
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;

/// `None` unless the case `reference` is at stage 2. The caller has authorised `user`.
pub async fn load(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    reference: &str,
    place: &'static str,
) -> AppResult<Option<StageTwoContext>> {
    let reader = Reader {
        id: user.id,
        role: user.role,
        label: user.audit_label(),
        ip: None,
    };
    let reference = crate::domain::CaseReference::parse(reference)
        .map_err(|_| AppError::NotFound)?
        .to_string();
    state
        .db(move |conn| {
            let case = load::by_reference(conn, &reference)?.ok_or(AppError::NotFound)?;
            Ok(page::stage_two_context(conn, &reader, &case, place)?)
        })
        .await
}
