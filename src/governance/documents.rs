//! Evidence files for a reporting year (issue 26): uploaded against a requirement of the
//! self-assessment, or against a part of the annual report that records what others wrote
//! (the Ombudsman's findings, its annual letter, other reports, the governing body's
//! response). The bytes are kept as case evidence is ([`crate::attachments`]); this records
//! which year and slot a file belongs to, its removal, and audits each upload, removal and
//! download. Once the year's annual report is published its files no longer change.

use chrono::NaiveDateTime;

use crate::attachments::{self, human_size};
use crate::db::audit::{self, AuditEntry};
use crate::db::governance as reports_table;
use crate::db::governance_documents::{self as table, DocumentRow, NewDocument};
use crate::db::DbConnection;
use crate::domain::UserId;
use crate::letters::elsewhere::KeptFile;

/// The `part` of a self-assessment file.
pub const SELF_ASSESSMENT: &str = "self_assessment";

/// The parts of the annual report that take files (their narrative field names).
pub const REPORT_PARTS: [&str; 4] = [
    "ombudsman_findings",
    "ombudsman_letter",
    "other_reports",
    "response",
];

/// Where a file belongs within its year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slot {
    /// A requirement of the self-assessment, by its Code paragraph.
    Requirement(String),
    /// A part of the annual report, one of [`REPORT_PARTS`].
    Part(&'static str),
}

impl Slot {
    pub fn part(&self) -> &str {
        match self {
            Slot::Requirement(_) => SELF_ASSESSMENT,
            Slot::Part(part) => part,
        }
    }

    pub fn requirement(&self) -> Option<&str> {
        match self {
            Slot::Requirement(paragraph) => Some(paragraph),
            Slot::Part(_) => None,
        }
    }

    /// The part of the annual report named `name`, if it takes files.
    pub fn report_part(name: &str) -> Option<Slot> {
        REPORT_PARTS
            .iter()
            .find(|p| **p == name)
            .map(|p| Slot::Part(p))
    }

    fn of(row: &DocumentRow) -> Option<Slot> {
        match (row.part.as_str(), &row.requirement) {
            (SELF_ASSESSMENT, Some(paragraph)) => Some(Slot::Requirement(paragraph.clone())),
            (part, _) => Slot::report_part(part),
        }
    }

    /// The audit log's target for a change to this slot's files in `year`.
    fn target(&self, year: i32) -> String {
        match self {
            Slot::Requirement(_) => format!("self-assessment:{year}"),
            Slot::Part(_) => format!("annual-report:{year}"),
        }
    }
}

/// A file as the pages list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub id: i32,
    pub slot: Slot,
    pub file_name: String,
    /// "PDF, 12.5KB".
    pub kind: String,
    /// "3 December 2026, Emma Carter".
    pub added: String,
    pub href: String,
}

impl Listed {
    fn of(row: DocumentRow, by: String) -> Option<Listed> {
        let kind = attachments::kind::by_mime(&row.content_type)
            .map(|k| k.label)
            .unwrap_or("File");
        Some(Listed {
            slot: Slot::of(&row)?,
            href: href(row.id),
            kind: format!("{kind}, {}", human_size(row.size_bytes.max(0) as u64)),
            added: format!(
                "{}, {by}",
                crate::clock::london_date_of(row.uploaded_at).format("%-d %B %Y")
            ),
            id: row.id,
            file_name: row.file_name,
        })
    }
}

/// Where a file is downloaded.
pub fn href(id: i32) -> String {
    format!("/reports/documents/{id}")
}

/// The year's files, oldest first.
pub fn for_year(conn: &mut DbConnection, year: i32) -> diesel::QueryResult<Vec<Listed>> {
    Ok(table::for_year(conn, year)?
        .into_iter()
        .filter_map(|(row, by)| Listed::of(row, by))
        .collect())
}

/// Files added and removed in one save.
#[derive(Default)]
pub struct Changes {
    pub added: Vec<(Slot, KeptFile)>,
    pub removed: Vec<i32>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }

    /// The storage keys of the files added (to remove them if the save is refused).
    pub fn storage_keys(&self) -> Vec<String> {
        self.added
            .iter()
            .map(|(_, f)| f.stored.storage_key.clone())
            .collect()
    }
}

/// Who changes the files, and when.
pub struct By<'a> {
    pub id: UserId,
    pub label: &'a str,
    pub ip: Option<&'a str>,
    pub at: NaiveDateTime,
}

/// Why files were not changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The year's annual report is published: its evidence is fixed.
    Published,
    /// A file to remove is not among the year's files (removed meanwhile, or another year's).
    Gone,
}

/// Whether `changes` may be made to `year`'s files; nothing is written. Run in the same
/// transaction as [`apply`].
pub fn check(
    conn: &mut DbConnection,
    year: i32,
    changes: &Changes,
) -> diesel::QueryResult<Result<(), Refused>> {
    if changes.is_empty() {
        return Ok(Ok(()));
    }
    let published =
        reports_table::annual_report(conn, year)?.is_some_and(|r| r.published_at.is_some());
    if published {
        return Ok(Err(Refused::Published));
    }
    for id in &changes.removed {
        let present =
            table::find(conn, *id)?.is_some_and(|row| row.year == year && row.removed_at.is_none());
        if !present {
            return Ok(Err(Refused::Gone));
        }
    }
    Ok(Ok(()))
}

/// A file added or removed, where, in words ("policy.pdf added").
pub type Done = Vec<(Slot, String)>;

/// Records the files added and removed (checked by [`check`]), each audited; what was done,
/// where, in words for the page's message.
pub fn apply(
    conn: &mut DbConnection,
    year: i32,
    changes: &Changes,
    by: &By<'_>,
) -> diesel::QueryResult<Done> {
    let mut done = Vec::new();
    for (slot, file) in &changes.added {
        let size_bytes = i32::try_from(file.stored.size)
            .map_err(|_| diesel::result::Error::SerializationError("file too large".into()))?;
        let row = table::insert(
            conn,
            &NewDocument {
                year,
                part: slot.part(),
                requirement: slot.requirement(),
                file_name: &file.file_name,
                content_type: file.stored.kind.mime,
                size_bytes,
                sha256: &file.stored.sha256,
                storage_key: &file.stored.storage_key,
                uploaded_by_id: by.id,
                uploaded_at: by.at,
            },
        )?;
        record(conn, by, slot, year, "governance_document_uploaded", &row)?;
        done.push((slot.clone(), format!("{} added", row.file_name)));
    }
    for id in &changes.removed {
        let Some(row) = table::find(conn, *id)? else {
            continue;
        };
        if table::mark_removed(conn, year, *id, by.id, by.at)? {
            if let Some(slot) = Slot::of(&row) {
                record(conn, by, &slot, year, "governance_document_removed", &row)?;
                done.push((slot, format!("{} removed", row.file_name)));
            }
        }
    }
    Ok(done)
}

/// Audits a download of `row` by `by`.
pub fn record_download(
    conn: &mut DbConnection,
    row: &DocumentRow,
    by: &By<'_>,
) -> diesel::QueryResult<()> {
    match Slot::of(row) {
        Some(slot) => record(
            conn,
            by,
            &slot,
            row.year,
            "governance_document_downloaded",
            row,
        ),
        None => Ok(()),
    }
}

fn record(
    conn: &mut DbConnection,
    by: &By<'_>,
    slot: &Slot,
    year: i32,
    action: &str,
    row: &DocumentRow,
) -> diesel::QueryResult<()> {
    let place = match slot {
        Slot::Requirement(p) => format!("requirement {p}"),
        Slot::Part(part) => format!("part {part}"),
    };
    audit::record(
        conn,
        &AuditEntry::new(
            Some(by.id),
            by.label.to_string(),
            action,
            slot.target(year),
            format!(
                "{place}, file {} ({}, {} bytes, sha256 {})",
                row.id, row.content_type, row.size_bytes, row.sha256
            ),
            by.ip,
        ),
    )
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_name_their_part_and_requirement() {
        let r = Slot::Requirement("6.3".into());
        assert_eq!((r.part(), r.requirement()), (SELF_ASSESSMENT, Some("6.3")));
        assert_eq!(r.target(2025), "self-assessment:2025");
        let p = Slot::report_part("ombudsman_letter").unwrap();
        assert_eq!((p.part(), p.requirement()), ("ombudsman_letter", None));
        assert_eq!(p.target(2025), "annual-report:2025");
        assert_eq!(Slot::report_part("introduction"), None);
    }
}
