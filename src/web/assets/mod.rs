//! The static files under `/static`, served from memory.
//!
//! At start-up every file in the static folder is read once, given a fingerprinted name
//! (`app.3f2a91c0d4.css`, from a hash of its content) and, for text, compressed once with
//! brotli and gzip. Pages link to the fingerprinted names ([`url`]), which are cached for a
//! year as immutable: a changed file gets a new name, so nobody sees a stale one. The plain
//! names still answer, revalidated with the hash as the ETag.
//!
//! Serving a whole response from one buffer (rather than streaming the file in pieces) and
//! `TCP_NODELAY` on every connection (see `startup`) are what remove the ~40 ms that a small
//! streamed response used to wait on a kept-alive connection: Nagle's algorithm held the last
//! piece until the client's delayed acknowledgement.

mod serve;

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use actix_web::web::Bytes;
use sha2::{Digest, Sha256};

pub use serve::serve;

/// Where the static files are served from.
pub const PREFIX: &str = "/static/";

/// Compressed copies are only kept when they save at least this share of the bytes.
const WORTH_COMPRESSING: f64 = 0.9;

/// One static file and its compressed copies.
#[derive(Debug)]
pub struct Asset {
    pub content_type: String,
    pub body: Bytes,
    pub brotli: Option<Bytes>,
    pub gzip: Option<Bytes>,
    /// The first ten hex digits of the content's SHA-256: the fingerprint and the ETag.
    pub hash: String,
}

/// Every static file by its path under the folder (`govuk/govuk-frontend-6.6.0.min.css`),
/// and the fingerprinted path of each.
#[derive(Debug, Default)]
pub struct Assets {
    folder: PathBuf,
    by_path: HashMap<String, Arc<Asset>>,
    fingerprinted: HashMap<String, String>,
}

/// How a request names an asset.
pub enum Found<'a> {
    /// By its fingerprinted name: never changes, cache for good.
    Fingerprinted(&'a Asset),
    /// By its plain name: may change, revalidate.
    Plain(&'a Asset),
}

impl Assets {
    /// Reads and prepares every file under `folder`.
    pub fn load(folder: &Path) -> io::Result<Assets> {
        let mut files = Vec::new();
        collect(folder, folder, &mut files)?;
        let files = link_fingerprinted(files);
        let mut assets = Assets {
            folder: folder.to_path_buf(),
            ..Assets::default()
        };
        for (path, content) in files {
            let asset = prepare(&path, content)?;
            assets
                .fingerprinted
                .insert(path.clone(), fingerprinted_path(&path, &asset.hash));
            assets.by_path.insert(path, Arc::new(asset));
        }
        Ok(assets)
    }

    /// The asset a request path (below `/static/`) names, if any.
    pub fn find(&self, path: &str) -> Option<Found<'_>> {
        if let Some(asset) = self.by_path.get(path) {
            return Some(Found::Plain(asset));
        }
        let plain = plain_path(path)?;
        let asset = self.by_path.get(&plain)?;
        (self.fingerprinted.get(&plain).map(String::as_str) == Some(path))
            .then_some(Found::Fingerprinted(asset))
    }

    /// The URL pages use for a static file: its fingerprinted name when the file exists.
    pub fn url(&self, path: &str) -> String {
        match self.fingerprinted.get(path) {
            Some(named) => format!("{PREFIX}{named}"),
            None => format!("{PREFIX}{path}"),
        }
    }
}

/// The assets the templates link to: the first folder loaded in this process (a server has
/// one; the tests' servers all share the repository's).
static INSTALLED: OnceLock<Arc<Assets>> = OnceLock::new();

/// Loads the static folder for a server, once per process and folder.
pub fn install(folder: &Path) -> io::Result<Arc<Assets>> {
    if let Some(assets) = INSTALLED.get() {
        if assets.folder == folder {
            return Ok(assets.clone());
        }
        tracing::warn!(
            folder = %folder.display(),
            "a second static folder in one process: pages link to the first one's names"
        );
        return Ok(Arc::new(Assets::load(folder)?));
    }
    let assets = Arc::new(Assets::load(folder)?);
    Ok(INSTALLED.get_or_init(|| assets).clone())
}

/// The URL of a static file for a template (`ctx.asset("app.css")`).
pub fn url(path: &str) -> String {
    match INSTALLED.get() {
        Some(assets) => assets.url(path),
        None => format!("{PREFIX}{path}"),
    }
}

fn collect(root: &Path, folder: &Path, files: &mut Vec<(String, Vec<u8>)>) -> io::Result<()> {
    for entry in std::fs::read_dir(folder)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect(root, &path, files)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            let name = relative.to_string_lossy().replace('\\', "/");
            let mut content = Vec::new();
            std::fs::File::open(&path)?.read_to_end(&mut content)?;
            files.push((name, content));
        }
    }
    Ok(())
}

/// Points a script's relative imports (`from './govuk/govuk-frontend-6.6.0.min.js'`) at the
/// imported files' fingerprinted names, so the whole chain is cached for good. A file's hash
/// covers its rewritten imports, so this repeats until nothing changes (an import chain is
/// a few files deep at most).
fn link_fingerprinted(mut files: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    const MOST_PASSES: usize = 8;
    let originals = files.clone();
    for _ in 0..MOST_PASSES {
        let named: Vec<(String, String)> = files
            .iter()
            .map(|(path, content)| (path.clone(), fingerprinted_path(path, &hash_of(content))))
            .collect();
        let mut changed = false;
        for ((path, content), (_, original)) in files.iter_mut().zip(&originals) {
            if !path.ends_with(".js") {
                continue;
            }
            let Ok(text) = std::str::from_utf8(original) else {
                continue;
            };
            let folder = path
                .rsplit_once('/')
                .map(|(f, _)| format!("{f}/"))
                .unwrap_or_default();
            let mut linked = text.to_string();
            for (other, other_named) in &named {
                let Some(relative) = other.strip_prefix(folder.as_str()) else {
                    continue;
                };
                let relative_named = &other_named[folder.len()..];
                for quote in ['\'', '"'] {
                    linked = linked.replace(
                        &format!("{quote}./{relative}{quote}"),
                        &format!("{quote}./{relative_named}{quote}"),
                    );
                }
            }
            if linked.as_bytes() != content.as_slice() {
                *content = linked.into_bytes();
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    files
}

fn hash_of(content: &[u8]) -> String {
    hex_prefix(&Sha256::digest(content))
}

fn prepare(path: &str, content: Vec<u8>) -> io::Result<Asset> {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let textual = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            mime.subtype().as_str(),
            "javascript" | "json" | "svg" | "xml"
        );
    let content_type = if textual {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    };
    let hash = hash_of(&content);
    let (brotli, gzip) = if textual {
        (
            worth_it(&content, brotli_of(&content)?),
            worth_it(&content, gzip_of(&content)?),
        )
    } else {
        (None, None)
    };
    Ok(Asset {
        content_type,
        body: Bytes::from(content),
        brotli,
        gzip,
        hash,
    })
}

fn worth_it(original: &[u8], compressed: Vec<u8>) -> Option<Bytes> {
    ((compressed.len() as f64) < original.len() as f64 * WORTH_COMPRESSING)
        .then(|| Bytes::from(compressed))
}

fn brotli_of(content: &[u8]) -> io::Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &content[..], &mut out, &params)?;
    Ok(out)
}

fn gzip_of(content: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(content)?;
    encoder.finish()
}

fn hex_prefix(digest: &[u8]) -> String {
    digest[..5].iter().map(|b| format!("{b:02x}")).collect()
}

/// `app.css` with hash `3f2a91c0d4` → `app.3f2a91c0d4.css`; a name without an extension gets
/// the hash at the end.
fn fingerprinted_path(path: &str, hash: &str) -> String {
    let (folder, name) = match path.rsplit_once('/') {
        Some((folder, name)) => (format!("{folder}/"), name),
        None => (String::new(), path),
    };
    match name.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() => {
            format!("{folder}{stem}.{hash}.{extension}")
        }
        _ => format!("{folder}{name}.{hash}"),
    }
}

/// The plain path a fingerprinted one stands for (`app.3f2a91c0d4.css` → `app.css`), when it
/// has a fingerprint's shape.
fn plain_path(path: &str) -> Option<String> {
    let (folder, name) = match path.rsplit_once('/') {
        Some((folder, name)) => (format!("{folder}/"), name),
        None => (String::new(), path),
    };
    let is_hash = |part: &str| part.len() == 10 && part.bytes().all(|b| b.is_ascii_hexdigit());
    match name.rsplit_once('.') {
        Some((rest, last)) if is_hash(last) => Some(format!("{folder}{rest}")),
        Some((rest, extension)) => {
            let (stem, hash) = rest.rsplit_once('.')?;
            is_hash(hash).then(|| format!("{folder}{stem}.{extension}"))
        }
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_go_before_the_extension_and_come_back_off() {
        for path in [
            "app.css",
            "govuk/govuk-frontend-6.6.0.min.css",
            "LICENSE",
            "a/b/c.js",
        ] {
            let named = fingerprinted_path(path, "0123456789");
            assert_ne!(named, path);
            assert_eq!(plain_path(&named).as_deref(), Some(path), "{named}");
        }
        assert_eq!(
            fingerprinted_path("app.css", "0123456789"),
            "app.0123456789.css"
        );
        assert_eq!(plain_path("app.css"), None);
        assert_eq!(plain_path("govuk/govuk-frontend-6.6.0.min.css"), None);
    }

    #[test]
    fn the_repository_static_folder_loads_with_compressed_text() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("static");
        let assets = Assets::load(&folder).unwrap();
        let url = assets.url("app.css");
        let named = url.strip_prefix(PREFIX).unwrap();
        assert_ne!(named, "app.css");
        match assets.find(named) {
            Some(Found::Fingerprinted(asset)) => {
                assert!(asset.content_type.starts_with("text/css"));
                assert!(asset.brotli.is_some() && asset.gzip.is_some());
            }
            _ => panic!("{named} not found by its fingerprinted name"),
        }
        assert!(matches!(assets.find("app.css"), Some(Found::Plain(_))));
        // A right-shaped but wrong fingerprint is not the file.
        assert!(assets.find("app.0000000000.css").is_none());
        assert!(assets.find("../Cargo.toml").is_none());
    }

    #[test]
    fn a_script_imports_the_fingerprinted_name_of_what_it_imports() {
        let files = vec![
            ("lib/dep.js".to_string(), b"export const a = 1".to_vec()),
            (
                "main.js".to_string(),
                b"import { a } from './lib/dep.js'".to_vec(),
            ),
        ];
        let linked = link_fingerprinted(files);
        let dep = fingerprinted_path("lib/dep.js", &hash_of(b"export const a = 1"));
        let main = String::from_utf8(linked[1].1.clone()).unwrap();
        assert_eq!(main, format!("import {{ a }} from './{dep}'"));
    }
}
