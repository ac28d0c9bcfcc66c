//! Actions on a case (triage, assign, acknowledge…): each a GET form and a POST, run through
//! the shared runner (`web::runner`). The POST carries the version of the case the user saw;
//! a stale one is refused and the form shown again with what changed since. Refusals come
//! back as GOV.UK errors on the form.

pub mod acknowledge;
pub mod assign;
pub mod closure;
pub mod decision;
pub mod investigation;
pub mod links;
pub mod representative;
pub mod restrictions;
pub mod stage_moves;
pub mod triage;

use actix_web::web;

// The case page asks the same gate as the routes.
pub(crate) use crate::web::runner::{allowed, Who};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/cases/{reference}/triage", web::get().to(triage::form))
        .route("/cases/{reference}/triage", web::post().to(triage::submit))
        .route("/cases/{reference}/assign", web::get().to(assign::form))
        .route("/cases/{reference}/assign", web::post().to(assign::submit))
        .route(
            "/cases/{reference}/assign/people",
            web::get().to(assign::people),
        )
        .route(
            "/cases/{reference}/involvement",
            web::get().to(assign::involvement_form),
        )
        .route(
            "/cases/{reference}/involvement",
            web::post().to(assign::involvement_submit),
        )
        .route(
            "/cases/{reference}/acknowledge",
            web::get().to(acknowledge::form),
        )
        .route(
            "/cases/{reference}/acknowledge",
            web::post().to(acknowledge::submit),
        )
        .route(
            "/cases/{reference}/convert",
            web::get().to(stage_moves::convert_form),
        )
        .route(
            "/cases/{reference}/convert",
            web::post().to(stage_moves::convert_submit),
        )
        .route(
            "/cases/{reference}/stage1",
            web::get().to(stage_moves::stage1_form),
        )
        .route(
            "/cases/{reference}/property-address",
            web::get().to(stage_moves::share_property_form),
        )
        .route(
            "/cases/{reference}/property-address",
            web::post().to(stage_moves::share_property_submit),
        )
        .route(
            "/cases/{reference}/stage1",
            web::post().to(stage_moves::stage1_submit),
        )
        .route(
            "/cases/{reference}/escalate",
            web::get().to(closure::escalate_form),
        )
        .route(
            "/cases/{reference}/escalate",
            web::post().to(closure::escalate_submit),
        )
        .route(
            "/cases/{reference}/withdraw",
            web::get().to(closure::withdraw_form),
        )
        .route(
            "/cases/{reference}/withdraw",
            web::post().to(closure::withdraw_submit),
        )
        .route(
            "/cases/{reference}/reopen",
            web::get().to(closure::reopen_form),
        )
        .route(
            "/cases/{reference}/reopen",
            web::post().to(closure::reopen_submit),
        )
        .route("/cases/{reference}/related", web::get().to(links::form))
        .route("/cases/{reference}/related", web::post().to(links::submit))
        .route(
            "/cases/{reference}/representative",
            web::get().to(representative::form),
        )
        .route(
            "/cases/{reference}/representative",
            web::post().to(representative::submit),
        )
        .route(
            "/cases/{reference}/notes",
            web::get().to(investigation::note_form),
        )
        .route(
            "/cases/{reference}/notes",
            web::post().to(investigation::note_submit),
        )
        .route(
            "/cases/{reference}/extend",
            web::get().to(investigation::extend_form),
        )
        .route(
            "/cases/{reference}/extend",
            web::post().to(investigation::extend_submit),
        )
        .route(
            "/cases/{reference}/extend/preview",
            web::get().to(investigation::extend_preview),
        )
        .route(
            "/cases/{reference}/decision",
            web::get().to(decision::draft::form),
        )
        .route(
            "/cases/{reference}/decision",
            web::post().to(decision::draft::submit),
        )
        .route(
            "/cases/{reference}/decision/send",
            web::get().to(decision::send::form),
        )
        .route(
            "/cases/{reference}/decision/send",
            web::post().to(decision::send::submit),
        )
        .route(
            "/cases/{reference}/compensation/approve",
            web::post().to(decision::approve::submit),
        )
        .route(
            "/cases/{reference}/compensation/paid",
            web::get().to(decision::paid::form),
        )
        .route(
            "/cases/{reference}/compensation/paid",
            web::post().to(decision::paid::submit),
        )
        .route(
            "/cases/{reference}/restriction",
            web::get().to(restrictions::propose_form),
        )
        .route(
            "/cases/{reference}/restriction",
            web::post().to(restrictions::propose_submit),
        )
        .route(
            "/cases/{reference}/restriction/decide",
            web::get().to(restrictions::decide_form),
        )
        .route(
            "/cases/{reference}/restriction/decide",
            web::post().to(restrictions::decide_submit),
        )
        .route(
            "/cases/{reference}/restriction/end",
            web::get().to(restrictions::end_form),
        )
        .route(
            "/cases/{reference}/restriction/end",
            web::post().to(restrictions::end_submit),
        );
}

/// A required GOV.UK date that may not be in the future; a problem goes into `errors`
/// beside the box it concerns.
pub fn required_date(
    today: chrono::NaiveDate,
    field: &crate::domain::date_input::DateField,
    (day, month, year): (&str, &str, &str),
    errors: &mut crate::web::forms::FieldErrors,
) -> Option<chrono::NaiveDate> {
    match field.parse_not_future(day, month, year, true, today) {
        Ok(date) => date,
        Err((id, message)) => {
            errors.add(&id, message);
            None
        }
    }
}
