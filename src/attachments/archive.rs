//! A ZIP of generated pages and stored evidence files (the Ombudsman's evidence bundle, a
//! subject access export), written to any `Write` so it can stream: each stored file is read,
//! and its SHA-256 checked, only when its turn comes.

use std::io::Write;
use std::path::Path;

use super::store;

/// One file in the ZIP.
pub struct ArchiveFile {
    /// Its path inside the ZIP (see [`zip_path_part`]).
    pub name: String,
    pub source: Source,
}

pub enum Source {
    Bytes(Vec<u8>),
    /// An attachment, read (and its SHA-256 checked) while the ZIP is written.
    Stored {
        key: String,
        sha256: String,
    },
}

/// A name safe as one part of a path inside the ZIP: ASCII letters, digits, `.`, `-` and
/// `_`, no leading dots, at most 100 characters.
pub fn zip_path_part(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = cleaned.trim_start_matches('.');
    if trimmed.is_empty() {
        "file".to_string()
    } else {
        trimmed.chars().take(100).collect()
    }
}

/// Writes `files` as a ZIP to `out` (which need not seek: it may be the response body).
pub fn write_zip<W: Write>(files: Vec<ArchiveFile>, data_dir: &Path, out: W) -> anyhow::Result<()> {
    let mut zip = zip::ZipWriter::new_stream(out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for file in files {
        let bytes = match file.source {
            Source::Bytes(bytes) => bytes,
            Source::Stored { key, sha256 } => store::read_verified(data_dir, &key, &sha256)?,
        };
        zip.start_file(file.name, options)?;
        zip.write_all(&bytes)?;
    }
    zip.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::zip_path_part;

    #[test]
    fn names_inside_the_zip_cannot_climb_out() {
        assert_eq!(zip_path_part("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(zip_path_part("photo 1.jpg"), "photo_1.jpg");
        assert_eq!(zip_path_part(""), "file");
        assert_eq!(zip_path_part("..."), "file");
    }
}
