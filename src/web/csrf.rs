//! CSRF protection for every state-changing request (synchronizer token pattern): the
//! session holds a random token; each form posts it as `csrf_token` and each htmx request
//! sends it as `X-CSRF-Token`. A missing or wrong token gets 403 before any handler runs,
//! so nothing is written.

use actix_session::SessionExt;
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::web;
use base64::Engine;
use rand::RngCore;
use subtle::ConstantTimeEq;

use crate::error::AppError;

pub const FIELD: &str = "csrf_token";
pub const HEADER: &str = "X-CSRF-Token";

pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub async fn guard(
    mut req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.call(req).await;
    }
    let expected = crate::web::session::existing_csrf_token(&req.get_session());
    let provided = match req.headers().get(HEADER).and_then(|v| v.to_str().ok()) {
        Some(value) => Some(value.to_string()),
        None => token_from_body(&mut req).await?,
    };
    let valid = match (expected, provided) {
        (Some(expected), Some(provided)) => {
            bool::from(expected.as_bytes().ct_eq(provided.as_bytes()))
        }
        _ => false,
    };
    if !valid {
        return Ok(req.error_response(AppError::Csrf));
    }
    next.call(req).await
}

/// Reads an url-encoded body for the token and puts the body back for the handler.
async fn token_from_body(req: &mut ServiceRequest) -> Result<Option<String>, actix_web::Error> {
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok(None);
    }
    let body = req.extract::<web::Bytes>().await?;
    let token = form_urlencoded::parse(&body)
        .find(|(key, _)| key == FIELD)
        .map(|(_, value)| value.into_owned());
    req.set_payload(actix_web::dev::Payload::from(body));
    Ok(token)
}
