//! One error type for the web layer, mapped once to GOV.UK-style pages.
//! User mistakes on forms are not errors: handlers re-render the form with messages.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("sign-in required")]
    SignInRequired,
    #[error("session expired")]
    SessionExpired,
    #[error("password change required")]
    PasswordChangeRequired,
    /// The user's role needs a second factor and they have not set one up yet.
    #[error("two-factor enrolment required")]
    SecondFactorEnrolmentRequired,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// A retired address (a form that moved): a 404 saying where the job is done now.
    #[error("moved: {0}")]
    Moved(&'static str),
    #[error("CSRF token missing or wrong")]
    Csrf,
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Someone else changed the record since the user loaded it.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The case, as it stands, does not allow what was asked: why, in words.
    #[error("not now: {0}")]
    NotNow(String),
    #[error("too many requests")]
    TooManyRequests,
    /// The database cannot be reached or written (disk full, read-only): nothing the user
    /// did wrong, and nothing they can fix, so they see "try again shortly", not a 500.
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        if crate::db::storage_unavailable(&e) {
            AppError::Unavailable(e.to_string())
        } else {
            AppError::Internal(e.into())
        }
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        // No connection within the pool's timeout: the database is down or swamped.
        AppError::Unavailable(e.to_string())
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::Internal(anyhow::anyhow!("blocking task failed: {e}"))
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(e.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub ctx: crate::web::page::PageCtx,
    pub title: &'a str,
    pub paragraphs: Vec<String>,
}

impl AppError {
    fn page(&self) -> (&'static str, Vec<&'static str>) {
        match self {
            AppError::Forbidden => (
                "You do not have permission to see this page",
                vec!["Your role does not give access to this page. Ask an administrator if you think it should."],
            ),
            AppError::NotFound => (
                "Page not found",
                vec!["If you typed the web address, check it is correct.", "If you pasted the web address, check you copied the entire address."],
            ),
            AppError::Moved(now) => (
                "This page has moved",
                vec![now, "Nothing has been saved. Go back to the case and follow its next step."],
            ),
            AppError::Csrf => (
                "Your form could not be sent",
                vec!["The page was out of date or was sent from somewhere else. Go back, reload the page and try again. Nothing has been saved."],
            ),
            AppError::BadRequest(_) => (
                "Sorry, that request could not be understood",
                vec!["Go back and try again."],
            ),
            AppError::Conflict(_) => (
                "Someone else changed this record",
                vec!["Nothing has been saved. Go back, reload the page to see the latest version, and make your change again."],
            ),
            AppError::NotNow(_) => (
                "This cannot be done now",
                vec!["Go back to the case to see where it stands and what can be done next."],
            ),
            AppError::TooManyRequests => (
                "Too many requests",
                vec!["You have sent too many requests in a short time. Wait an hour and try again, or phone us."],
            ),
            AppError::Unavailable(_) => (UNAVAILABLE_TITLE, UNAVAILABLE_TEXT.to_vec()),
            _ => (
                "Sorry, there is a problem with the service",
                vec!["Try again later. Nothing you entered has been lost if you go back."],
            ),
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::SignInRequired
            | AppError::SessionExpired
            | AppError::PasswordChangeRequired
            | AppError::SecondFactorEnrolmentRequired => StatusCode::SEE_OTHER,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::NotFound | AppError::Moved(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) | AppError::NotNow(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let redirect = match self {
            AppError::SignInRequired => Some("/login"),
            AppError::SessionExpired => Some("/login?expired=1"),
            AppError::PasswordChangeRequired => Some("/account/password"),
            AppError::SecondFactorEnrolmentRequired => Some("/account/two-factor"),
            _ => None,
        };
        if let Some(location) = redirect {
            // htmx follows HX-Redirect with a full page load; browsers follow Location.
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, location))
                .insert_header(("HX-Redirect", location))
                .finish();
        }
        match self {
            AppError::Internal(e) => tracing::error!("internal error: {e:#}"),
            AppError::Unavailable(e) => tracing::error!("service unavailable: {e}"),
            _ => {}
        }
        let (title, fixed) = self.page();
        let mut paragraphs: Vec<String> = fixed.into_iter().map(String::from).collect();
        if let AppError::Conflict(message)
        | AppError::BadRequest(message)
        | AppError::NotNow(message) = self
        {
            paragraphs.insert(0, message.clone());
        }
        error_page(self.status_code(), title, paragraphs)
    }
}

const UNAVAILABLE_TITLE: &str = "Sorry, the service is unavailable";
const UNAVAILABLE_TEXT: [&str; 2] = [
    "Redress cannot save anything at the moment. Try again in a few minutes.",
    "If you were signing in or sending a form, nothing has been saved. Go back and try again shortly.",
];

/// A GOV.UK error page with `status`.
fn error_page(status: StatusCode, title: &str, paragraphs: Vec<String>) -> HttpResponse {
    let body = ErrorPage {
        ctx: crate::web::page::PageCtx::bare(),
        title,
        paragraphs,
    }
    .render()
    .unwrap_or_else(|_| title.to_string());
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body)
}

/// The page for an error raised by the framework rather than by Redress (a body over the
/// size limit, an unreadable query string or path, a wrong method), which actix-web would
/// answer in plain text.
pub fn framework_error_page(status: StatusCode) -> HttpResponse {
    let (title, paragraphs): (&str, &[&str]) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => (
            "What you sent is too large",
            &["The form or file was larger than Redress accepts, so nothing has been saved. Go back, make it smaller and try again."],
        ),
        StatusCode::NOT_FOUND => (
            "Page not found",
            &["If you typed the web address, check it is correct.", "If you pasted the web address, check you copied the entire address."],
        ),
        StatusCode::SERVICE_UNAVAILABLE => (UNAVAILABLE_TITLE, &UNAVAILABLE_TEXT),
        s if s.is_client_error() => (
            "Sorry, that request could not be understood",
            &["Go back and try again."],
        ),
        _ => (
            "Sorry, there is a problem with the service",
            &["Try again later. Nothing you entered has been lost if you go back."],
        ),
    };
    error_page(
        status,
        title,
        paragraphs.iter().map(|p| p.to_string()).collect(),
    )
}

pub type AppResult<T> = Result<T, AppError>;
