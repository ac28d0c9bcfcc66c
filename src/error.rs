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
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
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
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        AppError::Internal(e.into())
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        AppError::Internal(e.into())
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
            | AppError::PasswordChangeRequired => StatusCode::SEE_OTHER,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) | AppError::NotNow(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let redirect = match self {
            AppError::SignInRequired => Some("/login"),
            AppError::SessionExpired => Some("/login?expired=1"),
            AppError::PasswordChangeRequired => Some("/account/password"),
            _ => None,
        };
        if let Some(location) = redirect {
            // htmx follows HX-Redirect with a full page load; browsers follow Location.
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, location))
                .insert_header(("HX-Redirect", location))
                .finish();
        }
        if let AppError::Internal(e) = self {
            log::error!("internal error: {e:#}");
        }
        let (title, fixed) = self.page();
        let mut paragraphs: Vec<String> = fixed.into_iter().map(String::from).collect();
        if let AppError::Conflict(message)
        | AppError::BadRequest(message)
        | AppError::NotNow(message) = self
        {
            paragraphs.insert(0, message.clone());
        }
        let body = ErrorPage {
            ctx: crate::web::page::PageCtx::bare(),
            title,
            paragraphs,
        }
        .render()
        .unwrap_or_else(|_| title.to_string());
        HttpResponse::build(self.status_code())
            .content_type("text/html; charset=utf-8")
            .body(body)
    }
}

pub type AppResult<T> = Result<T, AppError>;
