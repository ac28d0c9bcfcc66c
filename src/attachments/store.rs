//! Where evidence bytes live: `{data_dir}/attachments/{storage_key}`, the key random (never
//! the uploaded name). An upload streams into `{storage_key}.part` with its size checked on
//! every chunk (nothing past the limit is kept in memory or on disk) and its SHA-256 worked
//! out on the way; only a complete, non-empty file of an accepted kind is renamed into place.
//! A part file left by a failed or abandoned upload is removed when its [`Incoming`] drops.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use actix_web::web;
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::kind::{self, Kind};

/// Bytes collected before they are written to disk off the async threads.
const WRITE_BATCH: usize = 256 * 1024;

/// Why an upload was not kept.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is over the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("the file is not of an accepted kind")]
    NotAccepted,
    #[error("storing the file: {0}")]
    Io(#[from] io::Error),
}

impl From<actix_web::error::BlockingError> for UploadError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        UploadError::Io(io::Error::other(e.to_string()))
    }
}

/// A file kept: what the attachments row records.
#[derive(Debug, Clone)]
pub struct Stored {
    pub storage_key: String,
    pub kind: &'static Kind,
    pub size: u64,
    /// Lower-case hex.
    pub sha256: String,
}

/// The folder attachments are kept in.
pub fn folder(data_dir: &Path) -> PathBuf {
    data_dir.join("attachments")
}

fn path_of(data_dir: &Path, key: &str) -> PathBuf {
    folder(data_dir).join(key)
}

fn new_key() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The open part file and the running checksum, moved to a blocking thread for each write.
struct Sink {
    file: File,
    hasher: Sha256,
}

/// An upload in progress.
pub struct Incoming {
    data_dir: PathBuf,
    key: String,
    part: PathBuf,
    sink: Option<Sink>,
    pending: Vec<u8>,
    size: u64,
    limit: u64,
    kept: bool,
}

impl Incoming {
    /// Creates the part file (and the attachments folder on first use).
    pub async fn begin(data_dir: &Path, limit: u64) -> Result<Incoming, UploadError> {
        let key = new_key();
        let part = folder(data_dir).join(format!("{key}.part"));
        let file = {
            let (dir, part) = (folder(data_dir), part.clone());
            web::block(move || -> io::Result<File> {
                std::fs::create_dir_all(&dir)?;
                File::options().write(true).create_new(true).open(&part)
            })
            .await??
        };
        Ok(Incoming {
            data_dir: data_dir.to_path_buf(),
            key,
            part,
            sink: Some(Sink {
                file,
                hasher: Sha256::new(),
            }),
            pending: Vec::new(),
            size: 0,
            limit,
            kept: false,
        })
    }

    /// Adds the next piece of the file; refused as soon as the total passes the limit.
    pub async fn push(&mut self, chunk: &[u8]) -> Result<(), UploadError> {
        self.size += chunk.len() as u64;
        if self.size > self.limit {
            return Err(UploadError::TooLarge { limit: self.limit });
        }
        self.pending.extend_from_slice(chunk);
        if self.pending.len() >= WRITE_BATCH {
            self.write_pending().await?;
        }
        Ok(())
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    async fn write_pending(&mut self) -> Result<(), UploadError> {
        let mut sink = self
            .sink
            .take()
            .ok_or_else(|| io::Error::other("upload already failed"))?;
        let batch = std::mem::take(&mut self.pending);
        let sink = web::block(move || -> io::Result<Sink> {
            sink.file.write_all(&batch)?;
            sink.hasher.update(&batch);
            Ok(sink)
        })
        .await??;
        self.sink = Some(sink);
        Ok(())
    }

    /// Writes what is left, checks the file is not empty and is of an accepted kind, and
    /// moves it into place.
    pub async fn finish(mut self) -> Result<Stored, UploadError> {
        if self.size == 0 {
            return Err(UploadError::Empty);
        }
        self.write_pending().await?;
        let sink = self
            .sink
            .take()
            .ok_or_else(|| io::Error::other("upload already failed"))?;
        let (part, target) = (self.part.clone(), path_of(&self.data_dir, &self.key));
        let (kind, sha256) = web::block(move || -> Result<_, UploadError> {
            sink.file.sync_all()?;
            let sha256 = hex(&sink.hasher.finalize());
            let kind = kind::detect_file(&part)?.ok_or(UploadError::NotAccepted)?;
            std::fs::rename(&part, &target)?;
            Ok((kind, sha256))
        })
        .await??;
        self.kept = true;
        Ok(Stored {
            storage_key: self.key.clone(),
            kind,
            size: self.size,
            sha256,
        })
    }
}

impl Drop for Incoming {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_file(&self.part);
        }
    }
}

/// Keeps bytes already in memory (a file sent with an email) under the same checks as an
/// upload: not empty, within `limit`, of an accepted kind told by its content. Blocking:
/// call it off the async threads.
pub fn keep_bytes(data_dir: &Path, bytes: &[u8], limit: u64) -> Result<Stored, UploadError> {
    if bytes.is_empty() {
        return Err(UploadError::Empty);
    }
    if bytes.len() as u64 > limit {
        return Err(UploadError::TooLarge { limit });
    }
    let (key, part) = write_part(data_dir, bytes)?;
    let kept = kind::detect_file(&part).and_then(|kind| match kind {
        Some(kind) => std::fs::rename(&part, path_of(data_dir, &key)).map(|()| Some(kind)),
        None => Ok(None),
    });
    match kept {
        Ok(Some(kind)) => Ok(Stored {
            storage_key: key,
            kind,
            size: bytes.len() as u64,
            sha256: hex(&Sha256::digest(bytes)),
        }),
        Ok(None) => {
            let _ = std::fs::remove_file(&part);
            Err(UploadError::NotAccepted)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&part);
            Err(e.into())
        }
    }
}

/// Keeps an original email exactly as it arrived, as evidence: whatever it holds (an
/// unreadable message is kept too), always offered back as a saved email to download,
/// never shown inline. Blocking.
pub fn keep_original_email(data_dir: &Path, bytes: &[u8]) -> io::Result<Stored> {
    let (key, part) = write_part(data_dir, bytes)?;
    std::fs::rename(&part, path_of(data_dir, &key))?;
    Ok(Stored {
        storage_key: key,
        kind: &kind::EML,
        size: bytes.len() as u64,
        sha256: hex(&Sha256::digest(bytes)),
    })
}

/// Writes `bytes` to a new part file, synced, and gives its key and path.
fn write_part(data_dir: &Path, bytes: &[u8]) -> io::Result<(String, PathBuf)> {
    let key = new_key();
    std::fs::create_dir_all(folder(data_dir))?;
    let part = folder(data_dir).join(format!("{key}.part"));
    let mut file = File::options().write(true).create_new(true).open(&part)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok((key, part))
}

/// Removes a kept file (when recording it in the database failed).
pub fn remove(data_dir: &Path, key: &str) -> io::Result<()> {
    std::fs::remove_file(path_of(data_dir, key))
}

/// Reads a kept file, checking it still has the checksum recorded when it was uploaded.
pub fn read_verified(data_dir: &Path, key: &str, sha256: &str) -> io::Result<Vec<u8>> {
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(io::Error::other(format!("bad storage key {key:?}")));
    }
    let mut bytes = Vec::new();
    File::open(path_of(data_dir, key))?.read_to_end(&mut bytes)?;
    let actual = hex(&Sha256::digest(&bytes));
    if actual != sha256 {
        return Err(io::Error::other(format!(
            "attachment {key} fails its checksum (recorded {sha256}, now {actual})"
        )));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

    fn files_in(dir: &Path) -> Vec<String> {
        std::fs::read_dir(folder(dir))
            .map(|entries| {
                entries
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    #[actix_web::test]
    async fn a_file_is_kept_with_its_checksum() {
        let dir = tempfile::tempdir().unwrap();
        let mut incoming = Incoming::begin(dir.path(), 1024).await.unwrap();
        incoming.push(&PNG[..10]).await.unwrap();
        incoming.push(&PNG[10..]).await.unwrap();
        let stored = incoming.finish().await.unwrap();
        assert_eq!(stored.kind.mime, "image/png");
        assert_eq!(stored.size, PNG.len() as u64);
        assert_eq!(stored.sha256, hex(&Sha256::digest(PNG)));
        assert_eq!(files_in(dir.path()), vec![stored.storage_key.clone()]);
        let back = read_verified(dir.path(), &stored.storage_key, &stored.sha256).unwrap();
        assert_eq!(back, PNG);
        assert!(read_verified(dir.path(), &stored.storage_key, "00").is_err());
        assert!(read_verified(dir.path(), "../secret", &stored.sha256).is_err());
    }

    #[actix_web::test]
    async fn refused_files_leave_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let mut big = Incoming::begin(dir.path(), 8).await.unwrap();
        big.push(b"12345678").await.unwrap();
        assert!(matches!(
            big.push(b"9").await,
            Err(UploadError::TooLarge { limit: 8 })
        ));
        drop(big);
        let empty = Incoming::begin(dir.path(), 8).await.unwrap();
        assert!(matches!(empty.finish().await, Err(UploadError::Empty)));
        let mut text = Incoming::begin(dir.path(), 100).await.unwrap();
        text.push(b"just some text").await.unwrap();
        assert!(matches!(text.finish().await, Err(UploadError::NotAccepted)));
        assert!(files_in(dir.path()).is_empty());
    }

    #[test]
    fn bytes_in_memory_pass_the_same_checks() {
        let dir = tempfile::tempdir().unwrap();
        let stored = keep_bytes(dir.path(), PNG, 1024).unwrap();
        assert_eq!(stored.kind.mime, "image/png");
        assert_eq!(
            read_verified(dir.path(), &stored.storage_key, &stored.sha256).unwrap(),
            PNG
        );
        assert!(matches!(
            keep_bytes(dir.path(), b"MZ\x90\0 a program", 1024),
            Err(UploadError::NotAccepted)
        ));
        assert!(matches!(
            keep_bytes(dir.path(), PNG, 8),
            Err(UploadError::TooLarge { limit: 8 })
        ));
        assert!(matches!(
            keep_bytes(dir.path(), b"", 8),
            Err(UploadError::Empty)
        ));
        assert_eq!(files_in(dir.path()), vec![stored.storage_key]);
    }
}
