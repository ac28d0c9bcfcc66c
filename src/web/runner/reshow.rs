//! Ending a case request: back to the case page on success, or the form shown again with
//! why — a 400 for input to correct, a 409 when someone else changed the case meanwhile.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;

use crate::cases::load::LoadedCase;
use crate::domain::Refusal;
use crate::web::error::AppResult;
use crate::web::forms::render_with;
use crate::web::forms::FormErrors as FieldErrors;
use crate::web::responses::see_other;
use crate::web::runner::Outcome;
use crate::web::session;

/// What every action form shows and posts back.
#[derive(Debug, Clone)]
pub struct ActionHead {
    pub reference: String,
    pub status_label: String,
    pub version: i32,
    /// The newest timeline entry the user had seen, to say what changed on a conflict.
    pub last_event: i32,
    /// Set when the form comes back because someone else changed the case.
    pub changed_since: Vec<String>,
}

impl ActionHead {
    pub fn of(case: &LoadedCase) -> ActionHead {
        ActionHead {
            reference: case.row.reference.clone(),
            status_label: case.row.status.label().to_string(),
            version: case.row.version,
            last_event: case.events.last().map(|e| e.id.0).unwrap_or(0),
            changed_since: Vec::new(),
        }
    }
}

pub const STALE_MESSAGE: &str =
    "This case was changed by someone else after you opened it. Nothing has been saved. Check what changed, then submit again";

/// After success: back to the case page with a confirmation.
pub fn done(session: &Session, reference: &str, message: &str) -> HttpResponse {
    session::set_flash(session, message);
    see_other(&format!("/cases/{reference}"))
}

/// Why a form is being shown again.
pub enum Problem {
    /// First showing.
    None,
    /// The input was refused before anything was tried.
    Input(FieldErrors),
    /// The action was tried and refused, or the case had changed.
    Outcome(Outcome),
}

impl Problem {
    /// The status the form is shown with: 409 when the case changed under the user, 400
    /// when there is something to correct, 200 on first showing.
    pub fn status(&self) -> StatusCode {
        match self {
            Problem::None | Problem::Outcome(Outcome::Done { .. }) => StatusCode::OK,
            Problem::Outcome(Outcome::Stale { .. }) => StatusCode::CONFLICT,
            Problem::Input(_) | Problem::Outcome(Outcome::Refused { .. }) => {
                StatusCode::BAD_REQUEST
            }
        }
    }

    /// The errors to show. `field_for` picks the field a domain refusal belongs beside (the
    /// form's `main_field` otherwise); a conflict goes on `main_field` and lists the changes
    /// in the head.
    pub fn into_errors(
        self,
        head: &mut ActionHead,
        main_field: &str,
        field_for: impl Fn(&Refusal) -> Option<&'static str>,
    ) -> FieldErrors {
        let mut errors = FieldErrors::new();
        match self {
            Problem::None | Problem::Outcome(Outcome::Done { .. }) => {}
            Problem::Input(input) => errors = input,
            Problem::Outcome(Outcome::Refused { message, refusal }) => {
                let field = match &refusal {
                    // An unknown id goes beside the select that posted it.
                    Some(Refusal::UnknownChoice { field, .. }) => field.as_str(),
                    refusal => refusal.as_ref().and_then(&field_for).unwrap_or(main_field),
                };
                errors.add(field, message);
            }
            Problem::Outcome(Outcome::Stale { message, changes }) => {
                head.changed_since = changes;
                errors.add(main_field, message);
            }
        }
        errors
    }
}

/// Shows a form again for `problem`, built by `reshow` (which is handed the problem to put
/// on the page), with the status the problem calls for.
pub async fn reshow<T, Fut>(
    problem: Problem,
    reshow: impl FnOnce(Problem) -> Fut,
) -> AppResult<HttpResponse>
where
    T: askama::Template,
    Fut: std::future::Future<Output = AppResult<T>>,
{
    let status = problem.status();
    render_with(status, &reshow(problem).await?)
}

/// Ends an action: back to the case page on success, or the form again via `reshow`.
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
        Outcome::Done { reference, message } => Ok(done(session, &reference, &message)),
        failed => reshow(Problem::Outcome(failed), reshow_form).await,
    }
}
