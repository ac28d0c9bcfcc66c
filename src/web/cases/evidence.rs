//! Evidence files on the case page: the upload (`POST /cases/{reference}/attachments`, a
//! multipart form whose CSRF token rides in the action URL, see `web::csrf`) and the
//! download. Both are for everyone who may see the case (the actions' one check), and both
//! are audited.

use actix_multipart::Multipart;
use actix_web::http::header::{
    Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
};
use actix_web::{web, HttpResponse};
use futures_util::StreamExt;

use crate::attachments::{self, safe_file_name, store, Incoming, UploadError};
use crate::cases::evidence;
use crate::cases::load;
use crate::cases::transition::ActingUser;
use crate::db::attachments as attachment_rows;
use crate::domain::AttachmentId;
use crate::web::cases::show;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{render_invalid, FieldErrors};
use crate::web::runner::{allowed, done, load_for, CaseRequest, Who};

/// The form field that carries the file.
const FIELD: &str = "file";

/// What came in, or the message to show at the upload field.
pub(crate) enum Received {
    Kept {
        stored: attachments::Stored,
        uploaded_name: String,
    },
    Refused(String),
}

pub async fn upload(ctx: CaseRequest, payload: Multipart) -> AppResult<HttpResponse> {
    let CaseRequest {
        state,
        user,
        session,
        client,
        reference,
    } = &ctx;
    let clock = state.clock;
    // Who may add evidence is settled before a byte of the file is read.
    let (case, ()) = load_for(&ctx, Who::CaseTeam, |_, _| Ok(())).await?;
    let data_dir = state.settings.storage.data_dir.clone();
    let limit = state.settings.storage.max_upload_bytes;
    let (stored, uploaded_name) = match receive(payload, &data_dir, limit).await? {
        Received::Kept {
            stored,
            uploaded_name,
        } => (stored, uploaded_name),
        Received::Refused(message) => {
            let mut errors = FieldErrors::new();
            errors.add(FIELD, message);
            let page = show::render(state, user, session, client, reference, errors).await?;
            return render_invalid(&page);
        }
    };
    let file_name = safe_file_name(&uploaded_name, stored.kind);
    let (acting, ip) = (user.clone(), client.0.clone());
    let case_id = case.row.id;
    let kept = stored.clone();
    let recorded = state
        .db(move |conn| {
            let label = acting.audit_label();
            let actor = ActingUser {
                id: acting.id,
                label: &label,
                ip: Some(&ip),
            };
            // Checked again in case the case changed hands while the file came in.
            let case = load::by_id(conn, case_id)?.ok_or(AppError::NotFound)?;
            allowed(&acting, &case, Who::CaseTeam)?;
            let now = clock.now_naive();
            Ok(evidence::record_upload(
                conn, &case.row, &kept, &file_name, &actor, now,
            )?)
        })
        .await;
    let row = match recorded {
        Ok(row) => row,
        Err(e) => {
            let key = stored.storage_key.clone();
            let _ = web::block(move || store::remove(&data_dir, &key)).await;
            return Err(e);
        }
    };
    Ok(done(
        session,
        &case.row.reference,
        &format!("{} added as evidence", row.file_name),
    ))
}

/// Streams the `file` field to storage. Other fields are skipped; a second file is ignored.
async fn receive(
    mut payload: Multipart,
    data_dir: &std::path::Path,
    limit: u64,
) -> AppResult<Received> {
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(unreadable)?;
        if field.name() != Some(FIELD) {
            while let Some(chunk) = field.next().await {
                chunk.map_err(unreadable)?;
            }
            continue;
        }
        return keep(field, data_dir, limit).await;
    }
    Ok(Received::Refused("Select a file".into()))
}

/// Streams one file field to storage through the upload's checks (size, accepted kind by
/// content); also used by "record a letter sent elsewhere" for its copy.
pub(crate) async fn keep(
    mut field: actix_multipart::Field,
    data_dir: &std::path::Path,
    limit: u64,
) -> AppResult<Received> {
    let uploaded_name = field
        .content_disposition()
        .and_then(|cd| cd.get_filename())
        .unwrap_or_default()
        .to_string();
    let mut incoming = Incoming::begin(data_dir, limit).await.map_err(internal)?;
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(unreadable)?;
        if let Err(e) = incoming.push(&chunk).await {
            return refused(e, limit);
        }
    }
    if incoming.size() == 0 && uploaded_name.is_empty() {
        return Ok(Received::Refused("Select a file".into()));
    }
    match incoming.finish().await {
        Ok(stored) => Ok(Received::Kept {
            stored,
            uploaded_name,
        }),
        Err(e) => refused(e, limit),
    }
}

/// The GOV.UK message for a refused file; storage failures are ours, not the user's.
fn refused(e: UploadError, limit: u64) -> AppResult<Received> {
    let message = match e {
        UploadError::Empty => "The selected file is empty".to_string(),
        UploadError::TooLarge { .. } => format!(
            "The selected file must be smaller than {}",
            attachments::human_size(limit)
        ),
        UploadError::NotAccepted => {
            "The selected file must be a PDF, image, Office document or saved email".to_string()
        }
        UploadError::Io(e) => return Err(internal(e)),
    };
    Ok(Received::Refused(message))
}

pub(crate) fn unreadable(e: actix_multipart::MultipartError) -> AppError {
    AppError::BadRequest(format!("The upload could not be read: {e}"))
}

fn internal(e: impl Into<anyhow::Error>) -> AppError {
    AppError::Internal(e.into())
}

pub async fn download(ctx: CaseRequest, path: web::Path<(String, i32)>) -> AppResult<HttpResponse> {
    let (_, id) = path.into_inner();
    let data_dir = ctx.state.settings.storage.data_dir.clone();
    let (acting, ip) = (ctx.user.clone(), ctx.client.0.clone());
    let (_, (row, bytes)) = load_for(&ctx, Who::CaseTeam, move |conn, case| {
        let row = attachment_rows::find_on_case(conn, case.row.id, AttachmentId(id))?
            .ok_or(AppError::NotFound)?;
        let bytes =
            store::read_verified(&data_dir, &row.storage_key, &row.sha256).map_err(internal)?;
        let label = acting.audit_label();
        evidence::record_download(
            conn,
            &case.row,
            &row,
            &ActingUser {
                id: acting.id,
                label: &label,
                ip: Some(&ip),
            },
        )?;
        Ok((row, bytes))
    })
    .await?;
    Ok(crate::web::uploads::file_response(
        &row.file_name,
        &row.content_type,
        bytes,
    ))
}

/// `attachment; filename="…"`, with an ASCII stand-in for old clients and the exact name
/// as RFC 5987 `filename*` when it is not plain ASCII. The name was made safe on upload;
/// quotes and backslashes are replaced here as well, so the header cannot be broken out of.
pub(crate) fn disposition(name: &str) -> ContentDisposition {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii() && !c.is_ascii_control() && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut parameters = vec![DispositionParam::Filename(ascii)];
    if !name.is_ascii() {
        parameters.push(DispositionParam::FilenameExt(ExtendedValue {
            charset: Charset::Ext("UTF-8".into()),
            language_tag: None,
            value: name.as_bytes().to_vec(),
        }));
    }
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disposition_names_the_file_safely() {
        assert_eq!(
            disposition("damp.jpg").to_string(),
            "attachment; filename=\"damp.jpg\""
        );
        assert_eq!(
            disposition("Schäden \"x\".pdf").to_string(),
            "attachment; filename=\"Sch_den _x_.pdf\"; filename*=UTF-8''Sch%C3%A4den%20%22x%22.pdf"
        );
    }
}
