//! Streaming a response written by blocking code (a ZIP read from storage file by file): a
//! writer thread fills 64 KB chunks into a small channel and the response sends them as they
//! come, so a large download is never held whole in memory.

use std::io::{self, Write};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use crate::web::cases::evidence::disposition;

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

/// A ZIP download named `file_name`, written by `write` on its own thread; `what` names it
/// in the log if writing stops part-way.
pub fn zip_download(
    file_name: &str,
    what: &'static str,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()> + Send + 'static,
) -> HttpResponse {
    let (tx, rx) = sync_channel::<Vec<u8>>(4);
    std::thread::spawn(move || {
        let mut out = ChannelWriter {
            tx,
            buf: Vec::with_capacity(CHUNK),
        };
        if let Err(e) = write(&mut out) {
            tracing::warn!(error = %e, "{what} stopped part-way");
        }
    });
    HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header((header::CONTENT_DISPOSITION, disposition(file_name)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(chunks(rx))
}
