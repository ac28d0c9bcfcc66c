//! Responses that are not pages: the redirect after a successful form (post/redirect/get).

use actix_web::http::header;
use actix_web::HttpResponse;

/// 303 to `location`, so reloading the next page does not post the form again.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}
