//! The retired "Send the decision" form. A decision is now sent in its response letter:
//! from Redress, or "Record a letter sent elsewhere" on the same page (one route per job,
//! `cases::step_route`). The old address leads there; a post to it changes nothing and says
//! where the job moved.

use actix_web::HttpResponse;

use crate::cases::available::CaseAction;
use crate::cases::step_route;
use crate::domain::case::Step;
use crate::web::error::{AppError, AppResult};
use crate::web::responses::see_other;
use crate::web::runner::{load_for, CaseRequest};

/// Where the response is sent now.
pub const MOVED: &str = "A decision is now sent in its response letter, or recorded there as sent elsewhere in writing: open the case and follow \u{201c}Send the response\u{201d}.";

pub async fn form(ctx: CaseRequest) -> AppResult<HttpResponse> {
    let (case, ()) = load_for(&ctx, CaseAction::SendDecision, |_, _| Ok(())).await?;
    let url = step_route::url(&case.row.reference, Step::SendResponse, case.state.stage)
        .ok_or(AppError::Moved(MOVED))?;
    Ok(see_other(&url))
}

pub async fn submit(_: CaseRequest) -> AppResult<HttpResponse> {
    Err(AppError::Moved(MOVED))
}
