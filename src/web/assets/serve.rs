//! `GET /static/{path}`: a static file from memory, compressed as the browser accepts.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};

use super::{Asset, Assets, Found};

/// A fingerprinted name never changes content.
const FOREVER: &str = "public, max-age=31536000, immutable";
/// A plain name may: ask each time, answered by a 304 while the ETag matches.
const REVALIDATE: &str = "no-cache";

pub async fn serve(
    request: HttpRequest,
    path: web::Path<String>,
    assets: web::Data<Assets>,
) -> HttpResponse {
    let (asset, cache) = match assets.find(&path) {
        Some(Found::Fingerprinted(asset)) => (asset, FOREVER),
        Some(Found::Plain(asset)) => (asset, REVALIDATE),
        None => return HttpResponse::NotFound().body("Not found"),
    };
    let etag = format!("\"{}\"", asset.hash);
    let unchanged = matches_etag(&request, &etag);
    let mut response = if unchanged {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::ETAG, etag.as_str()))
        .insert_header((header::VARY, "Accept-Encoding"));
    if unchanged {
        return response.finish();
    }
    response.insert_header((header::CONTENT_TYPE, asset.content_type.as_str()));
    match chosen_encoding(&request, asset) {
        Some((name, body)) => response
            .insert_header((header::CONTENT_ENCODING, name))
            .body(body.clone()),
        None => response.body(asset.body.clone()),
    }
}

fn matches_etag(request: &HttpRequest, etag: &str) -> bool {
    request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .split(',')
                .any(|tag| tag.trim() == etag || tag.trim() == "*")
        })
}

/// Brotli when the browser takes it, else gzip, else the file as it is.
fn chosen_encoding<'a>(
    request: &HttpRequest,
    asset: &'a Asset,
) -> Option<(&'static str, &'a actix_web::web::Bytes)> {
    let accepted = request
        .headers()
        .get(header::ACCEPT_ENCODING)
        .map(HeaderValue::to_str)
        .and_then(Result::ok)
        .unwrap_or("");
    let takes = |coding: &str| {
        accepted.split(',').any(|part| {
            let mut pieces = part.split(';');
            let name = pieces.next().unwrap_or("").trim();
            let refused = pieces.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    == Some(0.0)
            });
            name.eq_ignore_ascii_case(coding) && !refused
        })
    };
    if let Some(body) = asset.brotli.as_ref().filter(|_| takes("br")) {
        return Some(("br", body));
    }
    asset
        .gzip
        .as_ref()
        .filter(|_| takes("gzip"))
        .map(|body| ("gzip", body))
}
