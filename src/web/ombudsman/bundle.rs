//! Exporting the evidence bundle for an evidence request: gathered and recorded (audited,
//! on the timeline, against the request) in one database trip, then streamed as a ZIP
//! (`web::streaming`), so a large case file is never held whole in memory.

use actix_web::{web, HttpResponse};

use crate::cases::page::{Looking, PageError, PageRules};
use crate::db::ombudsman as table;
use crate::ombudsman::access::RegisterAction;
use crate::ombudsman::bundle;
use crate::ombudsman::record::{self, BundleRecord};
use crate::rules::RagThresholds;
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;
use crate::web::streaming::zip_download;

pub async fn export(
    state: web::Data<AppState>,
    user: CurrentUser,
    client: ClientAddr,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (id, request) = path.into_inner();
    let (contact, _) = super::load(&state, &user, id, RegisterAction::Write).await?;
    let app = state.clone();
    let acting_user = user.clone();
    let reader = user.reader(&client);
    let ip = client.0.clone();
    let today = state.clock.today();
    let now = state.clock.now_naive();
    let built = state
        .db(move |conn| {
            let row = table::find_request(conn, id, request)?.ok_or(AppError::NotFound)?;
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
            let gathered =
                bundle::gather(conn, &looking, contact, row, &rules).map_err(|e| match e {
                    PageError::NotFound => AppError::NotFound,
                    PageError::Forbidden => AppError::Forbidden,
                    PageError::Database(e) => e.into(),
                })?;
            let built = bundle::build(&gathered, &app.settings.landlord.name, now)?;
            let files = built.files.len();
            super::acting(&acting_user, &ip, |actor| {
                record::record_bundle(
                    conn,
                    id,
                    &BundleRecord {
                        request,
                        index_sha256: &built.index_sha256,
                        files,
                        today,
                    },
                    actor,
                    now,
                )
            })
            .map_err(super::failed)?;
            Ok(built)
        })
        .await?;
    let name = built.file_name();
    let data_dir = state.settings.storage.data_dir.clone();
    Ok(zip_download(&name, "the evidence bundle", move |out| {
        bundle::write_zip(built, &data_dir, out)
    }))
}
