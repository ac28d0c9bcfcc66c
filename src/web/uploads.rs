//! Forms that may carry files, posted as `multipart/form-data` (the browser's form with a
//! file input; its CSRF token rides in the action URL, see `web::csrf`) or url-encoded (no
//! file): their text fields, cleaned as every form's are, and each file chosen, streamed to
//! storage through the evidence upload's checks (size, kind told by content) or refused
//! with the message for its field. A handler that refuses the post removes the files kept
//! ([`discard`]).

use actix_multipart::Multipart;
use actix_web::{web, HttpRequest};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::attachments::{safe_file_name, store};
use crate::letters::elsewhere::KeptFile;
use crate::web::cases::evidence::{keep, unreadable, Received};
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{clean_pairs, clean_text, parse_clean};

/// What a form brought.
pub struct Posted {
    pub pairs: Vec<(String, String)>,
    /// Each file field with a file chosen, in the form's order (a field posted twice counts
    /// once): the file kept, or the message for its field.
    pub files: Vec<(String, Result<KeptFile, String>)>,
}

impl Posted {
    /// The first value of field `name`, trimmed; empty if absent.
    pub fn value(&self, name: &str) -> String {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    }

    /// The text fields read as a form struct.
    pub fn parse<T: DeserializeOwned>(&self) -> AppResult<T> {
        let encoded = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&self.pairs)
            .finish();
        parse_clean(encoded.as_bytes())
    }

    /// The storage keys of the files kept.
    pub fn kept(&self) -> Vec<String> {
        self.files
            .iter()
            .filter_map(|(_, f)| f.as_ref().ok())
            .map(|f| f.stored.storage_key.clone())
            .collect()
    }
}

/// How much a form may bring besides its files.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The longest text field of a multipart form, in bytes.
    pub field: usize,
    /// All the text of the form, in bytes.
    pub total: usize,
}

fn is_multipart(request: &HttpRequest) -> bool {
    request
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

/// Reads the form; the fields `is_file` names are files, each kept in `data_dir` within
/// `upload_limit` bytes. A file field left empty (browsers send an empty part) is skipped.
pub async fn read(
    request: &HttpRequest,
    mut payload: web::Payload,
    data_dir: &std::path::Path,
    upload_limit: u64,
    limits: Limits,
    is_file: impl Fn(&str) -> bool,
) -> AppResult<Posted> {
    let too_large = || AppError::BadRequest("The form is too large".into());
    if !is_multipart(request) {
        let mut body = web::BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk
                .map_err(|e| AppError::BadRequest(format!("The form could not be read: {e}")))?;
            if body.len() + chunk.len() > limits.total {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        return Ok(Posted {
            pairs: clean_pairs(&body),
            files: Vec::new(),
        });
    }
    let mut parts = Multipart::new(request.headers(), payload);
    let mut posted = Posted {
        pairs: Vec::new(),
        files: Vec::new(),
    };
    let mut total = 0;
    let result = async {
        while let Some(field) = parts.next().await {
            let mut field = field.map_err(unreadable)?;
            let name = field.name().unwrap_or_default().to_string();
            if is_file(&name) {
                let empty_choice = field
                    .content_disposition()
                    .and_then(|cd| cd.get_filename())
                    .is_none_or(str::is_empty);
                if empty_choice || posted.files.iter().any(|(n, _)| *n == name) {
                    while let Some(chunk) = field.next().await {
                        chunk.map_err(unreadable)?;
                    }
                    continue;
                }
                let file = match keep(field, data_dir, upload_limit).await? {
                    Received::Kept {
                        stored,
                        uploaded_name,
                    } => Ok(KeptFile {
                        file_name: safe_file_name(&uploaded_name, stored.kind),
                        stored,
                    }),
                    Received::Refused(message) => Err(message),
                };
                posted.files.push((name, file));
                continue;
            }
            let mut value = Vec::new();
            while let Some(chunk) = field.next().await {
                let chunk = chunk.map_err(unreadable)?;
                if value.len() + chunk.len() > limits.field {
                    return Err(AppError::BadRequest(
                        "A field of the form is too long".into(),
                    ));
                }
                value.extend_from_slice(&chunk);
            }
            total += name.len() + value.len();
            if total > limits.total {
                return Err(too_large());
            }
            let value = String::from_utf8(value)
                .map_err(|_| AppError::BadRequest("The form could not be read".into()))?;
            posted.pairs.push((clean_text(&name), clean_text(&value)));
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Ok(posted),
        Err(e) => {
            discard(data_dir.to_path_buf(), posted.kept()).await;
            Err(e)
        }
    }
}

/// Removes files kept for a post that was refused.
pub async fn discard(data_dir: std::path::PathBuf, keys: Vec<String>) {
    if keys.is_empty() {
        return;
    }
    let _ = web::block(move || {
        for key in keys {
            let _ = store::remove(&data_dir, &key);
        }
    })
    .await;
}

/// A kept file offered back: always as a download named `name` (never shown inline), its
/// type as detected on upload, never sniffed by the browser, never cached.
pub fn file_response(name: &str, mime: &str, bytes: Vec<u8>) -> actix_web::HttpResponse {
    use actix_web::http::header;
    actix_web::HttpResponse::Ok()
        .content_type(mime)
        .insert_header((
            header::CONTENT_DISPOSITION,
            crate::web::cases::evidence::disposition(name),
        ))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes)
}
