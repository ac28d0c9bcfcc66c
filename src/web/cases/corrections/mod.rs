//! The case details page (`/cases/{reference}/details`): GOV.UK summary lists of what was
//! recorded at logging, each with a "Change" link for those who may change it, and one
//! small form per family of fields (issue 20). Each form posts the case version it showed:
//! a stale one comes back with 409, the typed values and what changed; bad input with 400
//! and the typed values. The rules are below the web layer (`cases::corrections`).

pub mod adjustments;
pub mod classification;
pub mod complainant;
pub mod dates;
pub mod description;
pub mod details;
pub mod flags;
pub mod officer;
pub mod points;

use actix_session::Session;
use actix_web::{web, HttpResponse};

use crate::web::error::AppResult;
use crate::web::responses::see_other;
use crate::web::runner::{reshow, Outcome, Problem, Seen};
use crate::web::session;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/cases/{reference}/details", web::get().to(details::page))
        .route(
            "/cases/{reference}/details/complainant",
            web::get().to(complainant::form),
        )
        .route(
            "/cases/{reference}/details/complainant",
            web::post().to(complainant::submit),
        )
        .route(
            "/cases/{reference}/details/adjustments",
            web::get().to(adjustments::form),
        )
        .route(
            "/cases/{reference}/details/adjustments",
            web::post().to(adjustments::submit),
        )
        .route(
            "/cases/{reference}/details/flags",
            web::get().to(flags::form),
        )
        .route(
            "/cases/{reference}/details/flags",
            web::post().to(flags::submit),
        )
        .route(
            "/cases/{reference}/details/dates",
            web::get().to(dates::form),
        )
        .route(
            "/cases/{reference}/details/dates",
            web::post().to(dates::submit),
        )
        .route(
            "/cases/{reference}/details/classification",
            web::get().to(classification::form),
        )
        .route(
            "/cases/{reference}/details/classification",
            web::post().to(classification::submit),
        )
        .route(
            "/cases/{reference}/details/description",
            web::get().to(description::form),
        )
        .route(
            "/cases/{reference}/details/description",
            web::post().to(description::submit),
        )
        .route(
            "/cases/{reference}/details/points",
            web::get().to(points::form),
        )
        .route(
            "/cases/{reference}/details/points",
            web::post().to(points::submit),
        )
        .route(
            "/cases/{reference}/details/officer",
            web::get().to(officer::form),
        )
        .route(
            "/cases/{reference}/details/officer",
            web::post().to(officer::submit),
        );
}

/// Ends a correction: back to the details page with a confirmation (the runner's own
/// `finish` goes to the case page); otherwise the form again through the runner, 409 with
/// what changed when someone else changed the case first, 400 when it was refused.
pub async fn finish<T, Fut>(
    outcome: Outcome,
    session: &Session,
    reshow_form: impl FnOnce(Problem) -> Fut,
) -> AppResult<HttpResponse>
where
    T: askama::Template,
    Fut: std::future::Future<Output = AppResult<T>>,
{
    match outcome {
        Outcome::Done { reference, message } => {
            session::set_flash(session, &message);
            Ok(see_other(&format!("/cases/{reference}/details")))
        }
        failed => reshow(Problem::Outcome(failed), reshow_form).await,
    }
}

/// The case version and newest timeline entry a correction form showed.
fn seen(version: i32, last_event: i32) -> Seen {
    Seen {
        version,
        last_event,
    }
}

/// The `(day, month, year)` boxes of a date, for a form filled from what is stored.
fn date_boxes(date: Option<chrono::NaiveDate>) -> (String, String, String) {
    use chrono::Datelike;
    match date {
        Some(d) => (
            d.day().to_string(),
            d.month().to_string(),
            d.year().to_string(),
        ),
        None => Default::default(),
    }
}
