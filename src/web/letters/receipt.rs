//! The automatic receipt's wording (issue 28), edited by the complaints team like a letter:
//! the form with the placeholders explained, a preview with made-up details, and saving
//! with a version check so two people cannot overwrite each other.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use askama_web::WebTemplate;
use diesel::Connection;
use serde::Deserialize;

use crate::auth::Permission;
use crate::db::audit::{self, AuditEntry};
use crate::db::message_wordings::{self, WordingSave};
use crate::db::staff;
use crate::domain::{FieldErrors, UserId};
use crate::intake::receipt::{acknowledge_by_words, wording};
use crate::intake::receipt_wording::{self, Values, Wording, PLACEHOLDERS};
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::AppResult;
use crate::web::forms::{render_invalid, render_page, render_with, Form};
use crate::web::page::PageCtx;
use crate::web::responses::see_other;
use crate::web::session;
use crate::web::state::AppState;

/// The audit action of a saved wording.
pub const SAVED: &str = "receipt_wording_saved";

#[derive(Template, WebTemplate)]
#[template(path = "letters/receipt.html")]
pub struct ReceiptPage {
    pub ctx: PageCtx,
    pub here: &'static str,
    pub subject: String,
    pub body: String,
    pub version: i32,
    pub errors: FieldErrors,
    /// Who last changed the wording and when ("Emma Carter on 3 December 2026").
    pub last_changed: Option<String>,
    pub receipts_on: bool,
    pub placeholders: &'static [(&'static str, &'static str)],
    pub preview: Option<(String, String)>,
    /// Why the form is shown again unsaved: someone else saved meanwhile.
    pub conflict: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReceiptForm {
    pub subject: String,
    pub body: String,
    pub version: i32,
    /// "preview" to see the typed wording filled in without saving.
    pub action: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReceiptQuery {
    /// Fill the form with the standard wording (not saved until "Save").
    pub standard: bool,
}

const HERE: &str = "/letters/receipt";

/// Made-up details to show the wording filled in.
fn preview_of(subject: &str, body: &str, state: &AppState) -> (String, String) {
    let landlord = &state.settings.landlord;
    let due = acknowledge_by_words(Some(state.clock.today() + chrono::Days::new(7)));
    let values = Values {
        name: "Jo Bloggs",
        reference: "CMP-2026-000123",
        acknowledge_by: &due,
        landlord: &landlord.name,
        complaints_email: &landlord.complaints_email,
        complaints_phone: &landlord.complaints_phone,
    };
    (
        receipt_wording::fill(subject, &values),
        receipt_wording::fill(body, &values),
    )
}

/// The wording in force and who last changed it.
async fn current(state: &web::Data<AppState>) -> AppResult<(Wording, Option<String>)> {
    state
        .db(|conn| {
            let in_force = wording(conn)?;
            let last_changed = match message_wordings::find(conn, receipt_wording::KIND)? {
                Some(row) => {
                    let who = staff::find(conn, UserId(row.updated_by))?
                        .map(|member| member.name)
                        .unwrap_or_else(|| "a former member of staff".into());
                    let on = crate::clock::london_date_of(row.updated_at).format("%-d %B %Y");
                    Some(format!("{who} on {on}"))
                }
                None => None,
            };
            Ok((in_force, last_changed))
        })
        .await
}

fn page(
    user: &CurrentUser,
    state: &AppState,
    wording: Wording,
    last_changed: Option<String>,
) -> ReceiptPage {
    ReceiptPage {
        ctx: user.page().current(HERE),
        here: HERE,
        subject: wording.subject,
        body: wording.body,
        version: wording.version,
        errors: FieldErrors::new(),
        last_changed,
        receipts_on: state.settings.intake.receipt,
        placeholders: &PLACEHOLDERS,
        preview: None,
        conflict: None,
    }
}

pub async fn form(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<ReceiptQuery>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ManageCases)?;
    let (in_force, last_changed) = current(&state).await?;
    let version = in_force.version;
    let shown = if query.standard {
        Wording {
            version,
            ..Wording::standard()
        }
    } else {
        in_force
    };
    let mut page = page(&user, &state, shown, last_changed);
    page.preview = Some(preview_of(&page.subject, &page.body, &state));
    render_page(&page)
}

pub async fn submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    client: ClientAddr,
    Form(form): Form<ReceiptForm>,
) -> AppResult<HttpResponse> {
    user.require(Permission::ManageCases)?;
    let (_, last_changed) = current(&state).await?;
    let typed = Wording {
        subject: form.subject.trim().to_string(),
        body: form.body.trim_end().to_string() + "\n",
        version: form.version,
    };
    let errors = receipt_wording::check(&typed.subject, &typed.body);
    let mut shown = page(&user, &state, typed.clone(), last_changed);
    if !errors.is_empty() {
        shown.errors = errors;
        return render_invalid(&shown);
    }
    if form.action == "preview" {
        shown.preview = Some(preview_of(&typed.subject, &typed.body, &state));
        return render_page(&shown);
    }
    let (label, ip, actor, now) = (
        user.audit_label(),
        client.0.clone(),
        user.id,
        state.clock.now_naive(),
    );
    let (subject, body, seen) = (typed.subject.clone(), typed.body.clone(), typed.version);
    let saved = state
        .db(move |conn| {
            conn.transaction(|conn| {
                let saved = message_wordings::save(
                    conn,
                    &WordingSave {
                        kind: receipt_wording::KIND,
                        subject: &subject,
                        body: &body,
                        seen_version: seen,
                        by: actor,
                        now,
                    },
                )?;
                if let Some(version) = saved {
                    audit::record(
                        conn,
                        &AuditEntry::new(
                            Some(actor),
                            label,
                            SAVED,
                            "receipt".to_string(),
                            format!("version {version}"),
                            Some(&ip),
                        ),
                    )?;
                }
                Ok(saved)
            })
        })
        .await?;
    if saved.is_none() {
        // Someone else saved first: keep what was typed, show theirs is now in force.
        let (theirs, last_changed) = current(&state).await?;
        shown.version = theirs.version;
        shown.last_changed = last_changed;
        shown.conflict = Some(
            "Someone else changed the wording while you were editing it. Your changes are \
             below and have not been saved: check them against the wording now in force, then \
             save again."
                .into(),
        );
        return render_with(StatusCode::CONFLICT, &shown);
    }
    session::set_flash(&session, "Receipt wording saved");
    Ok(see_other(HERE))
}
