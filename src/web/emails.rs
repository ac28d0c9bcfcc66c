//! The officers' Emails page (issue 28): what arrived in the complaints mailbox and was not
//! filed to an open case by itself. From each email an officer creates a case (the logging
//! form, prefilled), attaches it to a case by reference, or discards it with a reason. The
//! original and the files sent with it can be downloaded (audited).

use actix_session::Session;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use chrono::NaiveDateTime;
use serde::Deserialize;

use crate::attachments::store;
use crate::auth::Permission;
use crate::cases::transition::ActingUser;
use crate::db::audit::{self, AuditEntry};
use crate::db::cases as case_rows;
use crate::db::incoming_emails::{self as table, EmailFileRow, EmailRow};
use crate::domain::{CaseReference, EmailFileId, IncomingEmailId};
use crate::intake::message::{sender_label, Automatic};
use crate::intake::triage::{self, TriageError};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::filters;
use crate::web::forms::{check_length, render_invalid, FieldErrors, Form, Query};
use crate::web::page::PageCtx;
use crate::web::responses::see_other;
use crate::web::session;
use crate::web::state::AppState;

/// Rows shown at most per list (newest first).
const LIMIT: i64 = 200;
/// The longest discard reason.
const REASON_MAX: usize = 1000;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/emails", web::get().to(list))
        .route("/emails/{id}", web::get().to(show))
        .route("/emails/{id}/original", web::get().to(original))
        .route("/emails/{id}/files/{file}", web::get().to(file))
        .route("/emails/{id}/attach", web::post().to(attach))
        .route("/emails/{id}/discard", web::post().to(discard));
}

/// The lists the page offers.
const LISTS: [(&str, &str, &[&str]); 4] = [
    ("waiting", "Waiting", &[table::AWAITING]),
    ("automatic", "Automatic replies", &[table::AUTOMATIC]),
    ("quarantined", "Quarantined", &[table::QUARANTINED]),
    ("done", "Dealt with", &[table::FILED, table::DISCARDED]),
];

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    pub show: Option<String>,
}

pub struct ListLink {
    pub value: &'static str,
    pub label: &'static str,
    pub count: i64,
    pub current: bool,
}

/// One email as the pages show it.
pub struct EmailView {
    pub id: IncomingEmailId,
    pub sender: String,
    pub subject: String,
    pub received: String,
    pub status: &'static str,
    pub tag_class: &'static str,
    /// Why it is set apart: a machine sent it, quarantine, or the discard reason.
    pub note: String,
    pub text: String,
    pub quoted: String,
    pub case_reference: Option<String>,
    pub actionable: bool,
    pub waiting: bool,
}

fn when(at: NaiveDateTime) -> String {
    at.and_utc()
        .with_timezone(&chrono_tz::Europe::London)
        .format("%-d %B %Y at %H:%M")
        .to_string()
}

fn status_words(status: &str) -> (&'static str, &'static str) {
    match status {
        table::AWAITING => ("Waiting", "govuk-tag--blue"),
        table::FILED => ("On a case", "govuk-tag--green"),
        table::AUTOMATIC => ("Sent by a machine", "govuk-tag--grey"),
        table::QUARANTINED => ("Quarantined", "govuk-tag--red"),
        _ => ("Discarded", "govuk-tag--grey"),
    }
}

fn view(row: EmailRow, case_reference: Option<String>) -> EmailView {
    let (status, tag_class) = status_words(&row.status);
    let note = match (
        row.automatic.as_deref().and_then(Automatic::parse),
        &row.reason,
    ) {
        (Some(machine), _) => machine.label().to_string(),
        (None, Some(reason)) if row.status == table::QUARANTINED => reason.clone(),
        (None, Some(reason)) => format!("Discarded: {reason}"),
        (None, None) => String::new(),
    };
    EmailView {
        id: row.id,
        sender: sender_label(&row.from_name, &row.from_address),
        subject: if row.subject.is_empty() {
            "(no subject)".into()
        } else {
            row.subject
        },
        received: when(row.received_at),
        status,
        tag_class,
        note,
        text: row.body_text,
        quoted: row.quoted_text,
        case_reference,
        actionable: triage::may_act_on(&row.status),
        waiting: row.status == table::AWAITING,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "emails/list.html")]
pub struct EmailsPage {
    pub ctx: PageCtx,
    pub lists: Vec<ListLink>,
    pub heading: &'static str,
    pub rows: Vec<EmailView>,
}

pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    query: Query<ListQuery>,
) -> AppResult<EmailsPage> {
    user.require(Permission::ManageCases)?;
    let wanted = query.show.as_deref().unwrap_or("waiting");
    let (value, heading, statuses) = LISTS
        .iter()
        .copied()
        .find(|(v, _, _)| *v == wanted)
        .unwrap_or(LISTS[0]);
    let (rows, counts) = state
        .db(move |conn| {
            Ok((
                table::list(conn, statuses, LIMIT)?,
                table::count_by_status(conn)?,
            ))
        })
        .await?;
    let lists = LISTS
        .iter()
        .map(|(v, label, statuses)| ListLink {
            value: v,
            label,
            count: counts
                .iter()
                .filter(|(s, _)| statuses.contains(&s.as_str()))
                .map(|(_, n)| n)
                .sum(),
            current: *v == value,
        })
        .collect();
    Ok(EmailsPage {
        ctx: user.page().current("/emails").with_flash(&session),
        lists,
        heading,
        rows: rows.into_iter().map(|r| view(r, None)).collect(),
    })
}

pub struct FileView {
    pub id: EmailFileId,
    pub name: String,
    pub size: String,
    pub refused: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "emails/show.html")]
pub struct EmailPage {
    pub ctx: PageCtx,
    pub email: EmailView,
    pub files: Vec<FileView>,
    pub original_size: String,
    pub errors: FieldErrors,
    pub reference: String,
    pub reason: String,
}

async fn email_page(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    session: Option<&Session>,
    id: IncomingEmailId,
    errors: FieldErrors,
    typed: (String, String),
) -> AppResult<EmailPage> {
    let (row, files, reference) = state
        .db(move |conn| {
            let row = table::find(conn, id)?.ok_or(AppError::NotFound)?;
            let files = table::files(conn, id)?;
            let reference = match row.case_id {
                Some(case) => case_rows::find(conn, case)?.map(|c| c.reference),
                None => None,
            };
            Ok((row, files, reference))
        })
        .await?;
    let original_size = crate::attachments::human_size(row.eml_size.max(0) as u64);
    let mut ctx = user.page().current("/emails");
    if let Some(session) = session {
        ctx = ctx.with_flash(session);
    }
    Ok(EmailPage {
        ctx,
        email: view(row, reference),
        files: files.into_iter().map(file_view).collect(),
        original_size,
        errors,
        reference: typed.0,
        reason: typed.1,
    })
}

fn file_view(f: EmailFileRow) -> FileView {
    FileView {
        id: f.id,
        size: crate::attachments::human_size(f.size_bytes.max(0) as u64),
        name: f.file_name,
        refused: f.refused,
    }
}

pub async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    path: web::Path<i32>,
) -> AppResult<EmailPage> {
    user.require(Permission::ManageCases)?;
    let id = IncomingEmailId(path.into_inner());
    email_page(
        &state,
        &user,
        Some(&session),
        id,
        FieldErrors::new(),
        Default::default(),
    )
    .await
}

fn audit_download(
    conn: &mut crate::db::DbConnection,
    user: &CurrentUser,
    ip: &str,
    id: IncomingEmailId,
    what: String,
) -> diesel::QueryResult<()> {
    audit::record(
        conn,
        &AuditEntry::new(
            Some(user.id),
            user.audit_label(),
            "email_file_downloaded",
            format!("incoming_email:{id}"),
            what,
            Some(ip),
        ),
    )
    .map(|_| ())
}

/// The message exactly as it arrived, as a saved email (never shown inline).
pub async fn original(
    state: web::Data<AppState>,
    user: CurrentUser,
    client: ClientAddr,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ManageCases)?;
    let id = IncomingEmailId(path.into_inner());
    let data_dir = state.settings.storage.data_dir.clone();
    let acting = user.clone();
    let bytes = state
        .db(move |conn| {
            let row = table::find(conn, id)?.ok_or(AppError::NotFound)?;
            let bytes = store::read_verified(&data_dir, &row.eml_key, &row.eml_sha256)
                .map_err(|e| AppError::Internal(e.into()))?;
            audit_download(conn, &acting, &client.0, id, "the original email".into())?;
            Ok(bytes)
        })
        .await?;
    Ok(crate::web::uploads::file_response(
        &format!("email-{id}.eml"),
        "message/rfc822",
        bytes,
    ))
}

pub async fn file(
    state: web::Data<AppState>,
    user: CurrentUser,
    client: ClientAddr,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ManageCases)?;
    let (id, file) = path.into_inner();
    let (id, file) = (IncomingEmailId(id), EmailFileId(file));
    let data_dir = state.settings.storage.data_dir.clone();
    let acting = user.clone();
    let (row, bytes) = state
        .db(move |conn| {
            let row = table::find_file(conn, id, file)?
                .filter(|f| f.refused.is_none())
                .ok_or(AppError::NotFound)?;
            let bytes = store::read_verified(&data_dir, &row.storage_key, &row.sha256)
                .map_err(|e| AppError::Internal(e.into()))?;
            audit_download(conn, &acting, &client.0, id, format!("file {file}"))?;
            Ok((row, bytes))
        })
        .await?;
    Ok(crate::web::uploads::file_response(
        &row.file_name,
        &row.content_type,
        bytes,
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AttachForm {
    pub reference: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DiscardForm {
    pub reason: String,
}

/// The page again, 400, with the error beside its field and what was typed.
async fn invalid(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    id: IncomingEmailId,
    errors: FieldErrors,
    typed: (String, String),
) -> AppResult<HttpResponse> {
    let page = email_page(state, user, None, id, errors, typed).await?;
    render_invalid(&page)
}

fn handled(session: &Session, id: IncomingEmailId) -> AppResult<HttpResponse> {
    session::set_flash(
        session,
        "Someone else dealt with this email first: it was left as they left it",
    );
    Ok(see_other(&format!("/emails/{id}")))
}

pub async fn attach(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<i32>,
    Form(form): Form<AttachForm>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ManageCases)?;
    let id = IncomingEmailId(path.into_inner());
    let typed = (form.reference.clone(), String::new());
    let reference = match CaseReference::parse(&form.reference) {
        Ok(r) => r,
        Err(message) => {
            let mut errors = FieldErrors::new();
            errors.add("reference", message);
            return invalid(&state, &user, id, errors, typed).await;
        }
    };
    let clock = state.clock;
    let (acting, ip) = (user.clone(), client.0.clone());
    let outcome = state
        .db(move |conn| {
            let label = acting.audit_label();
            let actor = ActingUser {
                id: acting.id,
                label: &label,
                ip: Some(&ip),
            };
            Ok(triage::attach(
                conn,
                id,
                &reference,
                &actor,
                clock.now_naive(),
            ))
        })
        .await?;
    match outcome {
        Ok(()) => {
            session::set_flash(&session, &format!("The email was added to {reference}"));
            Ok(see_other(&format!("/cases/{reference}")))
        }
        Err(TriageError::AlreadyHandled) => handled(&session, id),
        Err(TriageError::NotFound) => Err(AppError::NotFound),
        Err(e @ (TriageError::NoSuchCase(_) | TriageError::CaseClosed(_))) => {
            let mut errors = FieldErrors::new();
            errors.add("reference", e.to_string());
            invalid(&state, &user, id, errors, typed).await
        }
        Err(TriageError::Database(e)) => Err(AppError::Internal(e.into())),
    }
}

pub async fn discard(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    path: web::Path<i32>,
    Form(form): Form<DiscardForm>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ManageCases)?;
    let id = IncomingEmailId(path.into_inner());
    let reason = form.reason.trim().to_string();
    let mut errors = FieldErrors::new();
    if reason.is_empty() {
        errors.add("reason", "Enter why the email needs nothing more");
    }
    check_length(&mut errors, "reason", "The reason", &reason, REASON_MAX);
    if !errors.is_empty() {
        return invalid(&state, &user, id, errors, (String::new(), form.reason)).await;
    }
    let clock = state.clock;
    let (acting, ip) = (user.clone(), client.0.clone());
    let outcome = state
        .db(move |conn| {
            let label = acting.audit_label();
            let actor = ActingUser {
                id: acting.id,
                label: &label,
                ip: Some(&ip),
            };
            Ok(triage::discard(
                conn,
                id,
                &reason,
                &actor,
                clock.now_naive(),
            ))
        })
        .await?;
    match outcome {
        Ok(()) => {
            session::set_flash(&session, "The email was discarded");
            Ok(see_other("/emails"))
        }
        Err(TriageError::AlreadyHandled) => handled(&session, id),
        Err(TriageError::Database(e)) => Err(AppError::Internal(e.into())),
        Err(_) => Err(AppError::NotFound),
    }
}
