//! A director approves the compensation a decision offers (a button on the case page).

use actix_web::HttpResponse;

use crate::cases::decide::{current_stage, decide_approval};
use crate::cases::transition::CaseError;
use crate::db::decisions;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::Form;
use crate::web::runner::{done, perform, CaseRequest, Outcome, Seen, Who};

pub async fn submit(ctx: CaseRequest, Form(seen): Form<Seen>) -> AppResult<HttpResponse> {
    let director = ctx.user.id;
    let now = ctx.state.clock.now_naive();
    let outcome = perform(
        &ctx,
        Who::Director,
        seen,
        |conn, case| {
            let stage = current_stage(case)?;
            decisions::find(conn, case.row.id, stage)?
                .ok_or_else(|| CaseError::Invalid("There is no decision to approve".into()))
        },
        move |case, rules, decision| decide_approval(case, director, decision, rules, now),
        "Compensation approved",
    )
    .await?;
    match outcome {
        Outcome::Done { reference, message } => Ok(done(&ctx.session, &reference, &message)),
        Outcome::Refused { message, .. } => Err(AppError::BadRequest(message)),
        Outcome::Stale { .. } => Err(AppError::Conflict(
            "The case changed before your approval was saved".into(),
        )),
    }
}
