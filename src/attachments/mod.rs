//! Evidence files: which kinds are accepted (checked by content, never by name), how an
//! uploaded name is made safe to show and to offer back, and where the bytes are kept
//! (`{storage.data_dir}/attachments/{storage_key}`, with a SHA-256 checksum).
//! Recording an upload on a case (row, timeline, audit) is `cases::evidence`.

pub mod archive;
pub mod kind;
pub mod store;

pub use kind::Kind;
pub use store::{Incoming, Stored, UploadError};

/// The longest file name kept, in characters.
const MAX_NAME_CHARS: usize = 120;

/// Unicode's bidirectional formatting characters. Shown in a name they reorder what
/// follows, so `invoice\u{202E}gpj.exe` reads as `invoiceexe.jpg`.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// The uploaded name made safe: the last path component only, without control characters,
/// bidirectional formatting characters or characters that are special in file systems or headers, trimmed, at most 120
/// characters, with the detected kind's extension added when the name has another one (so
/// a PNG called `photo.txt` opens as a picture: `photo.txt.png`).
pub fn safe_file_name(uploaded: &str, kind: &Kind) -> String {
    let stem = safe_name(uploaded);
    let has_right_extension = stem.rsplit_once('.').is_some_and(|(_, ext)| {
        kind.extensions
            .iter()
            .any(|wanted| wanted.eq_ignore_ascii_case(ext))
    });
    if has_right_extension {
        stem
    } else {
        format!("{stem}.{}", kind.extensions[0])
    }
}

/// The uploaded name made safe to show, as [`safe_file_name`] but without an extension
/// added (for a refused file, which has no kind).
pub fn safe_name(uploaded: &str) -> String {
    let last = uploaded
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| {
            !c.is_control()
                && !is_bidi_control(*c)
                && !matches!(c, '"' | '<' | '>' | ':' | '|' | '?' | '*')
        })
        .collect::<String>();
    let trimmed = last.trim().trim_matches('.').trim();
    if trimmed.is_empty() {
        "evidence".to_string()
    } else {
        trimmed.chars().take(MAX_NAME_CHARS).collect()
    }
}

/// A size as people read it: `20MB`, `512KB`, `300 bytes` (1MB = 1024 × 1024 bytes).
pub fn human_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    if bytes >= MB && bytes.is_multiple_of(MB) {
        format!("{}MB", bytes / MB)
    } else if bytes >= MB {
        format!("{:.1}MB", bytes as f64 / MB as f64)
    } else if bytes >= KB && bytes.is_multiple_of(KB) {
        format!("{}KB", bytes / KB)
    } else if bytes >= KB {
        format!("{:.1}KB", bytes as f64 / KB as f64)
    } else if bytes == 1 {
        "1 byte".to_string()
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png() -> &'static Kind {
        kind::by_mime("image/png").unwrap()
    }

    #[test]
    fn names_lose_paths_and_dangerous_characters() {
        assert_eq!(safe_file_name("C:\\Users\\jo\\damp.png", png()), "damp.png");
        assert_eq!(safe_file_name("../../etc/passwd.png", png()), "passwd.png");
        assert_eq!(safe_file_name("a\"b\r\n<c>.PNG", png()), "abc.PNG");
        assert_eq!(safe_file_name("   ", png()), "evidence.png");
        assert_eq!(safe_file_name("...", png()), "evidence.png");
        assert_eq!(
            safe_file_name("Flur – Schäden.png", png()),
            "Flur – Schäden.png"
        );
    }

    #[test]
    fn names_lose_bidirectional_controls_so_they_read_as_they_are() {
        assert_eq!(
            safe_file_name("invoice\u{202E}gpj.exe", png()),
            "invoicegpj.exe.png"
        );
        let every = "a\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068}\u{2069}\u{200E}\u{200F}\u{061C}\u{0}\u{85}b.png";
        assert_eq!(safe_file_name(every, png()), "ab.png");
        assert_eq!(
            safe_file_name("تقرير.png", png()),
            "تقرير.png",
            "Arabic itself stays"
        );
    }

    #[test]
    fn names_get_the_detected_extension() {
        assert_eq!(safe_file_name("photo.txt", png()), "photo.txt.png");
        assert_eq!(safe_file_name("photo", png()), "photo.png");
        let jpeg = kind::by_mime("image/jpeg").unwrap();
        assert_eq!(safe_file_name("IMG_1.JPG", jpeg), "IMG_1.JPG");
        assert_eq!(safe_file_name("IMG_1.jpeg", jpeg), "IMG_1.jpeg");
    }

    #[test]
    fn long_names_are_cut() {
        let name = format!("{}.png", "x".repeat(500));
        let safe = safe_file_name(&name, png());
        assert_eq!(safe.chars().count(), MAX_NAME_CHARS + 4);
        assert!(safe.ends_with(".png"));
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_size(20 * 1024 * 1024), "20MB");
        assert_eq!(human_size(1024), "1KB");
        assert_eq!(human_size(1536), "1.5KB");
        assert_eq!(human_size(100), "100 bytes");
        assert_eq!(human_size(1), "1 byte");
    }
}
