//! htmx's requests, told apart in one place. A partial answers htmx's own swaps; when the
//! person presses Back and htmx has no copy of the page (Redress keeps none:
//! `historyCacheSize` is 0) it asks again with `HX-History-Restore-Request` and puts the
//! answer in place of the whole body, so that request, like any without htmx, gets the full
//! page.

use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;

/// The `Vary` of a response that differs for htmx.
pub const VARY: &str = "HX-Request, HX-History-Restore-Request";

/// Whether to answer with a partial: htmx asked, and not to restore history.
pub fn wants_partial(headers: &HeaderMap) -> bool {
    headers.contains_key("HX-Request") && !headers.contains_key("HX-History-Restore-Request")
}

/// An error answered to htmx (a 400, 403, 404, 409 or 5xx) replaces the page's whole body
/// with the error page, instead of landing inside the element that asked or leaving the
/// page as if nothing happened. The layout's `responseHandling` lets htmx swap error
/// statuses; a handler that answers htmx with a partial error of its own sets `HX-Retarget`
/// or `HX-Reswap` itself, and is left alone.
pub async fn errors_replace_the_page(
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let htmx = wants_partial(req.headers());
    let mut response = next.call(req).await?;
    let status = response.status();
    if htmx && (status.is_client_error() || status.is_server_error()) {
        let headers = response.headers_mut();
        if !headers.contains_key("HX-Retarget") && !headers.contains_key("HX-Reswap") {
            headers.insert(
                HeaderName::from_static("hx-retarget"),
                HeaderValue::from_static("body"),
            );
            headers.insert(
                HeaderName::from_static("hx-reswap"),
                HeaderValue::from_static("innerHTML"),
            );
        }
    }
    Ok(response)
}
