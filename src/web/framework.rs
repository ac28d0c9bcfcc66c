//! Issue 17, finding 8: what actix-web answers by itself, made to look like the rest of
//! Redress. `HEAD` is answered like `GET` (the HTTP layer drops the body), and errors the
//! framework raises (a body over the size limit, an unreadable query or path) become
//! GOV.UK error pages that pass through the security-header middleware like every other
//! response.

use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;

use crate::web::error::{framework_error_page, AppError};

/// Routes `HEAD` to the `GET` handlers. actix-http sends no body for a request that
/// arrived as `HEAD`, whatever the handler returned, so only the method needs changing.
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}

/// Replaces the framework's plain-text error bodies with GOV.UK pages; Redress's own
/// [`AppError`] pages are left as they are. Middleware inside this one must answer errors
/// as responses (as the CSRF guard does): an `Err` cannot be turned into a page here,
/// because the request it needs has gone down the chain.
pub async fn error_pages(
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let response = next.call(req).await?;
    let from_framework = response
        .response()
        .error()
        .is_some_and(|error| error.as_error::<AppError>().is_none());
    if !from_framework {
        return Ok(response);
    }
    Ok(response.map_body(|head, _| {
        let page = framework_error_page(head.status);
        // Keep what the framework said beyond the body (e.g. `Allow` on a 405).
        let (page_head, body) = page.into_parts();
        for name in [header::CONTENT_TYPE, header::CONTENT_LENGTH] {
            head.headers.remove(&name);
        }
        for (name, value) in page_head.headers() {
            head.headers.insert(name.clone(), value.clone());
        }
        body
    }))
}
