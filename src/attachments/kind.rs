//! Which files are accepted as evidence, told by their content (magic numbers and
//! structure), never by the name or the type the browser claims: PDF, pictures, Office
//! documents (current and legacy) and saved emails (`.eml` text and Outlook `.msg`).

use std::io::{self, Read};
use std::path::Path;

/// One accepted kind of file.
#[derive(Debug, PartialEq, Eq)]
pub struct Kind {
    /// The type sent back on download.
    pub mime: &'static str,
    /// Extensions a file of this kind may have; the first is added when a name lacks one.
    pub extensions: &'static [&'static str],
    /// What the case page calls it.
    pub label: &'static str,
}

const fn kind(
    mime: &'static str,
    extensions: &'static [&'static str],
    label: &'static str,
) -> Kind {
    Kind {
        mime,
        extensions,
        label,
    }
}

pub static PDF: Kind = kind("application/pdf", &["pdf"], "PDF");
pub static PNG: Kind = kind("image/png", &["png"], "PNG image");
pub static JPEG: Kind = kind("image/jpeg", &["jpg", "jpeg", "jpe"], "JPEG image");
pub static GIF: Kind = kind("image/gif", &["gif"], "GIF image");
pub static WEBP: Kind = kind("image/webp", &["webp"], "WebP image");
pub static TIFF: Kind = kind("image/tiff", &["tif", "tiff"], "TIFF image");
pub static HEIF: Kind = kind("image/heif", &["heic", "heif"], "HEIC image");
pub static DOCX: Kind = kind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    &["docx"],
    "Word document",
);
pub static XLSX: Kind = kind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    &["xlsx"],
    "Excel spreadsheet",
);
pub static PPTX: Kind = kind(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    &["pptx"],
    "PowerPoint presentation",
);
pub static ODT: Kind = kind(
    "application/vnd.oasis.opendocument.text",
    &["odt"],
    "OpenDocument text",
);
pub static ODS: Kind = kind(
    "application/vnd.oasis.opendocument.spreadsheet",
    &["ods"],
    "OpenDocument spreadsheet",
);
pub static DOC: Kind = kind("application/msword", &["doc"], "Word 97-2003 document");
pub static XLS: Kind = kind(
    "application/vnd.ms-excel",
    &["xls"],
    "Excel 97-2003 spreadsheet",
);
pub static PPT: Kind = kind(
    "application/vnd.ms-powerpoint",
    &["ppt"],
    "PowerPoint 97-2003 presentation",
);
pub static MSG: Kind = kind("application/vnd.ms-outlook", &["msg"], "Outlook email");
pub static EML: Kind = kind("message/rfc822", &["eml"], "Saved email");

static ALL: [&Kind; 17] = [
    &PDF, &PNG, &JPEG, &GIF, &WEBP, &TIFF, &HEIF, &DOCX, &XLSX, &PPTX, &ODT, &ODS, &DOC, &XLS,
    &PPT, &MSG, &EML,
];

/// The kind stored under `mime` (what a stored row says it is).
pub fn by_mime(mime: &str) -> Option<&'static Kind> {
    ALL.iter().copied().find(|k| k.mime == mime)
}

/// How many bytes from the start are enough to tell every kind but the legacy Office ones.
pub const HEAD_BYTES: usize = 64 * 1024;

/// One of `infer`'s checks on the first bytes.
type Matcher = fn(&[u8]) -> bool;

/// What the first bytes say.
#[derive(Debug, PartialEq, Eq)]
pub enum Sniffed {
    Known(&'static Kind),
    /// An OLE compound file (legacy Word, Excel, PowerPoint, Outlook): its streams decide.
    Compound,
    Refused,
}

/// Tells a file's kind from its first [`HEAD_BYTES`] (fewer if the file is shorter).
pub fn sniff(head: &[u8]) -> Sniffed {
    // Stricter than `infer`'s PDF check (which finds `%PDF` anywhere in the first 1 KB and so
    // accepts text that merely mentions it): a PDF starts with its `%PDF-` header.
    if head.starts_with(b"%PDF-") {
        return Sniffed::Known(&PDF);
    }
    let checks: [(Matcher, &'static Kind); 11] = [
        (infer::image::is_png, &PNG),
        (infer::image::is_jpeg, &JPEG),
        (infer::image::is_gif, &GIF),
        (infer::image::is_webp, &WEBP),
        (infer::image::is_tiff, &TIFF),
        (infer::image::is_heif, &HEIF),
        (infer::doc::is_docx, &DOCX),
        (infer::doc::is_xlsx, &XLSX),
        (infer::doc::is_pptx, &PPTX),
        (infer::odf::is_odt, &ODT),
        (infer::odf::is_ods, &ODS),
    ];
    if let Some((_, kind)) = checks.iter().find(|(matches, _)| matches(head)) {
        return Sniffed::Known(kind);
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Sniffed::Compound;
    }
    if looks_like_email(head) {
        return Sniffed::Known(&EML);
    }
    Sniffed::Refused
}

/// Tells the kind of the file at `path`; `None` when it is not one we accept.
pub fn detect_file(path: &Path) -> io::Result<Option<&'static Kind>> {
    let mut head = Vec::with_capacity(HEAD_BYTES);
    std::fs::File::open(path)?
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)?;
    Ok(match sniff(&head) {
        Sniffed::Known(kind) => Some(kind),
        Sniffed::Refused => None,
        Sniffed::Compound => compound_kind(path),
    })
}

/// Legacy Office files and Outlook messages are all OLE compound files; the streams inside
/// say which (more reliable than the root CLSID, which some writers leave empty). Anything
/// else in that container (installers, thumbnail caches) is refused.
fn compound_kind(path: &Path) -> Option<&'static Kind> {
    let file = cfb::open(path).ok()?;
    if file.is_stream("/WordDocument") {
        Some(&DOC)
    } else if file.is_stream("/Workbook") || file.is_stream("/Book") {
        Some(&XLS)
    } else if file.is_stream("/PowerPoint Document") {
        Some(&PPT)
    } else if file.is_stream("/__properties_version1.0") {
        Some(&MSG)
    } else {
        None
    }
}

/// A saved email (RFC 5322 / 822): it opens with a block of `Name: value` header lines
/// (continuations indented) ended by a blank line, with a `From:` header and at least one
/// other header every email has.
fn looks_like_email(head: &[u8]) -> bool {
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        // The head may cut a multi-byte character; the headers before it still count.
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return false,
    };
    let mut names = Vec::new();
    let mut ended = false;
    for (i, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            ended = i > 0;
            break;
        }
        if line.starts_with([' ', '\t']) {
            if i == 0 {
                return false;
            }
            continue;
        }
        let Some((name, _)) = line.split_once(':') else {
            return false;
        };
        let is_field_name =
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic() && b != b':');
        if !is_field_name {
            return false;
        }
        names.push(name.to_ascii_lowercase());
    }
    let has = |wanted: &str| names.iter().any(|n| n == wanted);
    ended
        && has("from")
        && [
            "date",
            "subject",
            "to",
            "received",
            "message-id",
            "mime-version",
        ]
        .iter()
        .any(|h| has(h))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_bytes() -> Vec<u8> {
        let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        bytes.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
        bytes
    }

    #[test]
    fn every_kind_is_listed_once() {
        let mut mimes: Vec<_> = ALL.iter().map(|k| k.mime).collect();
        mimes.sort();
        mimes.dedup();
        assert_eq!(mimes.len(), ALL.len());
        assert!(ALL.iter().all(|k| !k.extensions.is_empty()));
    }

    #[test]
    fn pictures_and_pdfs_by_their_magic_numbers() {
        assert_eq!(
            sniff(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"),
            Sniffed::Known(&PDF)
        );
        assert_eq!(sniff(&png_bytes()), Sniffed::Known(&PNG));
        assert_eq!(
            sniff(b"\xff\xd8\xff\xe0\0\x10JFIF\0"),
            Sniffed::Known(&JPEG)
        );
        assert_eq!(sniff(b"GIF89a\x01\0\x01\0"), Sniffed::Known(&GIF));
    }

    #[test]
    fn text_is_refused_whatever_it_mentions() {
        assert_eq!(sniff(b"This is not really a PDF"), Sniffed::Refused);
        assert_eq!(sniff(b"see the attached %PDF-1.4 file"), Sniffed::Refused);
        assert_eq!(sniff(b""), Sniffed::Refused);
        assert_eq!(sniff(b"PK\x03\x04plain zip"), Sniffed::Refused);
        assert_eq!(sniff(b"MZ\x90\0"), Sniffed::Refused);
    }

    #[test]
    fn ole_files_are_looked_into() {
        assert_eq!(
            sniff(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0"),
            Sniffed::Compound
        );
    }

    #[test]
    fn saved_emails_by_their_headers() {
        let email = b"Received: from mx.example.org\r\n\tby mail.example.org\r\nFrom: Jo Bloggs <jo@example.org>\r\nTo: complaints@example.org.uk\r\nSubject: Damp in my flat\r\n\r\nHello";
        assert_eq!(sniff(email), Sniffed::Known(&EML));
        let lf_only = b"From: jo@example.org\nDate: Mon, 2 Nov 2026 10:00:00 +0000\n\nBody";
        assert_eq!(sniff(lf_only), Sniffed::Known(&EML));
        // Headers without a From, a note that starts like a header, no blank line.
        assert_eq!(sniff(b"Subject: x\nTo: y\n\nBody"), Sniffed::Refused);
        assert_eq!(
            sniff(b"Note: the resident called\nagain today"),
            Sniffed::Refused
        );
        assert_eq!(sniff(b"From: jo@example.org\nSubject: x"), Sniffed::Refused);
    }

    #[test]
    fn legacy_office_by_the_streams_inside() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        for (stream, expected) in [
            ("/WordDocument", Some(&DOC)),
            ("/Workbook", Some(&XLS)),
            ("/PowerPoint Document", Some(&PPT)),
            ("/__properties_version1.0", Some(&MSG)),
            ("/Something", None),
        ] {
            let path = dir.path().join("compound");
            let mut file = cfb::create(&path).unwrap();
            file.create_stream(stream)
                .unwrap()
                .write_all(b"content")
                .unwrap();
            file.flush().unwrap();
            drop(file);
            assert_eq!(detect_file(&path).unwrap(), expected, "{stream}");
        }
    }
}
