//! CSRF protection for every state-changing request (synchronizer token pattern): the
//! session holds a random token; each form posts it as `csrf_token` and each htmx request
//! sends it as `X-CSRF-Token`. A missing or wrong token gets 403 before any handler runs,
//! so nothing is written.
//!
//! File uploads (`multipart/form-data`) are the one exception to where the token is read:
//! see [`token_from_query`].

use actix_session::SessionExt;
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::web;
use base64::Engine;
use rand::RngCore;
use subtle::ConstantTimeEq;

use crate::web::error::AppError;

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
        None if is_multipart(&req) => token_from_query(&req),
        None => match token_from_body(&mut req).await {
            Ok(token) => token,
            // Answered here, not returned as `Err`: an error returned by a middleware
            // skips the ones outside it, security headers included (a body over the
            // limit got a bare plain-text 413).
            Err(error) => return Ok(req.error_response(error)),
        },
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

fn content_type(req: &ServiceRequest) -> &str {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

fn is_multipart(req: &ServiceRequest) -> bool {
    content_type(req)
        .get(..19)
        .is_some_and(|start| start.eq_ignore_ascii_case("multipart/form-data"))
}

/// For `multipart/form-data` requests only: the token from the `csrf_token` query parameter
/// of the form's action URL (`/cases/…/attachments?csrf_token=…`).
///
/// Why: a file upload form can neither set the `X-CSRF-Token` header (that needs script,
/// and the pages work without it under a CSP with no inline script) nor be read for a
/// `csrf_token` field here without buffering the whole body, up to the upload limit, before
/// the handler streams it to disk with its size check. The token in the query is still
/// the session's secret, compared in constant time, so a cross-site form cannot guess it;
/// `Referrer-Policy: same-origin` keeps the URL from leaking to other sites, and the access
/// log redacts it ([`loggable_request`]). Every other request keeps reading the header or
/// the url-encoded body, never the query.
fn token_from_query(req: &ServiceRequest) -> Option<String> {
    form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(key, _)| key == FIELD)
        .map(|(_, value)| value.into_owned())
}

/// The request line for the access log, with any `csrf_token` in the query replaced by
/// `[redacted]` (upload forms carry it there), so the log never holds a live token.
pub fn loggable_request(req: &ServiceRequest) -> String {
    let query = req.query_string();
    let path_and_query = if query.is_empty() {
        req.path().to_string()
    } else {
        let redacted = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(
                form_urlencoded::parse(query.as_bytes()).map(|(key, value)| {
                    let value = if key == FIELD {
                        "[redacted]".into()
                    } else {
                        value
                    };
                    (key, value)
                }),
            )
            .finish();
        format!("{}?{redacted}", req.path())
    };
    format!("{} {} {:?}", req.method(), path_and_query, req.version())
}

/// Reads an url-encoded body for the token and puts the body back for the handler.
async fn token_from_body(req: &mut ServiceRequest) -> Result<Option<String>, actix_web::Error> {
    let is_form = content_type(req).starts_with("application/x-www-form-urlencoded");
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

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn the_access_log_never_holds_the_token() {
        let req = TestRequest::post()
            .uri("/cases/CMP-2026-000001/attachments?csrf_token=s3cret&x=1")
            .to_srv_request();
        let line = loggable_request(&req);
        assert_eq!(
            line,
            "POST /cases/CMP-2026-000001/attachments?csrf_token=%5Bredacted%5D&x=1 HTTP/1.1"
        );
        let plain = TestRequest::get().uri("/cases").to_srv_request();
        assert_eq!(loggable_request(&plain), "GET /cases HTTP/1.1");
    }
}
