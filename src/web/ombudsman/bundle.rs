//! Exporting the evidence bundle for an evidence request: gathered and recorded (audited,
//! on the timeline, against the request) in one database trip, then streamed as a ZIP while
//! a writer thread reads each attachment from storage, so a large case file is never held
//! whole in memory.

use std::io::{self, Write};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use crate::cases::page::{Looking, PageError, PageRules};
use crate::db::ombudsman as table;
use crate::ombudsman::access::RegisterAction;
use crate::ombudsman::bundle;
use crate::ombudsman::record::{self, BundleRecord};
use crate::rules::RagThresholds;
use crate::web::cases::evidence::disposition;
use crate::web::client_addr::ClientAddr;
use crate::web::current_user::CurrentUser;
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;

/// Bytes handed to the response at a time.
const CHUNK: usize = 64 * 1024;

/// A `Write` that hands full chunks to the response; fails once the client has gone.
struct ChannelWriter {
    tx: SyncSender<Vec<u8>>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
        self.tx
            .send(chunk)
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the download was abandoned"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

impl Drop for ChannelWriter {
    fn drop(&mut self) {
        let _ = self.send();
    }
}

fn chunks(
    rx: Receiver<Vec<u8>>,
) -> impl futures_util::Stream<Item = Result<web::Bytes, actix_web::Error>> {
    futures_util::stream::unfold(rx, |rx| async move {
        let (chunk, rx) = web::block(move || (rx.recv(), rx)).await.ok()?;
        chunk
            .ok()
            .map(|c| (Ok::<_, actix_web::Error>(web::Bytes::from(c)), rx))
    })
}

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
    let (tx, rx) = sync_channel::<Vec<u8>>(4);
    std::thread::spawn(move || {
        let out = ChannelWriter {
            tx,
            buf: Vec::with_capacity(CHUNK),
        };
        if let Err(e) = bundle::write_zip(built, &data_dir, out) {
            tracing::warn!(error = %e, "the evidence bundle stopped part-way");
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header((header::CONTENT_DISPOSITION, disposition(&name)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(chunks(rx)))
}
