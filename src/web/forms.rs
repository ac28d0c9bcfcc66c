//! Form handling shared by every page: an extractor that understands repeated fields
//! (checkboxes) and the GOV.UK error list shown in the summary and beside each field.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::StatusCode;
use actix_web::{dev::Payload, web, FromRequest, HttpRequest, HttpResponse};
use askama::Template;
use serde::de::DeserializeOwned;

use crate::web::error::{AppError, AppResult};

/// Like `web::Form`, but parsed with `serde_html_form` so `area=1&area=2` fills a `Vec`, and
/// with control characters removed first (see [`clean_pairs`]).
pub struct Form<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Form<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Form<T>, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let body = body
                .await
                .map_err(|e| AppError::BadRequest(format!("The form could not be read: {e}")))?;
            parse_clean(&body).map(Form)
        })
    }
}

/// Like `web::Query`, with the same cleaning as [`Form`].
pub struct Query<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Query<T> {
    type Error = AppError;
    type Future = std::future::Ready<Result<Query<T>, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_clean(req.query_string().as_bytes()).map(Query))
    }
}

impl<T> std::ops::Deref for Query<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// A url-encoded body or query string, cleaned, into `T`.
pub fn parse_clean<T: DeserializeOwned>(encoded: &[u8]) -> Result<T, AppError> {
    let cleaned = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(clean_pairs(encoded))
        .finish();
    serde_html_form::from_str::<T>(&cleaned)
        .map_err(|e| AppError::BadRequest(format!("The form could not be read: {e}")))
}

/// The name/value pairs of a url-encoded body or query string with control characters
/// removed from names and values, except tab, line feed and carriage return (multi-line
/// text keeps its lines). Every form and query the app reads passes through here, so no
/// NUL byte or escape sequence reaches a template, a search expression or the database
/// (PostgreSQL refuses NUL in text; SQLite's full-text search chokes on it).
pub fn clean_pairs(encoded: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(encoded)
        .map(|(name, value)| (clean_text(&name), clean_text(&value)))
        .collect()
}

/// `text` without control characters other than tab, line feed and carriage return.
pub fn clean_text(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

pub use crate::domain::FieldErrors;
/// The old name of [`FieldErrors`], still used by the case page (`web/cases/show.rs`, being
/// rewritten in another change); use `FieldErrors`.
pub type FormErrors = FieldErrors;

/// The longest text a field takes, by kind of field.
pub mod limits {
    /// A person's or a thing's name.
    pub const NAME: usize = 200;
    /// Any other one-line answer.
    pub const LINE: usize = 500;
    /// An explanation, a note, a letter.
    pub const LONG: usize = 10_000;
}

/// An error beside `field` when `value` is longer than `max` characters.
pub fn check_length(errors: &mut FieldErrors, field: &str, label: &str, value: &str, max: usize) {
    if value.chars().count() > max {
        errors.add(
            field,
            format!(
                "{label} must be {} characters or fewer",
                crate::domain::number::thousands(max as i64)
            ),
        );
    }
}

/// One choice in a radio group, checkbox group or select.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opt {
    pub value: String,
    pub label: String,
}

impl Opt {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Opt {
        Opt {
            value: value.into(),
            label: label.into(),
        }
    }
}

/// A page from a handler that otherwise redirects (a confirmation, say).
pub fn render_page(page: &impl Template) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(page.render()?))
}

/// A form shown again with its errors: a 400, so nothing mistakes it for a success.
pub fn render_invalid(page: &impl Template) -> AppResult<HttpResponse> {
    render_with(StatusCode::BAD_REQUEST, page)
}

/// A page with `status`: a form shown again is a 400 (input to correct) or a 409 (someone
/// else changed the record meanwhile), never a 200 that looks like success.
pub fn render_with(status: StatusCode, page: &impl Template) -> AppResult<HttpResponse> {
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(page.render()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_removed_but_lines_and_tabs_kept() {
        let pairs = clean_pairs(b"q=abc%00d%1B%7F%C2%85e&note=one%0D%0Atwo%09three&n%00ame=x");
        assert_eq!(
            pairs,
            vec![
                ("q".to_string(), "abcde".to_string()),
                ("note".to_string(), "one\r\ntwo\tthree".to_string()),
                ("name".to_string(), "x".to_string()),
            ]
        );
    }

    #[test]
    fn repeated_fields_still_fill_a_list_after_cleaning() {
        #[derive(serde::Deserialize)]
        struct Areas {
            area: Vec<i32>,
            name: String,
        }
        let areas: Areas = parse_clean(b"area=1&area=2&name=Jo%00").unwrap();
        assert_eq!(areas.area, vec![1, 2]);
        assert_eq!(areas.name, "Jo");
    }
}
