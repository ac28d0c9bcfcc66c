//! Form handling shared by every page: an extractor that understands repeated fields
//! (checkboxes) and the GOV.UK error list shown in the summary and beside each field.

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, web, FromRequest, HttpRequest, HttpResponse};
use askama::Template;
use serde::de::DeserializeOwned;

use crate::error::{AppError, AppResult};

/// Like `web::Form`, but parsed with `serde_html_form` so `area=1&area=2` fills a `Vec`.
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
            serde_html_form::from_bytes::<T>(&body)
                .map(Form)
                .map_err(|e| AppError::BadRequest(format!("The form could not be read: {e}")))
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The id of the input the summary links to.
    pub field: String,
    pub message: String,
}

/// Errors in the order the fields appear on the page.
#[derive(Debug, Clone, Default)]
pub struct FormErrors(Vec<FieldError>);

impl FormErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a message unless the field already has one (the first problem is the one to fix).
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        if !self.has(field) {
            self.0.push(FieldError {
                field: field.to_string(),
                message: message.into(),
            });
        }
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// The first message on any field whose id starts with `prefix` (the boxes of a date).
    pub fn get_prefix(&self, prefix: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field.starts_with(prefix))
            .map(|e| e.message.as_str())
    }

    pub fn has_prefix(&self, prefix: &str) -> bool {
        self.get_prefix(prefix).is_some()
    }

    /// From the domain's `(field id, message)` pairs.
    pub fn from_pairs(pairs: &[(String, String)]) -> FormErrors {
        let mut errors = FormErrors::new();
        for (field, message) in pairs {
            errors.add(field, message.clone());
        }
        errors
    }

    pub fn list(&self) -> &[FieldError] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
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

/// A form page shown again with its errors, from a handler that otherwise redirects.
pub fn render_page(page: &impl Template) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(page.render()?))
}
