//! The subject access export: the ticked cases (each one found for the person; no other
//! case can be named), gathered and audited in one database trip, then streamed as a ZIP.

use actix_web::{web, HttpResponse};

use super::load;
use crate::cases::page::{Looking, PageError, PageRules};
use crate::db::audit::{self, AuditEntry};
use crate::privacy::subject_access::{export, gather, review};
use crate::rules::RagThresholds;
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::ombudsman::form::Typed;
use crate::web::state::AppState;
use crate::web::streaming::zip_download;

pub async fn download(
    state: web::Data<AppState>,
    user: CurrentUser,
    client: ClientAddr,
    path: web::Path<i32>,
    query: web::Query<Typed>,
) -> AppResult<HttpResponse> {
    let request = load(&state, &user, path.into_inner()).await?;
    let chosen: Vec<String> = query.all("case").into_iter().map(str::to_string).collect();
    if chosen.is_empty() {
        return Err(AppError::BadRequest(
            "Tick at least one of the person's cases to export".into(),
        ));
    }
    let app = state.clone();
    let (acting_user, reader, ip) = (user.clone(), user.reader(&client), client.0.clone());
    let today = state.clock.today();
    let now = state.clock.now_naive();
    let id = request.id;
    let built = state
        .db(move |conn| {
            let found = review::find_person(conn, &request)?;
            if let Some(stranger) = chosen
                .iter()
                .find(|r| !found.iter().any(|f| &f.case.reference == *r))
            {
                return Err(AppError::BadRequest(format!(
                    "{stranger} is not one of this person's cases"
                )));
            }
            let looking = Looking {
                viewer: acting_user.viewer(),
                reader: &reader,
            };
            let rules = PageRules {
                policies: &app.policies,
                calendar: &app.calendar,
                thresholds: RagThresholds {
                    amber_within: app.settings.rules.amber_within,
                },
                today,
            };
            let mut files = Vec::new();
            // In the order the page lists them.
            for f in found.iter().filter(|f| chosen.contains(&f.case.reference)) {
                files.push(
                    gather::gather(conn, &looking, &rules, &f.case.reference).map_err(
                        |e| match e {
                            PageError::NotFound => AppError::NotFound,
                            PageError::Forbidden => AppError::Forbidden,
                            PageError::Database(e) => e.into(),
                        },
                    )?,
                );
            }
            let built = export::build(
                &request.person_name,
                request.received_on,
                &files,
                &app.settings.landlord.name,
                now,
            )
            .map_err(AppError::Internal)?;
            let label = acting_user.audit_label();
            let c = built.counts;
            for f in &files {
                audit::record(
                    conn,
                    &AuditEntry::new(
                        Some(acting_user.id),
                        label.clone(),
                        "subject_access_exported",
                        format!("case:{}", f.page.reference),
                        format!("for=subject_access:{id}"),
                        Some(&ip),
                    ),
                )?;
            }
            audit::record(
                conn,
                &AuditEntry::new(
                    Some(acting_user.id),
                    label,
                    "subject_access_exported",
                    format!("subject_access:{id}"),
                    format!(
                        "cases={} timeline_entries={} letters={} emails={} files={} withheld={}",
                        chosen.join(","),
                        c.entries,
                        c.letters,
                        c.emails,
                        c.files,
                        c.withheld
                    ),
                    Some(&ip),
                ),
            )?;
            Ok(built)
        })
        .await?;
    let data_dir = state.settings.storage.data_dir.clone();
    Ok(zip_download(
        &format!("subject-access-{id}.zip"),
        "a subject access export",
        move |out| crate::attachments::archive::write_zip(built.files, &data_dir, out),
    ))
}
